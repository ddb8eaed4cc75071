from django.urls import path

from proactive import views

app_name = "proactive"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("imports/", views.imports, name="imports"),
    path("imports/template/<str:source>/", views.template_download, name="template"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/resume/", views.run_resume, name="run_resume"),
    path("runs/<int:pk>/export/", views.run_export, name="run_export"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/confirm/", views.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
]
