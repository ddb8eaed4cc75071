from django.urls import path

from portal.accounts import apis

urlpatterns = [
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("tokens/", apis.TokenListCreateApi.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", apis.TokenRevokeApi.as_view(), name="api-token-revoke"),
]
