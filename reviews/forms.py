"""Forms of the review pages. The material/fact check grid is parsed by ``checks_from_post``."""

from __future__ import annotations

from django import forms

from applications.models import Application
from policies import engine
from reviews.services import REDUCTION_REASONS


class ApproveForm(forms.Form):
    amount = forms.DecimalField(label="核定金额（元）", min_value=0, decimal_places=2)
    reason_code = forms.ChoiceField(
        label="核减原因（低于测算上限时必选）",
        choices=[("", "—"), *REDUCTION_REASONS.items()],
        required=False,
    )
    reason_text = forms.CharField(label="核减说明", required=False, max_length=500)
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回说明（可选，不填则列出不通过的项目）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予支持理由（企业可见）", widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label="公示标题", required=False, max_length=200)
    window_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30, initial=5)


class ObjectionForm(forms.Form):
    name = forms.CharField(label="联系人姓名", max_length=50)
    contact = forms.CharField(label="联系电话", max_length=50)
    text = forms.CharField(label="异议内容及理由", widget=forms.Textarea(attrs={"rows": 4}))


class TriageForm(forms.Form):
    reason = forms.CharField(label="核查意见", widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=18)
    relationship = forms.CharField(label="关系说明", max_length=200)


class OverrideForm(forms.Form):
    reviewer = forms.CharField(label="须回避的审核人员（用户名）", max_length=150)
    reason = forms.CharField(label="批准理由", widget=forms.Textarea(attrs={"rows": 2}))


def check_rows(application: Application) -> list[dict]:
    """The grid: every required material and every fact of the clause, with a field prefix."""
    rows = [
        {"kind": "material", "target": item, "prefix": f"m{i}", "declared": None}
        for i, item in enumerate(application.clause.materials or [])
    ]
    for i, spec in enumerate(engine.get_clause(application.clause.code).facts):
        rows.append(
            {
                "kind": "fact",
                "target": spec.name,
                "label": spec.label,
                "prefix": f"f{i}",
                "declared": application.facts.get(spec.name),
                "declared_text": spec.display(application.facts.get(spec.name)),
            }
        )
    return rows


def checks_from_post(application: Application, data) -> list[dict]:
    """Rows whose pass/fail radio was set; a fact's corrected value when given."""
    checks = []
    for row in check_rows(application):
        choice = data.get(f"{row['prefix']}-passed", "")
        if choice not in ("1", "0"):
            continue
        check = {
            "kind": row["kind"],
            "target": row["target"],
            "passed": choice == "1",
            "comment": data.get(f"{row['prefix']}-comment", ""),
        }
        if row["kind"] == "fact":
            check["verified_value"] = data.get(f"{row['prefix']}-value", "").strip()
            check["evidence"] = data.get(f"{row['prefix']}-evidence", "").strip()
        checks.append(check)
    return checks
