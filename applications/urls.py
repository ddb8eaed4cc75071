from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("<int:pk>/materials/<int:material_id>/", views.material_file, name="material"),
    path("<int:pk>/rating/", views.application_rate, name="rate"),
    path("<int:pk>/documents/<slug:kind>.pdf", views.document_file, name="document"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/resubmit/", views.application_resubmit, name="resubmit"),
]
