from django.urls import path

from dashboards import apis

urlpatterns = [
    path("dashboards/summary/", apis.DashboardSummaryApi.as_view(), name="dashboards-summary"),
    path("dashboards/cases/", apis.DashboardCaseListApi.as_view(), name="dashboards-cases"),
]
