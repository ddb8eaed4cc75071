from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Leadership dashboards: read-only over the other apps (plus its own summary projection)."""

    name = "dashboards"
    label = "dashboards"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        # Other apps enqueue "dashboards.tasks.case_changed" by name; register it in every
        # process (eager mode looks tasks up by name in the web process itself).
        from dashboards import tasks  # noqa: F401
