from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报案件"

    def ready(self) -> None:
        from applications import selectors, subscribers
        from portal.core import links

        subscribers.connect()
        links.badge("applications:notifications").provide(selectors.unread_count)

        from applications.selectors import impact_cases_of
        from policies.impact import impact_source_register

        impact_source_register(impact_cases_of)  # the rule editor previews the case file's cases
