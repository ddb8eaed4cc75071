from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("calculator/", views.calculator, name="calculator"),
    path("manage/", views.manage, name="manage"),
    path("clauses/<path:code>/edit/", views.clause_rule_edit, name="clause_edit"),
    path("clauses/<path:code>/", views.clause_detail, name="clause"),
    path("<slug:code>/", views.policy_detail, name="detail"),
]
