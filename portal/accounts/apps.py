from django.apps import AppConfig


class AccountsConfig(AppConfig):
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
