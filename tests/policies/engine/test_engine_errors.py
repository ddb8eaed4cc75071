"""Bad input is refused with a Chinese message naming the fact by its label: never a
traceback, never a silent 0. The clause is the error's ``code`` and each fact its key in
``errors``; the message itself carries no code, because pages show it (issue 18 item 1)."""

from __future__ import annotations

import pytest

from policies.engine import (
    EngineError,
    FactError,
    ParamError,
    UnknownClause,
    calculate,
    get_clause,
)

GOOD_2 = {
    "above_scale": True,
    "manufacturing": True,
    "revenue_q1_2023": "135000000",
    "revenue_q1_2022": "100000000",
}


def _error(code, facts, params=None) -> EngineError:
    with pytest.raises(EngineError) as info:
        calculate(code, facts, params=params)
    err = info.value
    assert "\n" not in err.message and err.message
    assert all(isinstance(v, str) and v for v in err.errors.values())
    return err


def test_unknown_clause():
    err = _error("no-such-policy/1", {})
    assert isinstance(err, UnknownClause)
    assert set(err.errors) == {"clause"}
    assert "no-such-policy/1" in err.message


@pytest.mark.parametrize("code", [None, 5, "", "zzw-2022-155/99"])
def test_unknown_clause_of_any_shape(code):
    assert isinstance(_error(code, {}), UnknownClause)


def test_missing_required_fact():
    err = _error("zzw-2022-155/5", {"signed_and_started_q1_2023": True})
    assert isinstance(err, FactError)
    assert set(err.errors) == {"contract_investment"}
    assert err.code == "zzw-2022-155/5" and "合同投资额" in err.message
    assert "缺少" in err.message and "contract_investment" not in err.message


def test_null_for_a_required_money_fact_is_missing():
    err = _error(
        "zzw-2022-155/5", {"signed_and_started_q1_2023": True, "contract_investment": None}
    )
    assert set(err.errors) == {"contract_investment"}


@pytest.mark.parametrize("bad", ["abc", "lots", "", "1e", [], {}, True, "NaN", "Infinity"])
def test_money_that_is_not_an_amount(bad):
    facts = {"signed_and_started_q1_2023": True, "contract_investment": bad}
    err = _error("zzw-2022-155/5", facts)
    assert isinstance(err, FactError)
    assert set(err.errors) == {"contract_investment"}
    assert "合同投资额" in err.errors["contract_investment"]


def test_negative_money():
    err = _error("zzw-2022-155/2", {**GOOD_2, "revenue_q1_2023": "-5"})
    assert set(err.errors) == {"revenue_q1_2023"}
    assert "负数" in err.message


@pytest.mark.parametrize("bad", ["yes", "true", 1, 0, None])
def test_bool_must_be_a_json_bool(bad):
    facts = {**GOOD_2, "above_scale": bad}
    if bad is None:  # null for a required bool = missing
        err = _error("zzw-2022-155/2", facts)
    else:
        err = _error("zzw-2022-155/2", facts)
        assert "true 或 false" in err.errors["above_scale"]
    assert set(err.errors) == {"above_scale"}


def test_every_bad_fact_is_reported_at_once():
    err = _error("zzw-2022-155/2", {"above_scale": "yes", "revenue_q1_2023": "abc"})
    assert set(err.errors) == {"above_scale", "manufacturing", "revenue_q1_2023", "revenue_q1_2022"}


def test_money_with_thousands_separators_and_numbers_are_accepted():
    facts = {**GOOD_2, "revenue_q1_2023": "135,000,000", "revenue_q1_2022": 100000000}
    assert calculate("zzw-2022-155/2", facts).to_dict()["amount"] == "60000.00"


def test_facts_not_listed_are_ignored():
    result = calculate("zzw-2022-155/2", {**GOOD_2, "unrelated": "abc", "x": None})
    assert result.to_dict()["amount"] == "60000.00"


def test_facts_must_be_an_object():
    err = _error("zzw-2022-155/2", ["not", "a", "dict"])
    assert isinstance(err, FactError)


@pytest.mark.parametrize(
    ("code", "facts", "name"),
    [
        ("zz-2023-23/15", {"title": "best_factory"}, "title"),
        ("zz-2023-23/15", {"title": "national_demo_factory", "previous_titles": "x"},
         "previous_titles"),
        ("zz-2023-23/15", {"title": "national_demo_factory", "previous_titles": ["nope"]},
         "previous_titles"),
        ("zz-2023-23/1", {"manufacturing": True, "china500_rank": "first"}, "china500_rank"),
        ("zz-2023-23/1", {"manufacturing": True, "china500_rank": 0}, "china500_rank"),
        ("zz-2023-23/1", {"manufacturing": True, "china500_rank": True}, "china500_rank"),
        ("zzw-2022-155/9", {"chain_leader": True, "inchain_purchases": ["1", "abc"]},
         "inchain_purchases"),
        ("zzw-2022-155/9", {"chain_leader": True, "inchain_purchases": "5000000"},
         "inchain_purchases"),
        ("zzw-2022-155/10", {"industrial": True, "tenure": "rent", "floor_area_m2": "1"},
         "tenure"),
        ("zzw-2022-155/10", {"industrial": True, "tenure": "lease", "lease_years": 2.5,
                             "floor_area_m2": "1"}, "lease_years"),
        ("zzw-2022-155/10", {"industrial": True, "tenure": "lease", "floor_area_m2": "-1"},
         "floor_area_m2"),
        ("zz-2023-23/6", {"industrial": True, "revenue_year": "1", "revenue_best_before": "1",
                          "sei_revenue_share_pct": 120}, "sei_revenue_share_pct"),
        ("zz-2023-23/11", {"benefit_pct": "ten", "equipment_software_investment": "1"},
         "benefit_pct"),
    ],
)  # fmt: skip
def test_wrong_kinds_of_facts(code, facts, name):
    err = _error(code, facts)
    assert isinstance(err, FactError)
    assert name in err.errors
    assert err.code == code and code not in err.errors[name] and name not in err.errors[name]


def test_rank_null_means_not_on_the_list():
    result = calculate("zz-2023-23/1", {"manufacturing": True, "china500_rank": None})
    assert result.eligible is False


def test_unknown_param():
    err = _error("zzw-2022-155/2", GOOD_2, {"stepp": "1"})
    assert isinstance(err, ParamError)
    assert set(err.errors) == {"stepp"}


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"step": "abc"}, "step"),
        ({"step": "-1"}, "step"),
        ({"growth": ">>10"}, "growth"),
        ({"growth": {"value": "10", "op": "=="}}, "growth"),
        ({"cap": True}, "cap"),
    ],
)
def test_bad_params(params, name):
    err = _error("zzw-2022-155/2", GOOD_2, params)
    assert isinstance(err, ParamError)
    assert name in err.errors and err.code == "zzw-2022-155/2"
    assert "zzw-2022-155/2" not in err.errors[name] and f"（{name}）" not in err.errors[name]


def test_bad_tiers_and_amounts_params():
    assert "tiers" in _error("zzw-2022-155/5", {"signed_and_started_q1_2023": True,
                                                 "contract_investment": "1"},
                             {"tiers": []}).errors  # fmt: skip
    err = _error("zz-2023-23/15", {"title": "national_demo_factory"},
                 {"amounts": {"national_demo_factory": "1"}})  # fmt: skip
    assert "amounts" in err.errors


def test_validate_params_reports_in_chinese():
    with pytest.raises(ParamError) as info:
        get_clause("zzw-2022-155/2").validate_params({"per_step": "abc"})
    assert "每档奖励" in info.value.errors["per_step"]
