from django.urls import path

from portal.accounts import apis

urlpatterns = [
    path("me/", apis.MeApi.as_view(), name="api-me"),
]
