from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from portal.core import signals

        signals.connect()
