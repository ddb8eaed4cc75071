"""The rule editor in words (issue 18 item 5): thresholds are 达到/超过 and a number in its unit,
tiers one row per tier; what is stored keeps the engine's representation; the impact preview
names cases and enterprises."""

import pytest
from django.urls import reverse

from applications.workflow import Status
from policies.models import Clause, ClauseRuleVersion
from tests.core.test_page_words import _read
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

TIERS = "zzw-2022-155/5"  # 合同投资额档位: 5亿/10亿/30亿/50亿元 -> 10/30/100/200万元
THRESHOLD = "zz-2023-23/7"  # 年主营业务收入下限 (达到 5000万元)


def _form_data(client, url: str) -> dict:
    form = client.get(url).context["form"]
    data = {n: f.initial if f.initial is not None else "" for n, f in form.fields.items()}
    data["effective_from"] = "2026-01-01"
    return data


def test_a_threshold_is_a_choice_and_a_number_in_its_unit(client, library, policy_admin):
    client.force_login(policy_admin)
    url = reverse("policies:clause_edit", args=[THRESHOLD])
    page = client.get(url)
    form = page.context["form"]
    assert form.fields["p_revenue_min__op"].initial == ">="
    assert form.fields["p_revenue_min"].initial == "50000000"
    assert "（元）" in form.fields["p_revenue_min"].label
    text, _ = _read(page.content.decode())
    assert "达到（≥）" in text and "超过（>）" in text
    assert ">=" not in text and "'value'" not in text and '"op"' not in text


def test_tiers_are_rows_and_are_stored_as_before(client, library, policy_admin, reauth):
    client.force_login(policy_admin)
    reauth(client)
    url = reverse("policies:clause_edit", args=[TIERS])
    data = _form_data(client, url)
    assert (data["p_tiers__0__op"], data["p_tiers__0__value"]) == (">=", "500000000")
    assert data["p_tiers__0__amount"] == "100000" and data["p_tiers__4__value"] == ""
    # 第1档 becomes 超过 6亿元 (typed with grouping commas); a fifth tier is added
    data |= {"p_tiers__0__op": ">", "p_tiers__0__value": "600,000,000"}
    data |= {"p_tiers__4__value": "8000000000", "p_tiers__4__amount": "3000000"}
    response = client.post(url, {**data, "action": "publish", "note": "测试调整"})
    assert response.status_code == 302
    version = ClauseRuleVersion.objects.filter(clause__code=TIERS).latest("number")
    assert version.number == 2
    assert version.params["tiers"][0] == {"value": "600000000", "op": ">", "amount": "100000"}
    assert version.params["tiers"][-1] == {"value": "8000000000", "op": ">=", "amount": "3000000"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"p_tiers__1__value": "十亿"}, "p_tiers__1__value", "请填写不小于 0 的数字"),
        ({"p_tiers__2__amount": "-5"}, "p_tiers__2__amount", "请填写不小于 0 的数字"),
        ({"p_tiers__1__amount": ""}, "p_tiers__1__amount", "须同时填写门槛和奖励金额"),
    ],
)
def test_bad_rows_are_refused_in_chinese_and_nothing_is_saved(
    client, library, policy_admin, reauth, change, field, message
):
    client.force_login(policy_admin)
    reauth(client)
    url = reverse("policies:clause_edit", args=[TIERS])
    data = _form_data(client, url) | change
    response = client.post(url, {**data, "action": "publish", "note": "测试"})
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert ClauseRuleVersion.objects.filter(clause__code=TIERS).count() == 1


def test_the_impact_preview_names_cases_and_enterprises(client, library, policy_admin):
    case = ApplicationFactory(clause=Clause.objects.get(code=TIERS), status=Status.CITY_REVIEW)
    ApplicationFactory(clause=case.clause, status=Status.DRAFT, period="2022")  # left out
    client.force_login(policy_admin)
    url = reverse("policies:clause_edit", args=[TIERS])
    data = _form_data(client, url) | {"p_tiers__1__amount": "400000", "action": "preview"}
    response = client.post(url, data)
    labels = [row.label for row in response.context["impact"]]
    named = f"案件 {case.number} {case.enterprise.name}（市级复审）"
    assert named in labels
    assert not any("草稿" in label for label in labels)
    row = next(r for r in response.context["impact"] if r.label == named)
    assert (row.old_amount, row.new_amount) == (300000, 400000)  # 12亿元: the 10亿元 tier
    assert "#" not in _read(response.content.decode())[0]
