from django.urls import path

from reviews import apis

urlpatterns = [
    path("reviews/queue/", apis.ReviewQueueApi.as_view(), name="api-review-queue"),
    path("reviews/cases/<int:pk>/", apis.ReviewCaseApi.as_view(), name="api-review-case"),
    path("reviews/cases/<int:pk>/claim/", apis.ReviewClaimApi.as_view(), name="api-review-claim"),
    path(
        "reviews/cases/<int:pk>/subject/",
        apis.ReviewSubjectApi.as_view(),
        name="api-review-subject",
    ),
    path(
        "reviews/cases/<int:pk>/assign/", apis.ReviewAssignApi.as_view(), name="api-review-assign"
    ),
    path(
        "reviews/cases/<int:pk>/checks/", apis.ReviewChecksApi.as_view(), name="api-review-checks"
    ),
    path(
        "reviews/cases/<int:pk>/checks/<int:check_id>/confirm/",
        apis.ReviewRaiseConfirmApi.as_view(),
        name="api-review-raise-confirm",
    ),
    path(
        "reviews/cases/<int:pk>/approve/",
        apis.ReviewApproveApi.as_view(),
        name="api-review-approve",
    ),
    path(
        "reviews/cases/<int:pk>/return/", apis.ReviewReturnApi.as_view(), name="api-review-return"
    ),
    path(
        "reviews/cases/<int:pk>/reject/", apis.ReviewRejectApi.as_view(), name="api-review-reject"
    ),
    path("reviews/notices/", apis.NoticeListApi.as_view(), name="api-review-notices"),
    path(
        "reviews/notices/public/",
        apis.NoticePublicApi.as_view(),
        name="api-review-notices-public",
    ),
    path("reviews/objections/", apis.ObjectionListApi.as_view(), name="api-review-objections"),
    path(
        "reviews/objections/<int:objection_id>/accept/",
        apis.ObjectionAcceptApi.as_view(),
        name="api-review-objection-accept",
    ),
    path(
        "reviews/objections/<int:objection_id>/dismiss/",
        apis.ObjectionDismissApi.as_view(),
        name="api-review-objection-dismiss",
    ),
    path(
        "reviews/notices/entries/<int:entry_id>/objections/",
        apis.ObjectionCreateApi.as_view(),
        name="api-review-objection",
    ),
]
