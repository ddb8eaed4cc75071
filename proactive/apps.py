from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    """免申即享: government data in, every qualifying enterprise found, proposals confirmed."""

    name = "proactive"
    verbose_name = "免申即享"
