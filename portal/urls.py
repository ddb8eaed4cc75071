"""URL configuration: one include per app for pages and one per app under /api/v1/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dashboards import views as dashboards_views
from portal.core import views as core_views

api_v1 = [
    path("", include("portal.accounts.api_urls")),
    path("", include("policies.api_urls")),
    path("", include("enterprises.api_urls")),
    path("", include("applications.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("finance.api_urls")),
    path("", include("proactive.api_urls")),
    path("", include("dashboards.api_urls")),
]

urlpatterns = [
    path("", dashboards_views.home, name="home"),  # each role's 工作台
    path("health/", core_views.health, name="health"),
    path("accounts/", include("portal.accounts.urls")),
    path("policies/", include("policies.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("applications/", include("applications.urls")),
    path("reviews/", include("reviews.urls")),
    path("finance/", include("finance.urls")),
    path("proactive/", include("proactive.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "郑州市惠企政策兑现平台 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "基础数据维护"

handler403 = "portal.core.views.error_403"
handler404 = "portal.core.views.error_404"
handler500 = "portal.core.views.error_500"
