from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/resubmit/", views.resubmit, name="resubmit"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/import/", views.indicators_import, name="indicators_import"),
    path("indicators/template.xlsx", views.indicators_template, name="indicators_template"),
    path("indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator_delete"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("<int:enterprise_id>/", views.detail, name="detail"),
    path("<int:enterprise_id>/verify/", views.verify, name="verify"),
    path("<int:enterprise_id>/reject/", views.reject, name="reject"),
]
