from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "申报企业"

    def ready(self) -> None:
        from enterprises.facts import facts_for_user, known_fact_choices
        from portal.core import links

        links.FACTS_PREFILL.provide(facts_for_user)
        links.KNOWN_FACTS.provide(known_fact_choices)
