"""Forms of the case pages (the facts form comes from ``policies.forms.FactsForm``)."""

from __future__ import annotations

from django import forms

from applications.files import ALLOWED_LABEL, MAX_MATERIAL_LABEL
from policies.models import Clause


class NewApplicationForm(forms.Form):
    clause = forms.ModelChoiceField(label="政策条款", queryset=Clause.objects.none())
    period = forms.CharField(
        label="申报期", max_length=10, help_text="年度如 2023；季度如 2023Q1；半年如 2023H1。"
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
