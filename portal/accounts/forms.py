from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator

from portal.accounts.login_delay import delay_message, login_delay_remaining
from portal.core.audit import audit_append
from portal.core.net import client_ip


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（密码区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    username = forms.CharField(
        label="用户名",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self):
        # the growing delay after failures (portal/accounts/login_delay.py): the password is
        # not even checked before it has passed
        username = self.cleaned_data.get("username") or ""
        wait = login_delay_remaining(username)
        if wait:
            audit_append(
                kind="auth.login_delayed",
                actor=username[:150],
                data={"ip": client_ip(self.request), "wait": wait},
            )
            raise forms.ValidationError(delay_message(wait), code="delayed")
        return super().clean()


class ReauthForm(forms.Form):
    """The password again (and the authenticator's code for staff when 2FA is on)."""

    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autofocus": True, "autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="动态口令",
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 8}
        ),
    )

    def __init__(self, *args, needs_otp: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not needs_otp:
            del self.fields["otp_token"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="用途", max_length=60, help_text="如“统计系统对接”，便于以后辨认。"
    )
    days = forms.IntegerField(label="有效期（天）", min_value=1, initial=30)

    def __init__(self, *args, max_days: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = max_days
        self.fields["days"].validators.append(MaxValueValidator(max_days))
        self.fields["days"].help_text = f"1 至 {max_days} 天。"
