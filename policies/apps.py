from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "政策库"

    def ready(self) -> None:
        # Clauses defined as data (policies.definitions) join the engine's registry.
        from policies import engine
        from policies.definitions import SOURCE

        engine.add_source(SOURCE)
