from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (`make run`). Depends on every app; nothing depends on it."""

    name = "demo"
    label = "demo"
    verbose_name = "演示数据"
