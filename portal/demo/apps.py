from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (`make run`). Depends on every app; nothing depends on it."""

    name = "portal.demo"
    label = "demo"
    verbose_name = "演示数据"
