from django.urls import path

from finance import views

app_name = "finance"
urlpatterns = [
    path("shares/", views.shares, name="shares"),
    path("shares/<int:share_id>/milestone/", views.milestone_confirm, name="milestone_confirm"),
    path("shares/<int:share_id>/payee/", views.payee_reverify, name="payee_reverify"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/export/", views.batch_export, name="batch_export"),
    path("batches/<int:batch_id>/return/", views.batch_upload_return, name="batch_upload_return"),
    path(
        "batches/<int:batch_id>/shares/<int:share_id>/paid/",
        views.batch_mark_paid,
        name="batch_mark_paid",
    ),
    path(
        "batches/<int:batch_id>/shares/<int:share_id>/failed/",
        views.batch_mark_failed,
        name="batch_mark_failed",
    ),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("clawbacks/", views.clawbacks, name="clawbacks"),
    path(
        "clawbacks/<int:clawback_id>/repayments/",
        views.clawback_repayment,
        name="clawback_repayment",
    ),
]
