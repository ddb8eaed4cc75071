import pytest

pytestmark = pytest.mark.django_db


def test_api_requires_login_and_answers_with_errors_object(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"errors"}
    assert "detail" in response.json()["errors"]


def test_me_api_gives_role_and_scope(client, district_reviewer):
    client.force_login(district_reviewer)
    data = client.get("/api/v1/me/").json()
    assert data["role"] == "district_reviewer"
    assert data["district"] == "金水区"
    assert data["office"] == "金水区工信局"


def test_token_auth_works(client, city_reviewer):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=city_reviewer)
    response = client.get("/api/v1/me/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert response.json()["role"] == "city_reviewer"


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_openapi_schema_is_served(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/me/" in response.content


def test_health_reports_the_database(client):
    data = client.get("/health/").json()
    from django.db import connection

    assert data["database"] == connection.vendor
