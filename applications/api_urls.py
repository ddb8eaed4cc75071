from django.urls import path

from applications import apis

urlpatterns = [
    path("applications/", apis.ApplicationListApi.as_view(), name="api-application-list"),
    path(
        "applications/<int:pk>/", apis.ApplicationDetailApi.as_view(), name="api-application-detail"
    ),
    path(
        "applications/<int:pk>/materials/",
        apis.MaterialUploadApi.as_view(),
        name="api-application-materials",
    ),
    path(
        "applications/<int:pk>/submit/",
        apis.ApplicationSubmitApi.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        apis.ApplicationWithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<int:pk>/resubmit/",
        apis.ApplicationResubmitApi.as_view(),
        name="api-application-resubmit",
    ),
    path(
        "applications/<int:pk>/events/",
        apis.ApplicationEventsApi.as_view(),
        name="api-application-events",
    ),
    path(
        "applications/<int:pk>/documents/<slug:kind>.pdf",
        apis.ApplicationDocumentApi.as_view(),
        name="api-application-document",
    ),
    path(
        "applications/<int:pk>/rating/",
        apis.ApplicationRatingApi.as_view(),
        name="api-application-rating",
    ),
    path("notifications/", apis.NotificationListApi.as_view(), name="api-notification-list"),
]
