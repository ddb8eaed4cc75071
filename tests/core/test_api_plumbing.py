import re

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
    from portal.accounts.tokens import api_token_issue

    _, key = api_token_issue(user=city_reviewer, name="测试", days=1, verified=True)
    response = client.get("/api/v1/me/", headers={"Authorization": f"Token {key}"})
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


def test_openapi_schema_documents_the_error_answers(client):
    """Every operation lists the errors it can give, with the one error body (portal.core.openapi)."""
    schema = client.get("/api/schema/?format=json").json()
    detail = schema["paths"]["/api/v1/applications/{id}/"]["get"]["responses"]
    assert set(detail) == {"200", "403", "404"}
    assert detail["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Errors"
    }
    register = schema["paths"]["/api/v1/enterprises/register/"]["post"]["responses"]
    assert {"400", "415", "429"} <= set(register) and "403" not in register


def test_api_docs_page_serves_every_asset_from_static(client):
    """Government intranets have no internet: Swagger UI comes from static/, not a CDN."""
    page = client.get("/api/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    for url in urls:
        assert url.startswith("/"), f"external asset on the API docs page: {url}"
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_an_unknown_api_address_answers_with_the_error_body(client, enterprise_user):
    client.force_login(enterprise_user)
    for url in ("/api/v1/applications/abc/", "/api/v1/no-such-thing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"errors": {"detail": "未找到，或您无权查看。"}}


def test_health_reports_the_database(client):
    data = client.get("/health/").json()
    from django.db import connection

    assert data["database"] == connection.vendor
