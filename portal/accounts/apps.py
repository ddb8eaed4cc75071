from axes.apps import AppConfig as _AxesConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as _TotpConfig


class AccountsConfig(AppConfig):
    default = True  # the module also holds the configs below
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from portal.accounts import login_delay

        def failed(sender, credentials, request=None, **kwargs) -> None:
            login_delay.login_failure_record(str(credentials.get("username") or ""))

        def logged_in(sender, request, user, **kwargs) -> None:
            login_delay.login_success_record(user.get_username())

        user_login_failed.connect(failed, dispatch_uid="login-delay-failed", weak=False)
        user_logged_in.connect(logged_in, dispatch_uid="login-delay-success", weak=False)


class AxesConfig(_AxesConfig):
    """django-axes under a Chinese name in the admin."""

    verbose_name = "登录安全"


class TotpConfig(_TotpConfig):
    """django-otp's TOTP devices under Chinese names in the admin; the model's names are set on
    its options only (not its migration state), so no migration of the package changes."""

    verbose_name = "动态口令"

    def ready(self) -> None:
        super().ready()
        options = self.get_model("TOTPDevice")._meta
        options.verbose_name = "动态口令设备"
        options.verbose_name_plural = "动态口令设备"
