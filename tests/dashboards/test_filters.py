"""The filters come from the query string: a value that is not one is ignored, never a 500."""

import pytest
from django.http import QueryDict

from dashboards.filters import CaseFilter
from portal.core.api import MAX_ID

# "²" passes str.isdigit() but not int(); the others are beyond any key (SQLite overflows)
NOT_IDS = ["%C2%B2", "abc", "-1", "1.5", str(MAX_ID + 1), "99999999999999999999999"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_value_that_is_no_id_is_ignored(value):
    query = QueryDict(f"policy={value}&policy=7&clause={value}&district={value}&year={value}")
    parsed = CaseFilter.from_query(query)
    assert parsed.policies == (7,)
    assert parsed.clause is parsed.district is parsed.year is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_IDS)
def test_the_dashboard_api_and_pages_ignore_it(client, leader, library, value):
    client.force_login(leader)
    query = f"policy={value}&clause={value}&district={value}&year={value}"
    for url in ("/api/v1/dashboards/cases/", "/api/v1/dashboards/summary/", "/dashboards/"):
        assert client.get(f"{url}?{query}").status_code == 200, url
