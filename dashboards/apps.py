from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Leadership dashboards: read-only over the other apps (plus its own summary projection)."""

    name = "dashboards"
    label = "dashboards"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        # the projection follows the case and payment events; its tasks are registered in every
        # process (eager mode looks a task up by name in the web process itself)
        from dashboards import (
            subscribers,
            tasks,  # noqa: F401
        )

        subscribers.connect()
