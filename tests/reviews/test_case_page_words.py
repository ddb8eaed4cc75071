"""The review case page speaks in words (issue 18 item 1, the review page's part): declared
values as 是/否 and grouped amounts, corrections named by their Chinese label, never ``True``
or a fact code."""

import re

import pytest

from reviews import services
from tests.factories.reviews import all_checks

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_the_grid_shows_declared_values_in_words(case, client, district_reviewer):
    client.force_login(district_reviewer)
    text = _text(client.get(f"/reviews/cases/{case.pk}/"))
    assert "True" not in text and "False" not in text
    assert "是" in text
    amount = int(case.facts["contract_investment"])
    assert f"{amount:,}.00 元" in text


def test_corrections_are_named_by_label_not_code(case, client, district_reviewer):
    checks = all_checks(case)
    for check in checks:
        if check["target"] == "contract_investment":
            check["verified_value"] = "600000000"
    services.review_checks_record(application=case, user=district_reviewer, checks=checks)
    client.force_login(district_reviewer)
    text = _text(client.get(f"/reviews/cases/{case.pk}/"))
    assert "已更正的数据" in text
    assert "合同投资额：" in text and "600,000,000.00 元" in text
    assert "contract_investment" not in text
