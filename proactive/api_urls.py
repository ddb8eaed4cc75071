from django.urls import path

from proactive import apis

P = "proactive/"
urlpatterns = [
    path(f"{P}imports/", apis.ImportListApi.as_view(), name="api-proactive-imports"),
    path(f"{P}imports/upload/", apis.ImportApi.as_view(), name="api-proactive-import"),
    path(f"{P}import-jobs/", apis.ImportJobListApi.as_view(), name="api-proactive-import-jobs"),
    path(f"{P}runs/", apis.RunListApi.as_view(), name="api-proactive-runs"),
    path(f"{P}runs/<int:pk>/", apis.RunDetailApi.as_view(), name="api-proactive-run"),
    path(f"{P}runs/<int:pk>/resume/", apis.RunResumeApi.as_view(), name="api-proactive-resume"),
    path(
        f"{P}runs/<int:pk>/proposals/",
        apis.RunProposalListApi.as_view(),
        name="api-proactive-run-proposals",
    ),
    path(
        f"{P}runs/<int:pk>/outreach/",
        apis.RunOutreachListApi.as_view(),
        name="api-proactive-run-outreach",
    ),
    path(f"{P}proposals/", apis.ProposalListApi.as_view(), name="api-proactive-proposals"),
    path(
        f"{P}proposals/<int:pk>/confirm/",
        apis.ProposalConfirmApi.as_view(),
        name="api-proactive-confirm",
    ),
    path(
        f"{P}proposals/<int:pk>/decline/",
        apis.ProposalDeclineApi.as_view(),
        name="api-proactive-decline",
    ),
]
