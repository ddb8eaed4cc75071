from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "资金兑付"

    def ready(self) -> None:
        from finance import selectors, services, tasks
        from portal.core import links

        links.PAYMENT_STATUS.provide(selectors.application_payment_status)
        links.BUDGET_CHECK.provide(services.budget_check)
        links.PAYABLES_ON_DETERMINATION.provide(tasks.payables_create_after_commit)
