from django.urls import path

from policies import studio_views, views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("calculator/", views.calculator, name="calculator"),
    path("manage/", views.manage, name="manage"),
    path("studio/", studio_views.studio_index, name="studio"),
    path("studio/new/", studio_views.studio_policy_new, name="studio_policy_new"),
    path("studio/import/", studio_views.studio_policy_import, name="studio_import"),
    path("studio/<slug:code>/export/", studio_views.studio_policy_export, name="studio_export"),
    path("studio/<slug:code>/", studio_views.studio_policy, name="studio_policy"),
    path("studio/<slug:code>/clauses/new/", studio_views.studio_clause, name="studio_clause_new"),
    path(
        "studio/<slug:code>/clauses/<int:article>/",
        studio_views.studio_clause,
        name="studio_clause",
    ),
    path(
        "studio/<slug:code>/clauses/<int:article>/open/",
        studio_views.studio_clause_open,
        name="studio_clause_open",
    ),
    path("clauses/<path:code>/edit/", views.clause_rule_edit, name="clause_edit"),
    path("clauses/<path:code>/", views.clause_detail, name="clause"),
    path("<slug:code>/", views.policy_detail, name="detail"),
]
