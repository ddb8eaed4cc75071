from __future__ import annotations

from django import forms

from proactive import selectors
from proactive.sources import SOURCES


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="数据来源", choices=[(s.code, f"{s.department}·{s.title}") for s in SOURCES.values()]
    )
    file = forms.FileField(label="数据文件", help_text="按模板填写的 .xlsx 或 .csv 文件。")


class RunForm(forms.Form):
    clauses = forms.ModelMultipleChoiceField(
        label="免申即享条款", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    period = forms.CharField(
        label="兑现期", max_length=10, initial="2023Q1", help_text="如 2023 或 2023Q1"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = selectors.proactive_clauses()


class ConfirmForm(forms.Form):
    commitment = forms.BooleanField(
        label="我已核对数据、金额和银行账户，并作出信用承诺", required=False
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="放弃理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
