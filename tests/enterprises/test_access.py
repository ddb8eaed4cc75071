"""Who sees which enterprise: scope per role; "not yours" looks exactly like "does not exist"."""

import pytest
from django.urls import reverse

from enterprises import selectors
from portal.core.errors import NotFound
from tests.factories.enterprises import EnterpriseFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts():
    return EnterpriseFactory(district_code="jinshui"), EnterpriseFactory(district_code="erqi")


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("district_reviewer", {"jinshui"}),
        ("other_district_reviewer", {"erqi"}),
        ("city_reviewer", {"jinshui", "erqi"}),
        ("leader", {"jinshui", "erqi"}),
        ("policy_admin", {"jinshui", "erqi"}),
        ("sys_admin", {"jinshui", "erqi"}),
        ("city_finance", {"jinshui", "erqi"}),
        ("district_finance", {"jinshui"}),
    ],
)
def test_staff_scope(request, two_districts, role, sees):
    user = request.getfixturevalue(role)
    assert {e.district.code for e in selectors.enterprise_scope(user)} == sees
    for enterprise in two_districts:
        if enterprise.district.code in sees:
            assert selectors.access_enterprise(user, enterprise.pk) == enterprise
        else:
            with pytest.raises(NotFound):
                selectors.access_enterprise(user, enterprise.pk)


def test_enterprise_user_sees_only_its_own(enterprise, other_enterprise, enterprise_user):
    assert list(selectors.enterprise_scope(enterprise_user)) == [enterprise]
    assert selectors.enterprise_for_user(enterprise_user) == enterprise
    with pytest.raises(NotFound):
        selectors.access_enterprise(enterprise_user, other_enterprise.pk)


@pytest.mark.parametrize("bad_id", [None, "abc", "1; drop", 999999])
def test_junk_and_missing_ids_are_not_found(city_reviewer, bad_id):
    with pytest.raises(NotFound):
        selectors.access_enterprise(city_reviewer, bad_id)


def test_one_enterprises_user_gets_404_for_another_enterprise_everywhere(
    client, enterprise, enterprise_user, other_enterprise
):
    IndicatorFactory(enterprise=other_enterprise)
    client.force_login(enterprise_user)
    missing = other_enterprise.pk + 1000
    for pk in (other_enterprise.pk, missing):
        assert client.get(reverse("enterprises:detail", args=[pk])).status_code == 404
        for url in (
            f"/api/v1/enterprises/{pk}/",
            f"/api/v1/enterprises/{pk}/indicators/",
            f"/api/v1/enterprises/{pk}/facts/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json() == {"errors": {"detail": "未找到，或您无权查看。"}}
    # and its own indicator list never contains the other's figures
    own = client.get("/api/v1/enterprises/me/indicators/").json()
    assert own["count"] == 0


def test_enterprise_user_cannot_edit_or_delete_another_enterprises_indicator(
    client, enterprise, enterprise_user, other_enterprise
):
    theirs = IndicatorFactory(enterprise=other_enterprise)
    client.force_login(enterprise_user)
    assert client.get(reverse("enterprises:indicators") + f"?edit={theirs.pk}").status_code == 404
    response = client.post(reverse("enterprises:indicator_delete", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()


def test_enterprise_pages_refuse_staff_with_a_reason(client, city_reviewer):
    client.force_login(city_reviewer)
    for name in ("profile", "indicators", "recommendations"):
        response = client.get(reverse(f"enterprises:{name}"))
        assert response.status_code == 403
        assert "企业用户" in response.content.decode()


def test_enterprise_login_without_enterprise_is_told_what_to_do(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(reverse("enterprises:profile"))
    assert response.status_code == 403 and "尚未关联企业" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("enterprises:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert client.get("/api/v1/enterprises/me/").status_code in (401, 403)


def test_staff_list_api_is_scoped_filtered_and_does_not_n_plus_one(
    client, district_reviewer, django_assert_max_num_queries
):
    for i in range(5):
        EnterpriseFactory(
            district_code="jinshui", above_scale=i % 2 == 0, name=f"郑州甲{i}有限公司"
        )
    EnterpriseFactory(district_code="erqi")
    EnterpriseFactory(district_code="jinshui", pending=True, name="郑州待核验有限公司")
    client.force_login(district_reviewer)
    with django_assert_max_num_queries(7):  # session, user, count, page, session save
        data = client.get("/api/v1/enterprises/").json()
    assert data["count"] == 6
    assert {r["district"]["code"] for r in data["results"]} == {"jinshui"}
    assert client.get("/api/v1/enterprises/?status=pending").json()["count"] == 1
    assert client.get("/api/v1/enterprises/?above_scale=true").json()["count"] == 4
    assert client.get("/api/v1/enterprises/?search=甲3").json()["count"] == 1
    assert client.get("/api/v1/enterprises/?district=erqi").json()["count"] == 0


def test_list_api_is_for_staff(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/api/v1/enterprises/")
    assert (
        response.status_code == 403
        and "/api/v1/enterprises/me/" in response.json()["errors"]["detail"]
    )


def test_staff_list_page(client, city_reviewer, two_districts):
    client.force_login(city_reviewer)
    body = client.get(reverse("enterprises:list") + "?district=erqi").content.decode()
    assert two_districts[1].name in body and two_districts[0].name not in body
