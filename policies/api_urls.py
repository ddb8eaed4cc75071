from django.urls import path

from policies import apis

urlpatterns = [
    path("calculator/", apis.CalculatorApi.as_view(), name="api-calculator"),
    path("policies/", apis.PolicyListApi.as_view(), name="api-policy-list"),
    path("policies/<slug:code>/", apis.PolicyDetailApi.as_view(), name="api-policy-detail"),
    path("clauses/<path:code>/", apis.ClauseDetailApi.as_view(), name="api-clause-detail"),
]
