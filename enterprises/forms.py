"""Forms only parse input and show per-field Chinese errors; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from enterprises.catalogue import IndicatorName
from enterprises.models import Enterprise
from enterprises.services import normalize_enterprise_data
from portal.accounts.models import District
from portal.accounts.usernames import USERNAME_UNAVAILABLE, username_unavailable
from portal.core.errors import DomainError

ENTERPRISE_FIELDS = (
    "credit_code",
    "name",
    "district",
    "industry_division",
    "above_scale",
    "legal_representative",
    "contact_name",
    "contact_mobile",
    "bank_name",
    "bank_account",
    "bank_account_name",
)


def apply_domain_errors(
    form: forms.BaseForm, exc: DomainError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's errors next to the fields they concern (the rest above the form)."""
    rename = rename or {}
    for key, message in exc.errors.items():
        field = rename.get(key, key)
        form.add_error(field if field in form.fields else None, message)


def _active_districts():
    return District.objects.filter(active=True).order_by("sort_order", "code")


class _EnterpriseFieldsForm(forms.ModelForm):
    """Model validation (credit code, mobile, account, account name) runs in the form too."""

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {
            "credit_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "bank_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "contact_mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "district" in self.fields:
            self.fields["district"].queryset = _active_districts()
            self.fields["district"].empty_label = "请选择所属区县"
        if "industry_division" in self.fields:
            field = self.fields["industry_division"]
            field.choices = [("", "请选择行业大类"), *list(field.choices)[1:]]
        # People paste codes with spaces; the length rule is checked after normalising.
        for name, length in (("credit_code", 40), ("bank_account", 45)):
            if name in self.fields:
                self.fields[name].max_length = length
                self.fields[name].validators = []
                self.fields[name].widget.attrs["maxlength"] = str(length)

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned.update(normalize_enterprise_data({k: cleaned[k] for k in cleaned}))
        return cleaned

    def enterprise_data(self) -> dict[str, object]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data}


class RegistrationForm(_EnterpriseFieldsForm):
    username = forms.CharField(
        label="登录用户名",
        max_length=150,
        help_text="字母、数字或 @ . + - _，用于以后登录。",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label="登录密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    account_fields = ("username", "password1", "password2")
    company_fields = ("credit_code", "name", "district", "industry_division", "above_scale")
    people_fields = ("legal_representative", "contact_name", "contact_mobile")
    bank_fields = ("bank_name", "bank_account", "bank_account_name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username_unavailable(username):
            raise forms.ValidationError(USERNAME_UNAVAILABLE)
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned

    def user_data(self) -> dict[str, object]:
        return {
            "username": self.cleaned_data["username"],
            "password": self.cleaned_data["password1"],
        }

    def section(self, names: tuple[str, ...]) -> list:
        return [self[name] for name in names]

    @property
    def sections(self) -> list[tuple[str, str, list]]:
        return [
            (
                "登录账号",
                "注册人即企业主账号，以后可为本企业添加其他用户。",
                self.section(self.account_fields),
            ),
            (
                "企业基本信息",
                "请与营业执照保持一致，区县工信局将据此核验。",
                self.section(self.company_fields),
            ),
            ("法定代表人和联系人", "", self.section(self.people_fields)),
            (
                "对公银行账户",
                "奖补资金只拨付到企业本单位对公账户。",
                self.section(self.bank_fields),
            ),
        ]


class ProfileForm(_EnterpriseFieldsForm):
    """The enterprise's own details. Name and district lock once verified; bank: primary only."""

    class Meta(_EnterpriseFieldsForm.Meta):
        fields = tuple(f for f in ENTERPRISE_FIELDS if f != "credit_code")

    def __init__(self, *args, can_edit_identity: bool, can_edit_bank: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_edit_identity:
            for name in ("name", "district"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "企业已通过核验，如需变更请联系所在区县工信局。"
        if not can_edit_bank:
            for name in ("bank_name", "bank_account", "bank_account_name"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "银行账户只能由企业主账号修改。"


class MemberInviteForm(forms.Form):
    username = forms.CharField(label="登录用户名", max_length=150)
    name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=11)
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned


class IndicatorForm(forms.Form):
    name = forms.ChoiceField(label="指标", choices=[("", "请选择指标"), *IndicatorName.choices])
    period = forms.CharField(
        label="期间",
        max_length=20,
        help_text="2023（年度）、2023H1（半年）、2023Q1（季度）或 2023-01（月份）",
        widget=forms.TextInput(attrs={"placeholder": "如 2023Q1"}),
    )
    value = forms.CharField(
        label="数值",
        max_length=30,
        help_text="金额以元为单位（最多两位小数），用电量以千瓦时计，人数取整数。",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="请使用下载的模板填写；文件不超过5MB。",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="未通过原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="企业将看到该原因，并据此修改后重新提交。",
        error_messages={"required": "请填写核验未通过的原因，企业将据此修改信息。"},
    )


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label="名称或信用代码", required=False)
    district = forms.ModelChoiceField(
        label="区县",
        queryset=District.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部区县",
    )
    status = forms.ChoiceField(
        label="核验状态", required=False, choices=[("", "全部"), *Enterprise.Status.choices]
    )
    above_scale = forms.ChoiceField(
        label="规模", required=False, choices=[("", "全部"), ("1", "规模以上"), ("0", "规模以下")]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _active_districts()
