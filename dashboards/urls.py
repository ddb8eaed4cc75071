from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.cases, name="cases"),
    path("cases/export/", views.cases_export, name="cases_export"),
    path("ratings/", views.ratings, name="ratings"),
]
