"""Issue 16 item 3: 从高不重复 / 就高 compare awards for the same thing (subject, year), only
on the share of an award in the group; caps without 每年 hold over the policy period; and
item 6.1's period derivation (pure)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from policies.engine import calculate, get_clause, periods
from policies.engine.errors import EngineError
from policies.engine.stacking import GRANTED, Award, apply_stacking


def _award(code, facts, year, *, subject="", ref="", status=GRANTED):
    result = calculate(code, facts)
    return Award(
        code,
        result.amount,
        year,
        subject=subject,
        ref=ref,
        status=status,
        parts=result.parts,
        award_key=periods.award_key(get_clause(code), str(year), subject),
    )


P9 = {
    "completed": True,
    "sei_project": True,
    "total_investment": "30000000",
    "equipment_investment": "20000000",
}
P10 = {"completed": True, "smart_equipment_software_investment": "20000000"}


def test_project_award_is_not_displaced_by_another_projects_award():
    """A 2025 23号第9条 award for project B stays whole beside a 2024 第10条 award for A."""
    earlier = [_award("zz-2023-23/10", P10, 2024, subject="项目A", ref="HQ2024-000001")]
    candidate = _award("zz-2023-23/9", P9, 2025, subject="项目B")
    result = apply_stacking(candidate, earlier)
    assert result.amount == D("3000000.00") and result.lines == []


def test_same_project_still_stacks_and_the_trace_names_the_case():
    earlier = [_award("zz-2023-23/10", P10, 2024, subject="项目 A", ref="HQ2024-000001")]
    candidate = _award("zz-2023-23/9", P9, 2025, subject="项目A")
    result = apply_stacking(candidate, earlier)
    assert result.amount == D("0.00")
    assert "与案件 HQ2024-000001 同一项目“项目A”，从高不重复" in result.lines[0]


def test_first_version_software_is_not_displaced_by_first_set_equipment():
    earlier = [
        _award(
            "zzb-2022-51/5",
            {"first_set_recognised": True, "national_first_set_award": "1000000"},
            2024,
            subject="XX型盾构机",
            ref="HQ2024-000002",
        )
    ]
    candidate = _award(
        "zzb-2022-57/6", {"first_version_products": 2}, 2024, subject="XX工业软件V1.0"
    )
    assert earlier[0].amount > candidate.amount  # today it zeroed the software award
    assert apply_stacking(candidate, earlier).amount == D("200000.00")


def test_exhibition_subsidies_of_different_years_do_not_meet():
    earlier = [
        _award(
            "zzb-2022-53/14",
            {"nev_enterprise": True, "exhibition_costs": "500000"},
            2022,
            ref="HQ2022-000003",
        )
    ]
    candidate = _award("zz-2023-23/20", {"exhibition_costs": "500000"}, 2024)
    assert apply_stacking(candidate, earlier).amount == D("350000.00")
    same_year = _award("zz-2023-23/20", {"exhibition_costs": "500000"}, 2022)
    result = apply_stacking(same_year, earlier)
    assert result.amount == D("0.00") and "同一年度（2022年）" in result.lines[0]


def test_23_17_pilot_titles_only_are_highest_only():
    result = calculate(
        "zz-2023-23/17",
        {
            "cross_industry_platform": True,
            "champion_titles": ["enterprise"],
            "pilot_titles": ["national", "provincial"],
        },
    )
    assert result.amount == D("14000000.00")  # 1000万 + 300万 + 就高(100万, 50万)


def test_dual_platform_paid_once_across_55_4_and_23_17():
    """55号第4条 (一)(二) 2000万 and 23号第17条's platform 1000万 are one 双跨 platform: the
    higher stays; the 23号 case keeps its pilot title award."""
    earlier = [
        _award(
            "zzb-2022-55/4",
            {"miit_cross_industry_platform": True, "cross_industry_platform_hq_in_zhengzhou": True},
            2023,
            subject="XX工业互联网平台",
            ref="HQ2023-000004",
        )
    ]
    candidate = _award(
        "zz-2023-23/17", {"cross_industry_platform": True, "pilot_titles": ["national"]}, 2024
    )
    result = apply_stacking(candidate, earlier)
    assert result.amount == D("1000000.00")
    assert "与案件 HQ2023-000004" in result.lines[0]


def test_platform_award_of_23_17_is_not_paid_again_next_year():
    facts = {"cross_industry_platform": True}
    earlier = [_award("zz-2023-23/17", facts, 2024, ref="HQ2024-000008")]
    candidate = _award(
        "zz-2023-23/17", {**facts, "champion_titles": ["product"]}, 2025
    )  # the platform again, and a new 单项冠军产品
    assert apply_stacking(candidate, earlier).amount == D("1000000.00")


def test_policy_period_cap_holds_across_years():
    """53号第9条: 对单个企业的补助金额不超过2000万元 (no 每年): 1500万 in 2023 leaves 500万."""
    facts = {"icv_test_base": True, "test_base_investment": "50000000"}
    earlier = [_award("zzb-2022-53/9", facts, 2023, subject="测试基地一期", ref="HQ2023-000005")]
    candidate = _award("zzb-2022-53/9", facts, 2024, subject="测试基地二期")
    result = apply_stacking(candidate, earlier)
    assert result.amount == D("5000000.00")
    assert "政策期内累计" in result.lines[-1]


def test_policy_period_cap_by_part_53_2():
    """(一) 单一企业不超过300万 across cases; (二) has its own 3000万."""
    earlier = [_award("zzb-2022-53/2", {"new_catalogue_models": 25}, 2023, ref="HQ2023-000006")]
    candidate = _award(
        "zzb-2022-53/2",
        {"new_catalogue_models": 10, "units_first_year": 2000, "revenue_first_year": "200000000"},
        2024,
    )
    # (一) 10 × 10万 = 100万 but only 50万 left of 300万; (二) min(5% × 2亿, 1万 × 2000) = 1000万
    assert apply_stacking(candidate, earlier).amount == D("10500000.00")


def test_same_clause_same_award_key_is_one_award():
    first = _award("zzw-2022-155/12", {"cloud_star_rated": True, "voucher_amount": "50000"}, 2023)
    again = Award(first.code, first.amount, 2023, award_key=first.award_key)
    result = apply_stacking(again, [Award(**{**first.__dict__, "ref": "HQ2023-000007"})])
    assert result.amount == D("0.00") and "与案件 HQ2023-000007 为同一奖励" in result.lines[0]


@pytest.mark.parametrize("typed", ["2023", "2023H1", "2023Q3", "20２３", " 2023 "])
def test_a_yearly_clause_derives_the_year(typed):
    derived = periods.derive_award(get_clause("zzw-2022-155/12"), typed)
    assert (derived.period, derived.key) == ("2023", "2023|")


@pytest.mark.parametrize("typed", ["2023", "2023H1", "2023Q3", "20２３", ""])
def test_a_one_off_clause_has_one_key_whatever_the_period(typed):
    derived = periods.derive_award(
        get_clause("zzw-2022-155/5"), typed, "城东 项目", default_year=2026
    )
    assert derived.period == "2023Q1" and derived.key == "once|城东项目"


def test_subject_required_and_period_checked():
    with pytest.raises(EngineError) as exc:
        periods.derive_award(get_clause("zzw-2022-155/5"), "2023", "")
    assert "项目" in exc.value.errors["subject"]
    with pytest.raises(EngineError) as exc:
        periods.derive_award(get_clause("zzw-2022-155/12"), "2023Q5")
    assert "申报期" in exc.value.errors["period"]


def test_every_clause_says_what_it_pays_for():
    from policies.engine import all_clauses

    for clause in all_clauses():
        assert periods.paid_per(clause) in periods.PAID_PER
        assert periods.describe(clause)
