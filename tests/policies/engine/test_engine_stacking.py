"""Cross-case rules: 从高不重复, 级差 against titles already rewarded, once-only awards,
annual caps; and the declared-overlap check."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from policies.engine import registry
from policies.engine.clause import Clause
from policies.engine.stacking import PENDING, Award, apply_stacking, undeclared_overlaps


def test_no_undeclared_overlaps():
    assert undeclared_overlaps() == []


def test_an_undeclared_overlap_is_found(monkeypatch):
    registry._ensure_loaded()
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))

    class Overlap(Clause):
        """第1条：“对‘链主’企业……给予奖励”"""

        code, article, title = "zzb-2022-97/1", "第1条", "链主采购（另一政策）"
        matters = ("chain_leader_purchases",)

    registry.register(Overlap)
    found = {(frozenset((a, b)), m) for a, b, m in undeclared_overlaps()}
    assert (frozenset(("zzw-2022-155/9", "zzb-2022-97/1")), "chain_leader_purchases") in found
    assert (frozenset(("zz-2023-23/21", "zzb-2022-97/1")), "chain_leader_purchases") in found


def test_declared_cumulative_pair_is_not_reduced_by_its_shared_group():
    """23号第5条 and 第6条 share the revenue_milestone group (从高不重复 with other policies)
    but are declared cumulative with each other (stacks_with)."""
    earlier = [Award("zz-2023-23/6", D("5000000"), 2024)]
    assert apply_stacking(Award("zz-2023-23/5", D("2000000"), 2024), earlier).amount == D(
        "2000000.00"
    )


def test_nothing_earlier_leaves_the_amount():
    result = apply_stacking(Award("zz-2023-23/21", D("450000"), 2024), [])
    assert result.amount == D("450000.00") and result.lines == []


def test_highest_only_group_zeroes_a_lower_candidate():
    earlier = [Award("zzw-2022-155/9", D("800000"), 2023, ref="A-1")]
    result = apply_stacking(Award("zz-2023-23/21", D("450000"), 2023), earlier)
    assert result.amount == D("0.00")
    assert "A-1" in result.lines[0] and "从高不重复" in result.lines[0]


def test_highest_only_group_pays_only_the_difference_above_a_granted_award():
    earlier = [Award("zzw-2022-155/9", D("150000"), 2023, ref="A-1")]
    result = apply_stacking(Award("zz-2023-23/21", D("450000"), 2023), earlier)
    assert result.amount == D("300000.00")
    assert result.original == D("450000.00")


def test_a_higher_candidate_displaces_a_pending_lower_award():
    pending = Award("zzw-2022-155/9", D("150000"), 2023, status=PENDING, ref="A-2")
    result = apply_stacking(Award("zz-2023-23/21", D("450000"), 2023), [pending])
    assert result.amount == D("450000.00")
    assert result.displaced == [pending]
    assert "取代" in result.lines[0] and "A-2" in result.lines[0]


def test_group_keys_can_be_qualified_by_subject():
    """Awards for different projects do not meet, for the same project they do."""
    key = "project_equipment_investment"
    earlier = [Award("zz-2023-23/9", D("3000000"), 2024, groups=(f"{key}:P1",))]
    other = Award("zz-2023-23/10", D("1000000"), 2024, groups=(f"{key}:P2",))
    same = Award("zz-2023-23/10", D("1000000"), 2024, groups=(f"{key}:P1",))
    assert apply_stacking(other, earlier).amount == D("1000000.00")
    assert apply_stacking(same, earlier).amount == D("0.00")


def test_tier_difference_against_titles_already_rewarded():
    earlier = [
        Award("zz-2023-23/15", D("300000"), 2023, title="省级智能车间"),
        Award("zz-2023-23/15", D("200000"), 2024, title="省级智能工厂"),
    ]
    result = apply_stacking(Award("zz-2023-23/15", D("3000000"), 2025), earlier)
    assert result.amount == D("2500000.00")  # 300万 − (30万 + 20万 already paid)
    assert "级差" in result.lines[0]
    lower = apply_stacking(Award("zz-2023-23/15", D("300000"), 2025), earlier)
    assert lower.amount == D("0.00")


def test_once_per_enterprise():
    earlier = [Award("zz-2023-23/4", D("500000"), 2024)]
    result = apply_stacking(Award("zz-2023-23/4", D("500000"), 2025), earlier)
    assert result.amount == D("0.00") and "只享受一次" in result.lines[0]


def test_clause_annual_cap_across_claims_of_the_same_year():
    earlier = [Award("zz-2023-23/7", D("2500000"), 2024), Award("zz-2023-23/7", D("3000000"), 2023)]
    result = apply_stacking(Award("zz-2023-23/7", D("1000000"), 2024), earlier)
    assert result.amount == D("500000.00")  # 300万 a year, 250万 already this year
    assert "每年最高" in result.lines[0]


def test_annual_cap_override_and_enterprise_cap():
    earlier = [Award("zz-2023-23/18", D("200000"), 2024), Award("zz-2023-23/4", D("500000"), 2024)]
    candidate = Award("zz-2023-23/13", D("400000"), 2024)
    assert apply_stacking(
        candidate, earlier, annual_caps={"zz-2023-23/13": D("100000")}
    ).amount == (D("100000.00"))
    capped = apply_stacking(candidate, earlier, enterprise_annual_cap=D("1000000"))
    assert capped.amount == D("300000.00")
    assert "同一企业每年奖励总额" in capped.lines[0]


@pytest.mark.parametrize("amount", ["0", "1", "999999.99"])
def test_never_negative_never_above_original(amount):
    earlier = [Award("zzw-2022-155/9", D("500000"), 2023), Award("zz-2023-23/21", D("1"), 2023)]
    result = apply_stacking(Award("zz-2023-23/21", D(amount), 2023), earlier)
    assert D(0) <= result.amount <= result.original
