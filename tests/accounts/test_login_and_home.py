import pytest
from django.urls import reverse

from demo.services import DEMO_LOGINS, DEMO_PASSWORD, demo_users_load
from portal.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户登录" in body and "密码" in body and 'lang="zh-Hans"' in body


def test_wrong_password_gives_chinese_error_and_no_session(client, enterprise_user):
    response = client.post(
        reverse("accounts:login"), {"username": enterprise_user.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_every_demo_user_logs_in_and_sees_its_role_home(client, login):
    demo_users_load()
    response = client.post(
        reverse("accounts:login"), {"username": login.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    home = client.get(reverse("home"))
    body = home.content.decode()
    assert home.status_code == 200
    assert Role(login.role).label in body


def test_demo_loading_is_idempotent():
    demo_users_load()
    demo_users_load()
    assert User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).count() == len(
        DEMO_LOGINS
    )


def test_district_reviewer_needs_a_district():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.DISTRICT_REVIEWER, district=None)


def test_logout_is_a_post_and_ends_the_session(client, enterprise_user):
    client.force_login(enterprise_user)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302
