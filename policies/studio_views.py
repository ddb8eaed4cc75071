"""The policy studio's pages (政策管理员, admin): thin, the logic is in ``policies.studio``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from policies import studio, studio_import
from policies.importing import PolicyFileInvalid, policy_export_yaml
from policies.models import Clause, ClauseDraft, Policy
from policies.rules import rule_versions_on
from portal.accounts.models import Role
from portal.accounts.reauth import reauth_is_recent, reauth_redirect
from portal.core.audit import audit_download
from portal.core.errors import DomainError
from portal.core.text import clean_name, fold_width, has_nul

PUBLISH_SHOWN = {"article": "条号", "title": "条款标题", "note": "发布说明"}
IMPORT_SHOWN = {"file_name": "政策文件"}


def _officer(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in {Role.POLICY_ADMIN, Role.SYS_ADMIN}:
        raise PermissionDenied


class PolicyNewForm(forms.Form):
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如 郑政〔2026〕3号")
    title = forms.CharField(label="政策标题", max_length=200)
    issuer = forms.CharField(label="发文机关", max_length=100)
    level = forms.ChoiceField(label="层级", choices=Policy.Level.choices, initial=Policy.Level.CITY)
    issued_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}))
    effective_from = forms.DateField(
        label="施行日期", required=False, help_text="不填则为发布日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    effective_to = forms.DateField(
        label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    original_text = forms.CharField(
        label="政策原文", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        for name in ("doc_number", "title", "issuer", "original_text"):
            if name in data:
                if has_nul(data[name]):
                    self.add_error(name, "含有无法保存的字符。")
                    continue
                data[name] = (
                    clean_name(data[name]) if name != "original_text" else data[name].strip()
                )
        if data.get("doc_number") and Policy.objects.filter(doc_number=data["doc_number"]).exists():
            self.add_error("doc_number", "已有相同文号的政策。")
        start = data.get("effective_from") or data.get("issued_on")
        if start and data.get("effective_to") and data["effective_to"] < start:
            self.add_error("effective_to", "有效期至不能早于施行日期。")
        for name in ("issued_on", "effective_from", "effective_to"):
            day = data.get(name)
            if day and not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, "日期超出范围。")
        return data


@login_required
def studio_index(request: HttpRequest) -> HttpResponse:
    _officer(request)
    policies = (  # built here, or holding clauses defined as data (imported, Henan's)
        Policy.objects.filter(
            Q(code__startswith="zc-")
            | Q(drafts__isnull=False)
            | Q(clauses__versions__definition__isnull=False)
        )
        .distinct()
        .annotate(
            clause_count=Count("clauses", distinct=True),
            unpublished=Count(
                "drafts", filter=Q(drafts__published_version__isnull=True), distinct=True
            ),
        )
        .order_by("-issued_on", "code")
    )
    median, published = studio.studio_built_in_median()
    return render(
        request,
        "policies/studio/index.html",
        {"policies": policies, "median": studio.built_in_words(median), "timed": published},
    )


@login_required
def studio_policy_new(request: HttpRequest) -> HttpResponse:
    _officer(request)
    form = PolicyNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy = studio.policy_create(values=form.cleaned_data, actor=request.user)
        messages.success(request, f"已新建政策 {policy.doc_number}（草稿）。下一步：添加条款。")
        return redirect("policies:studio_policy", code=policy.code)
    return render(request, "policies/studio/policy_new.html", {"form": form})


@login_required
def studio_policy_import(request: HttpRequest) -> HttpResponse:
    """Upload a policy file → preview (nothing written) → confirm (re-authenticated) → import."""
    _officer(request)
    preview, errors = None, []
    if request.method == "POST" and request.POST.get("action") == "confirm":
        name = clean_name(request.POST.get("file_name", ""))[:100]
        if not reauth_is_recent(request):
            here = reverse("policies:studio_import")
            return reauth_redirect(request, action="导入政策", back=here, show=IMPORT_SHOWN)
        try:
            report = studio_import.policy_upload_import(
                text=request.POST.get("text", ""), name=name, actor=request.user
            )
        except PolicyFileInvalid as exc:
            errors = exc.messages
        else:
            policy = Policy.objects.get(code=report.policy)
            messages.success(
                request,
                f"已导入政策 {policy.doc_number}：{report.clauses}个条款，新建规则版本"
                f"{len(report.versions_created)}个，未变{len(report.unchanged)}个。",
            )
            return redirect("policies:detail", code=policy.code)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        name = upload.name if upload else ""
        try:
            text = studio_import.policy_upload_text(
                name=name,
                content=upload.read(studio_import.MAX_BYTES + 1) if upload else b"",
            )
            preview = studio_import.policy_upload_preview(text=text, name=clean_name(name)[:100])
        except PolicyFileInvalid as exc:
            errors = exc.messages
    return render(
        request,
        "policies/studio/import.html",
        {"preview": preview, "errors": errors, "max_mb": studio_import.MAX_BYTES // 1024 // 1024},
    )


def _policy(code: str) -> Policy:
    policy = Policy.objects.filter(code=code).first()
    if policy is None:
        raise Http404
    return policy


@login_required
def studio_policy(request: HttpRequest, code: str) -> HttpResponse:
    _officer(request)
    policy = _policy(code)
    drafts = list(policy.drafts.select_related("published_version", "updated_by"))
    published = {c.article: c for c in Clause.objects.filter(policy=policy)}
    rows = [(d, published.get(d.article), studio.built_in_words(d.built_in)) for d in drafts]
    drafted = {d.article for d in drafts}
    # clauses published without the editor (a policy file, the library): opened on request
    others = [c for a, c in sorted(published.items()) if a not in drafted]
    versions = rule_versions_on([c.pk for c in others])
    others = [(c, bool(versions.get(c.pk) and versions[c.pk].definition)) for c in others]
    return render(
        request, "policies/studio/policy.html", {"policy": policy, "rows": rows, "others": others}
    )


@login_required
@require_POST
def studio_clause_open(request: HttpRequest, code: str, article: int) -> HttpResponse:
    """A published clause without a draft into the editor (its definition in YAML mode)."""
    _officer(request)
    policy = _policy(code)
    clause = Clause.objects.filter(policy=policy, article=article).first()
    if clause is None:
        raise Http404
    try:
        draft = studio.draft_from_clause(clause=clause, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("policies:studio_policy", code=policy.code)
    return redirect("policies:studio_clause", code=policy.code, article=draft.article)


@login_required
def studio_clause(request: HttpRequest, code: str, article: int | None = None) -> HttpResponse:
    _officer(request)
    policy = _policy(code)
    draft = None
    if article is not None:
        draft = ClauseDraft.objects.filter(policy=policy, article=article).first()
        if draft is None:
            raise Http404
    errors: list[str] = []
    if request.method == "POST":
        typed = request.POST.get("article", "")
        draft = studio.clause_draft_save(
            policy=policy, draft=draft, form=request.POST.dict(), actor=request.user
        )
        locked = studio.draft_article_locked(draft)
        if locked and draft.form.get("article") != fold_width(typed).strip():
            messages.warning(request, locked)
        here = reverse("policies:studio_clause", args=[policy.code, draft.article])
        if request.POST.get("action") == "publish" and not reauth_is_recent(request):
            if article is None:  # a new clause: saved; published from its own page
                messages.info(request, "草稿已保存。发布前需要验证身份：请检查后在本页点击“发布”。")
                return redirect(here)
            return reauth_redirect(request, action="发布条款", back=here, show=PUBLISH_SHOWN)
        if request.POST.get("action") == "publish":
            try:
                version = studio.clause_draft_publish(
                    draft=draft, actor=request.user, note=request.POST.get("note", "")
                )
            except DomainError as exc:
                errors = list(exc.errors.values()) if exc.errors else [exc.message]
            else:
                messages.success(
                    request,
                    f"已发布第{version.clause.article}条 第{version.number}版，"
                    f"自{version.effective_from:%Y-%m-%d}起生效。",
                )
                return redirect("policies:studio_policy", code=policy.code)
        else:
            messages.info(request, "草稿已保存。")
            return redirect("policies:studio_clause", code=policy.code, article=draft.article)
    form = draft.form if draft else studio.draft_initial(policy)
    built = studio.draft_build(policy, form) if draft else None
    impact = studio.draft_impact(built=built) if built and draft.published_version_id else None
    fe = built.field_errors if built else {}
    return render(
        request,
        "policies/studio/clause.html",
        {
            "policy": policy,
            "draft": draft,
            "f": form,
            "built": built,
            "publish_errors": errors,
            "article_locked": studio.draft_article_locked(draft),
            "built_in": studio.built_in_words(draft.built_in) if draft else "",
            "impact": impact,
            "known": sorted(studio.known_facts().items(), key=lambda kv: kv[1][0]),
            "facts": _with_errors(
                _rows(form, "fact", studio.FACT_SLOTS, ("src", "label", "type", "unit")), "fact", fe
            ),
            "fact_errors": [(k, m) for k, m in fe.items() if k.startswith("fact")],
            "conds": _with_errors(
                _rows(form, "cond", studio.CONDITION_SLOTS, ("fact", "op", "value", "unit")),
                "cond",
                fe,
            ),
            "cond_errors": [(k, m) for k, m in fe.items() if k.startswith("cond")],
            "tiers": _with_errors(
                _rows(form, "tier", studio.TIER_SLOTS, ("op", "value", "unit", "amount")),
                "tier",
                fe,
            ),
            "tier_errors": [(k, m) for k, m in fe.items() if k.startswith("tier")],
            "levels": _with_errors(
                _rows(form, "level", studio.LEVEL_SLOTS, ("name", "amount")), "level", fe
            ),
            "level_errors": [
                (k, m) for k, m in fe.items() if k.startswith("level") and k != "level_label"
            ],
            "tests": [
                {
                    **row,
                    "cells": [
                        (s, form.get(f"test{row['i']}_f{s}", ""), row["err"].get(f"f{s}"))
                        for s in range(1, studio.FACT_SLOTS + 1)
                    ],
                }
                for row in _with_errors(
                    _rows(form, "test", studio.TEST_SLOTS, ("why", "amount", "level", "prev")),
                    "test",
                    fe,
                )
            ],
            "test_errors": [(k, m) for k, m in fe.items() if k.startswith("test")],
            "fe": fe,
            "parts": _parts(form, fe),
            "part_shapes": [(v, studio.SHAPES[v].split("（")[0]) for v in studio.PART_SHAPES],
            "part_words": ("是", "否", "以上", "达到", "超过"),
            "fact_types": studio.NEW_FACT_TYPES,
            "compare_words": studio.COMPARE_WORDS,
            "shapes": studio.SHAPES.items(),
            "categories": Clause.Category.choices,
            "modes": Clause.Redemption.choices,
            "paths": Clause.ReviewPath.choices,
        },
    )


PART_FIELDS = ("shape", "label", "cond_fact", "cond_op", "cond_value", "cond_unit", "amount", "of",
               "rate", "step", "step_unit", "per_step", "cap")  # fmt: skip


def _parts(form: dict, fe: dict) -> list[dict]:
    """The parts of 多项相加/就高 (``p{k}_…`` fields) as blocks, each with its fields' messages."""
    out = []
    for k in range(1, studio.PART_SLOTS + 1):
        p = f"p{k}_"
        tiers = _rows(form, f"{p}tier", studio.PART_TIER_SLOTS, ("op", "value", "unit", "amount"))
        tiers = _with_errors(tiers, f"{p}tier", fe)
        out.append({
            "i": k, "n": str(k), "tiers": tiers,
            **{key: form.get(p + key, "") for key in PART_FIELDS},
            "err": {key[len(p):]: m for key, m in fe.items() if key.startswith(p)},
            "cond_errors": [(key, m) for key, m in fe.items() if key.startswith(p + "cond_")],
            "tier_errors": [(key, m) for key, m in fe.items() if key.startswith(p + "tier")],
        })  # fmt: skip
    return out


def _with_errors(rows: list[dict], prefix: str, fe: dict) -> list[dict]:
    """Each row's fields' messages (``err``), for the fields of a table row."""
    for row in rows:
        p = f"{prefix}{row['i']}_"
        row["err"] = {key[len(p) :]: m for key, m in fe.items() if key.startswith(p)}
    return rows


def _rows(form: dict, prefix: str, count: int, keys: tuple[str, ...]) -> list[dict]:
    """The numbered fields ``{prefix}{i}_{key}`` of the editor as rows for the template."""
    return [
        {"i": i, **{k: form.get(f"{prefix}{i}_{k}", "") for k in keys}} for i in range(1, count + 1)
    ]


@login_required
def studio_policy_export(request: HttpRequest, code: str) -> HttpResponse:
    """The policy as the file ``import_policy`` and the import page read (a pattern to copy for a
    new policy, or a copy to keep); a download, audited."""
    _officer(request)
    if not Policy.objects.filter(code=code).exists():
        raise Http404
    text = policy_export_yaml(code=code)
    audit_download(request, what="policy_file", object_ref=f"policy:{code}")
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}.yaml"'
    return response
