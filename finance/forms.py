"""Forms of the finance pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms

from finance.models import PayableShare
from policies.models import Policy
from portal.accounts.models import District
from portal.core.errors import DomainError
from portal.core.money import MoneyError, parse_yuan

# A date input reads and shows only ISO dates: without the format Django renders the zh-hans
# DATE_INPUT_FORMATS[0] ("2026/12/07"), which the browser drops, leaving the field empty.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _policy_choices() -> list[tuple[str, str]]:
    return [("", "全部政策")] + [(p.code, p.doc_number) for p in Policy.objects.order_by("code")]


def _district_choices() -> list[tuple[str, str]]:
    return [("", "全部区县")] + [(d.code, d.name) for d in District.objects.filter(active=True)]


class ShareFilterForm(forms.Form):
    policy = forms.ChoiceField(label="政策", required=False)
    district = forms.ChoiceField(label="企业所在区县", required=False)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            ("", "全部状态"),
            ("open", "未支付（待拨付、已组批、支付失败）"),
            *PayableShare.Status.choices,
        ],
    )
    due_after = forms.DateField(label="应付日期不早于", required=False, widget=DATE)
    due_before = forms.DateField(label="应付日期不晚于", required=False, widget=DATE)
    overdue = forms.BooleanField(label="仅看逾期", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = _policy_choices()
        self.fields["district"].choices = _district_choices()

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class BatchFilterForm(ShareFilterForm):
    """Which due shares go into a new batch (status is always 待拨付/支付失败)."""

    note = forms.CharField(label="批次备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        del self.fields["overdue"]
        del self.fields["due_after"]

    def filters(self) -> dict:
        found = super().filters()
        found.pop("note", None)
        return found


class MarkPaidForm(forms.Form):
    voucher_no = forms.CharField(
        label="银行凭证号",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "银行凭证号", "size": 14}),
    )
    paid_on = forms.DateField(label="支付日期", widget=DATE)

    def __init__(self, *args, paid_on_range: tuple | None = None, **kwargs) -> None:
        """``paid_on_range`` (first, last): the dates allowed, pre-filled with the last (today)."""
        super().__init__(*args, **kwargs)
        if paid_on_range:
            first, last = paid_on_range
            self.fields["paid_on"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
            self.initial.setdefault("paid_on", last)


class MarkFailedForm(forms.Form):
    reason = forms.CharField(
        label="失败原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "失败原因", "size": 14}),
    )


class BankReturnForm(forms.Form):
    file = forms.FileField(label="银行回单（.xlsx：账号、金额、凭证号、日期、结果）")


class YuanField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_yuan(value)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ClawbackOpenForm(forms.Form):
    application_id = forms.IntegerField(label="案件ID", min_value=1)
    finding = forms.CharField(label="追回事由", widget=forms.Textarea(attrs={"rows": 3}))
    amount = YuanField(label="追回金额（元）")
    due_date = forms.DateField(label="退回期限", widget=DATE)
    block_until = forms.DateField(label="限制申报至", required=False, widget=DATE)


class RepaymentForm(forms.Form):
    amount = YuanField(label="到账金额（元）")
    received_on = forms.DateField(label="到账日期", widget=DATE)
    voucher_no = forms.CharField(label="凭证号", max_length=60, required=False)


def apply_domain_errors(form: forms.Form, exc: DomainError) -> None:
    for name, message in exc.errors.items():
        form.add_error(name if name in form.fields else None, message)
