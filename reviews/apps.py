from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审核"

    def ready(self) -> None:
        from applications.ratings import open_follow_up_count
        from portal.core import links

        links.badge("reviews:ratings").provide(open_follow_up_count)
