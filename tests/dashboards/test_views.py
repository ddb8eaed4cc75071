"""The overview and the list behind it: role scope, links, export, constant query counts."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.apis import CaseFactOutputSerializer
from dashboards.models import CaseFact
from dashboards.projection import summary_rebuild
from enterprises.models import Enterprise
from finance.services import payables_create_for_application
from portal.accounts.models import District, Role
from tests.factories.accounts import UserFactory
from tests.factories.finance import determined_award

pytestmark = pytest.mark.usefixtures("library")


def awards(count: int, district: str, fen: int = 1_000_001) -> list:
    result = []
    for _ in range(count):
        award = determined_award(amount_fen=fen, district_code=district)
        payables_create_for_application(application=award)
        result.append(award)
    return result


@pytest.fixture
def jinshui_leader(db):
    return UserFactory(username="js_leader", role=Role.LEADER, district_code="jinshui")


def test_city_leader_sees_all_districts_and_the_district_link_filters(client, leader):
    awards(2, "jinshui")
    awards(1, "erqi")
    summary_rebuild()
    client.force_login(leader)
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    overview = response.context["o"]
    assert overview.headline["filed"] == 3
    by_name = {d["name"]: d for d in response.context["charts"]["district"]}
    assert by_name["金水区"]["n"] == 2
    listed = client.get(by_name["二七区"]["url"])
    assert listed.status_code == 200
    erqi = District.objects.get(code="erqi").pk
    assert {r["district_id"] for r in listed.context["rows"]} == {erqi}
    assert "二七区" in listed.content.decode()
    assert listed.context["count"] == 1


def test_district_leader_never_sees_another_district(client, jinshui_leader):
    awards(1, "jinshui", fen=100)
    others = awards(2, "erqi", fen=999_999)
    summary_rebuild()
    client.force_login(jinshui_leader)
    overview = client.get(reverse("dashboards:overview")).context["o"]
    assert overview.headline["filed"] == 1
    assert overview.money["determined"] == 100
    assert [d["district"] for d in overview.by_district] == ["金水区"]
    erqi = others[0].enterprise.district_id
    listed = client.get(reverse("dashboards:cases"), {"district": erqi})
    assert list(listed.context["rows"]) == []
    api = client.get("/api/v1/dashboards/cases/", {"district": erqi})
    assert api.json()["results"] == []
    summary = client.get("/api/v1/dashboards/summary/").json()
    assert summary["money"]["determined"] == "1.00"


def test_enterprise_user_is_refused(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("dashboards:overview")).status_code == 403
    assert client.get(reverse("dashboards:cases")).status_code == 403
    assert client.get(reverse("dashboards:cases_export")).status_code == 403
    assert client.get("/api/v1/dashboards/cases/").status_code == 403


def test_excel_export_has_exact_yuan(client, leader):
    awards(1, "jinshui", fen=1_234_567_89)
    summary_rebuild()
    client.force_login(leader)
    response = client.get(reverse("dashboards:cases_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    approved = rows[0].index("核定金额（元）")
    assert Decimal(str(rows[1][approved])) == Decimal("1234567.89")
    assert len(rows) == 2


LISTS = [
    "/dashboards/",
    "/dashboards/cases/",
    "/dashboards/cases/?flag=review_soon",
    "/api/v1/dashboards/cases/",
    "/api/v1/dashboards/cases/?page_size=200",
]
OWN = ("django_session", "accounts_user", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.mark.parametrize("url", LISTS)
def test_query_count_is_constant_in_the_number_of_cases(
    client, leader, django_assert_num_queries, url
):
    client.force_login(leader)
    awards(1, "jinshui")
    summary_rebuild()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    awards(6, "erqi")
    awards(3, "jinshui")
    summary_rebuild()
    with django_assert_num_queries(len(small.captured_queries)) as large:
        client.get(url)
    # the session and user are 2-3 of these; the page itself: at most 6 on either database
    own = [q for q in large.captured_queries if not any(m in q["sql"] for m in OWN)]
    assert len(own) <= 6, [q["sql"][:80] for q in own]
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.parametrize("url", LISTS)
def test_at_most_six_queries_even_with_a_cold_cache(client, leader, url):
    client.force_login(leader)
    awards(3, "jinshui")
    summary_rebuild()
    cache.clear()  # reference data, amber dates and labels all loaded by this request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    own = [q for q in ctx.captured_queries if not any(m in q["sql"] for m in OWN)]
    assert len(own) <= 6, [q["sql"][:80] for q in own]


def test_the_api_rows_are_what_the_serializer_documents(client, leader):
    client.force_login(leader)
    awards(2, "jinshui", fen=1_234_56)
    summary_rebuild()
    results = client.get("/api/v1/dashboards/cases/").json()["results"]
    facts = CaseFact.objects.order_by("-application_id")
    assert results == [CaseFactOutputSerializer(f).data for f in facts]
    assert set(results[0]) == set(CaseFactOutputSerializer().fields)
    assert results[0]["approved"] == "1234.56"


def test_the_list_page_escapes_names(client, leader):
    client.force_login(leader)
    [award] = awards(1, "jinshui")
    evil = "<b>恶意</b>企业"
    Enterprise.objects.filter(pk=award.enterprise_id).update(name=evil, bank_account_name=evil)
    summary_rebuild()
    page = client.get(reverse("dashboards:cases")).content.decode()
    assert "&lt;b&gt;恶意&lt;/b&gt;企业" in page
    assert "<b>恶意" not in page
    assert f"HQ{award.created_at.year}-{award.pk:06d}" in page


def test_the_list_pages_by_cursor_and_ignores_a_bad_one(client, leader, monkeypatch):
    from dashboards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(leader)
    made = sorted(a.pk for a in awards(3, "jinshui"))
    summary_rebuild()
    first = client.get(reverse("dashboards:cases")).context
    assert [r["application_id"] for r in first["rows"]] == made[:0:-1]
    assert first["count"] == 3
    second = client.get(reverse("dashboards:cases"), {"after": first["next_after"]}).context
    assert [r["application_id"] for r in second["rows"]] == made[:1]
    assert second["next_after"] is None and second["count"] == 3
    for bad in ("%C2%B2", "-1", "99999999999999999999999", "x"):
        response = client.get(f"{reverse('dashboards:cases')}?after={bad}")
        assert response.status_code == 200
        assert [r["application_id"] for r in response.context["rows"]] == made[:0:-1]


def test_a_kept_list_statement_still_reads_the_current_facts(client, leader):
    """The list page's statement is compiled once (portal.core.statements); its rows and count
    come from the database at every request."""
    from portal.core import statements

    client.force_login(leader)
    awards(2, "jinshui")
    summary_rebuild()
    url = reverse("dashboards:cases") + "?stage=determined"
    first = client.get(url).context
    assert len(first["rows"]) == 2 and first["count"] == 2
    newest = awards(1, "erqi")[0]
    summary_rebuild()
    again = client.get(url).context
    assert len(again["rows"]) == 3 and again["count"] == 3
    assert again["rows"][0]["application_id"] == newest.pk
    assert [k[0] for k in statements._kept] == ["dashboards.case_page"], list(statements._kept)


def test_links_add_their_parameter_to_the_filter_without_an_empty_one(client, leader):
    client.force_login(leader)
    awards(1, "jinshui")
    summary_rebuild()
    jinshui = District.objects.get(code="jinshui").pk
    page = client.get(reverse("dashboards:overview")).content.decode()
    assert f'{reverse("dashboards:cases")}?district={jinshui}"' in page
    assert "?&amp;" not in page
    filtered = client.get(reverse("dashboards:overview"), {"stage": "determined"}).content.decode()
    assert f'?stage=determined&amp;district={jinshui}"' in filtered
