from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", views.queue_export, name="queue_export"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/claim/", views.case_claim, name="claim"),
    path("cases/<int:pk>/subject/", views.case_subject, name="subject"),
    path("cases/<int:pk>/assign/", views.case_assign, name="assign"),
    path("cases/<int:pk>/checks/", views.case_checks, name="checks"),
    path(
        "cases/<int:pk>/checks/<int:check_id>/confirm/",
        views.case_confirm_raise,
        name="confirm_raise",
    ),
    path("cases/<int:pk>/return/", views.case_return, name="return"),
    path("cases/<int:pk>/approve/", views.case_approve, name="approve"),
    path("cases/<int:pk>/reject/", views.case_reject, name="reject"),
    path("cases/<int:pk>/override/", views.case_override, name="override"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("ratings/", views.ratings, name="ratings"),
    path("ratings/<int:rating_id>/follow-up/", views.rating_follow_up, name="rating_follow_up"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:batch_id>/close/", views.notice_close, name="notice_close"),
    path("notices/public/", views.notice_public, name="notice_public"),
    path("notices/public/<int:entry_id>/object/", views.notice_object, name="notice_object"),
    path(
        "notices/objections/<int:objection_id>/accept/",
        views.objection_accept,
        name="objection_accept",
    ),
    path(
        "notices/objections/<int:objection_id>/dismiss/",
        views.objection_dismiss,
        name="objection_dismiss",
    ),
    path("audit/", views.audit, name="audit"),
]
