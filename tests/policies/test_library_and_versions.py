"""Loading the library, publishing rule versions, the impact preview and old calculations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from policies.loading import policy_library_load
from policies.models import Calculation, Clause, ClauseRuleVersion, Policy
from policies.services import award_calculate

FACTS_155_2 = {
    "above_scale": True,
    "manufacturing": True,
    "revenue_q1_2023": "135000000",
    "revenue_q1_2022": "100000000",
}


def test_loading_twice_creates_nothing_new(library):
    counts = (Policy.objects.count(), Clause.objects.count(), ClauseRuleVersion.objects.count())
    again = policy_library_load()
    assert again.versions_created == 0
    assert counts == (
        Policy.objects.count(),
        Clause.objects.count(),
        ClauseRuleVersion.objects.count(),
    )


def test_library_has_both_main_policies_with_their_dates_and_split(library):
    p155 = Policy.objects.get(doc_number="郑政文〔2022〕155号")
    assert p155.effective_to == dt.date(2023, 12, 31)
    assert p155.funding_split == {"city": 1, "district": 1}
    assert any(t["date"] in ("2023-03-31", dt.date(2023, 3, 31)) for t in p155.payout_targets)
    p23 = Policy.objects.get(doc_number="郑政〔2023〕23号")
    assert "郑政〔2020〕20号" in p23.supersedes
    clause = Clause.objects.get(code="zzw-2022-155/2")
    assert "1000万元" in clause.original_text.replace(" ", "")
    assert clause.versions.get().number == 1


def _publish(client, admin, code, **fields):
    client.force_login(admin)
    return client.post(reverse("policies:clause_edit", args=[code]), fields)


@pytest.mark.django_db
def test_admin_previews_then_publishes_a_threshold_change_and_old_calculations_keep_theirs(
    client, library, policy_admin, enterprise_user, password
):
    old = award_calculate(code="zzw-2022-155/2", facts=FACTS_155_2, source="calculator",
                          user=enterprise_user)  # fmt: skip
    assert old.result.amount == 60000
    edit_url = reverse("policies:clause_edit", args=["zzw-2022-155/2"])
    client.force_login(policy_admin)
    page = client.get(edit_url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in form.fields.items()
    }
    data["effective_from"] = dt.date.today().isoformat()
    data["p_per_step"] = "30000"  # 3万 per full 1000万 instead of 2万
    preview = client.post(edit_url, {**data, "action": "preview"})
    assert preview.status_code == 200
    rows = preview.context["impact"]
    assert any(r.old_amount == 60000 and r.new_amount == 90000 for r in rows)
    assert any(r.label.startswith("样例") for r in rows)  # the golden cases are previewed too
    assert (
        ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 1
    )  # nothing saved

    # publishing asks for the password first; what was typed comes back on a "continue" page
    asked = client.post(edit_url, {**data, "action": "publish", "note": "市政府常务会议调整"})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:reauth"))
    assert ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 1
    confirmed = client.post(reverse("accounts:reauth"), {"password": password, "next": edit_url})
    assert confirmed.status_code == 200 and "市政府常务会议调整" in confirmed.content.decode()
    pending = confirmed.context["pending"]
    assert pending["url"] == edit_url and ["p_per_step", "30000"] in pending["fields"]
    assert ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 1

    refused = client.post(edit_url, {**data, "action": "publish", "note": ""})
    assert refused.status_code == 200 and "修改说明" in refused.content.decode()
    assert ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 1

    resubmitted: dict[str, list[str]] = {}
    for name, value in pending["fields"]:
        resubmitted.setdefault(name, []).append(value)
    done = client.post(pending["url"], resubmitted)
    assert done.status_code == 302
    assert ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 2

    new = award_calculate(code="zzw-2022-155/2", facts=FACTS_155_2)
    assert new.result.amount == 90000 and new.version.number == 2
    stored = Calculation.objects.get(pk=old.calculation.pk)
    assert stored.rule_version.number == 1 and stored.result["amount"] == "60000.00"


def test_bad_parameter_is_refused_with_a_chinese_message(client, library, policy_admin, reauth):
    edit_url = reverse("policies:clause_edit", args=["zzw-2022-155/2"])
    client.force_login(policy_admin)
    reauth(client)
    form = client.get(edit_url).context["form"]
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in form.fields.items()
    }
    first_param = next(n for n in data if n.startswith("p_"))
    data.update(
        {first_param: "abc", "effective_from": "2026-01-01", "note": "x", "action": "publish"}
    )
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ClauseRuleVersion.objects.filter(clause__code="zzw-2022-155/2").count() == 1


@pytest.mark.parametrize("role_user", ["enterprise_user", "district_reviewer", "leader"])
def test_only_policy_admins_edit_rules(client, library, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("policies:clause_edit", args=["zzw-2022-155/2"])).status_code == 403
    assert client.get(reverse("policies:manage")).status_code == 403


def test_many_clause_estimate_uses_each_clause_version_in_two_queries(
    library, policy_admin, django_assert_num_queries
):
    from policies.services import awards_estimate, clause_rule_publish

    clause = Clause.objects.get(code="zzw-2022-155/2")
    clause_rule_publish(clause=clause, params={"per_step": "30000"}, actor=policy_admin,
                        effective_from=dt.date(2024, 1, 1), note="测试")  # fmt: skip
    clauses = list(Clause.objects.filter(policy__code="zzw-2022-155").select_related("policy"))
    with django_assert_num_queries(1):
        before = {e.clause.code: e for e in awards_estimate(facts=FACTS_155_2, clauses=clauses,
                                                             on=dt.date(2023, 6, 1))}  # fmt: skip
    after = {e.clause.code: e for e in awards_estimate(facts=FACTS_155_2, clauses=clauses,
                                                        on=dt.date(2024, 6, 1))}  # fmt: skip
    assert before["zzw-2022-155/2"].result.amount == 60000
    assert after["zzw-2022-155/2"].result.amount == 90000
    assert before["zzw-2022-155/1"].missing  # electricity not given


def test_a_clause_computed_through_its_definition_follows_the_rule_editors_new_version(
    client, library, policy_admin
):
    """郑政办〔2022〕57号第5条 is a spec clause, live as its definition with parameters: the rule
    editor's new version (a rate and a yearly cap changed) applies from its day, the earlier
    version still gives the earlier amount."""
    from policies.engine import get_clause
    from policies.engine.definitions import DefinedClause
    from policies.services import award_calculate, clause_rule_publish

    assert isinstance(get_clause("zzb-2022-57/5"), DefinedClause)
    clause = Clause.objects.get(code="zzb-2022-57/5")
    facts = {"selected_platform_project": True, "local_service_revenue": "15000000"}
    clause_rule_publish(clause=clause, params={"rate": "25", "cap": "5000000"}, actor=policy_admin,
                        effective_from=dt.date(2030, 1, 1), note="测试：比例与上限调整")  # fmt: skip
    before = award_calculate(code="zzb-2022-57/5", facts=facts, on=dt.date(2029, 6, 1)).result
    after = award_calculate(code="zzb-2022-57/5", facts=facts, on=dt.date(2030, 6, 1)).result
    assert before.amount == Decimal("3000000.00")  # 1500万 × 20%, at the 300万 cap
    assert after.amount == Decimal("3750000.00")  # 1500万 × 25%, under the new 500万 cap
    assert any("25%" in s.label or "25%" in s.value for s in after.steps), after.steps


def test_a_class_clause_now_its_seed_files_definition_follows_a_moved_threshold(
    library, policy_admin
):
    """郑政〔2023〕23号第13条 was a class; its seed file's definition refers to the class's
    parameters, also in the sentence: a rule version that moves 达到2000万 to 超过3000万 is
    applied from its day and said in the trace, the earlier version keeps its amount."""
    from policies.engine import class_clause, get_clause
    from policies.engine.definitions import DefinedClause
    from policies.services import award_calculate, clause_rule_publish

    code = "zz-2023-23/13"
    assert isinstance(get_clause(code), DefinedClause)
    clause = Clause.objects.get(code=code)
    facts = {"invention_patent": True, "patent_product_sales": "30000000"}
    clause_rule_publish(clause=clause, params={"sales_min": {"value": "30000000", "op": ">"}},
                        actor=policy_admin, effective_from=dt.date(2030, 1, 1),
                        note="测试：门槛调整")  # fmt: skip
    before = award_calculate(code=code, facts=facts, on=dt.date(2029, 6, 1)).result
    after = award_calculate(code=code, facts=facts, on=dt.date(2030, 6, 1)).result
    assert before.eligible and before.amount == Decimal("600000.00")  # 3000万 × 2%
    assert not after.eligible and after.amount == 0
    assert "专利产品年销售收入30,000,000.00 元，未超过30,000,000.00 元" in after.reasons
    params = {"sales_min": {"value": "30000000", "op": ">"}}
    assert after.to_dict() == class_clause(code).calculate(facts, params).to_dict()
