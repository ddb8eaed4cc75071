from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.core import checks

        import portal.celery  # noqa: F401  (the Celery app, so @shared_task binds to it)
        from portal.core import admin_audit, signals
        from portal.core.checks import audit_retention_check
        from portal.core.links import links_check

        signals.connect()
        admin_audit.connect()
        checks.register(audit_retention_check)
        checks.register(links_check)
