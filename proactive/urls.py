app_name = "proactive"
urlpatterns: list = []
