from django.urls import path

from enterprises import apis

urlpatterns = [
    path("enterprises/", apis.EnterpriseListApi.as_view(), name="api-enterprise-list"),
    path(
        "enterprises/register/",
        apis.EnterpriseRegisterApi.as_view(),
        name="api-enterprise-register",
    ),
    path("enterprises/me/", apis.EnterpriseMeApi.as_view(), name="api-enterprise-me"),
    path(
        "enterprises/me/indicators/",
        apis.MyIndicatorsApi.as_view(),
        name="api-enterprise-me-indicators",
    ),
    path(
        "enterprises/me/indicators/import/",
        apis.MyIndicatorsImportApi.as_view(),
        name="api-enterprise-me-indicators-import",
    ),
    path("enterprises/me/facts/", apis.MyFactsApi.as_view(), name="api-enterprise-me-facts"),
    path(
        "enterprises/<int:enterprise_id>/",
        apis.EnterpriseDetailApi.as_view(),
        name="api-enterprise-detail",
    ),
    path(
        "enterprises/<int:enterprise_id>/verify/",
        apis.EnterpriseVerifyApi.as_view(),
        name="api-enterprise-verify",
    ),
    path(
        "enterprises/<int:enterprise_id>/reject/",
        apis.EnterpriseRejectApi.as_view(),
        name="api-enterprise-reject",
    ),
    path(
        "enterprises/<int:enterprise_id>/indicators/",
        apis.EnterpriseIndicatorsApi.as_view(),
        name="api-enterprise-indicators",
    ),
    path(
        "enterprises/<int:enterprise_id>/facts/",
        apis.EnterpriseFactsApi.as_view(),
        name="api-enterprise-facts",
    ),
]
