from django.urls import path

from finance import apis

urlpatterns = [
    path("finance/shares/", apis.ShareListApi.as_view(), name="api-finance-shares"),
    path(
        "finance/shares/<int:share_id>/payee/",
        apis.SharePayeeReverifyApi.as_view(),
        name="api-finance-payee-reverify",
    ),
    path("finance/batches/", apis.BatchListCreateApi.as_view(), name="api-finance-batches"),
    path(
        "finance/batches/<int:batch_id>/",
        apis.BatchDetailApi.as_view(),
        name="api-finance-batch",
    ),
    path(
        "finance/batches/<int:batch_id>/shares/<int:share_id>/mark-paid/",
        apis.BatchMarkPaidApi.as_view(),
        name="api-finance-mark-paid",
    ),
    path(
        "finance/batches/<int:batch_id>/shares/<int:share_id>/mark-failed/",
        apis.BatchMarkFailedApi.as_view(),
        name="api-finance-mark-failed",
    ),
]
