from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报案件"

    def ready(self) -> None:
        from applications import subscribers

        subscribers.connect()
