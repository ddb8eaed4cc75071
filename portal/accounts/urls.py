from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views
from portal.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp, name="otp"),
    path("reauth/", views.reauth, name="reauth"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(
        "password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
]
