"""Forms of the case pages (the facts form comes from ``policies.forms.FactsForm``)."""

from __future__ import annotations

from django import forms

from applications.files import ALLOWED_LABEL, MAX_MATERIAL_LABEL
from policies.models import Clause


class NewApplicationForm(forms.Form):
    clause = forms.ModelChoiceField(label="政策条款", queryset=Clause.objects.none())
    period = forms.CharField(
        label="申报年度",
        max_length=20,
        required=False,
        help_text="按条款的兑现方式确定申报期：年度奖励填年份如 2023；一次性奖励和政策规定期间的奖励"
        "可不填；按季度、半年兑现的填 2023Q1、2023H1。",
    )
    subject = forms.CharField(
        label="申报对象",
        max_length=200,
        required=False,
        help_text="按项目、产品、称号、活动或平台奖励的条款必填（名称与证明材料一致），每个对象只奖励一次。",
    )

    def __init__(self, *args, clauses: list[Clause], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = Clause.objects.filter(pk__in=[c.pk for c in clauses])
        self.fields["clause"].label_from_instance = str


class MaterialForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(
        label="文件", help_text=f"支持{ALLOWED_LABEL}，单个文件不超过 {MAX_MATERIAL_LABEL}。"
    )


class SubmitForm(forms.Form):
    commitment = forms.BooleanField(label="我已阅读并同意以上信用承诺", required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}))
