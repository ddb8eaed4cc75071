"""Property tests of the building blocks: Decimal only, never negative, never above the cap,
monotone in the base where the policy text is monotone."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from policies.engine import blocks, calculate
from policies.engine.result import Trace
from policies.engine.thresholds import Threshold, Tier

money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False,
                    allow_infinity=False)  # fmt: skip
positive = st.decimals(min_value=Decimal("0.01"), max_value=10**10, places=2, allow_nan=False,
                       allow_infinity=False)  # fmt: skip
rate = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)
points = st.decimals(min_value=-100, max_value=1000, places=2, allow_nan=False,
                     allow_infinity=False)  # fmt: skip
caps = st.one_of(st.none(), money)
ops = st.sampled_from([">=", ">"])
threshold = st.builds(Threshold, money, ops)
tier_table = st.lists(st.builds(Tier, threshold, money), min_size=1, max_size=6)


def ok(amount, cap=None) -> Decimal:
    """The invariants every block's result satisfies; returns it for further checks."""
    assert isinstance(amount, Decimal) and not isinstance(amount, float)
    assert amount >= 0  # exact, not rounded: the award is rounded once, in Trace.result
    if cap is not None:
        assert amount <= cap
    return amount


def trace_is_text(t: Trace) -> None:
    for step in t.steps:
        assert isinstance(step.label, str) and isinstance(step.value, str)


@given(money, money, positive, money, caps)
@example(Decimal(10**12), Decimal(10**12), Decimal("0.01"), Decimal(10**12), Decimal(1))  # 10**26
@example(Decimal(10**12), Decimal(10**12), Decimal("0.01"), Decimal(10**12), None)  # uncapped
def test_whole_steps(a, b, step, per_step, cap):
    lo, hi = sorted((a, b))
    t = Trace()
    x = ok(blocks.whole_steps(t, "x", lo, step, per_step, cap), cap)
    y = ok(blocks.whole_steps(Trace(), "y", hi, step, per_step, cap), cap)
    assert x <= y  # monotone in the base
    if cap is None:
        assert x == (lo // step) * per_step  # only whole steps (floor)
    trace_is_text(t)


@given(money, money, rate, caps, st.one_of(st.none(), threshold))
def test_percent_of(a, b, r, cap, thr):
    lo, hi = sorted((a, b))
    x = ok(blocks.percent_of(Trace(), "x", lo, r, cap, thr), cap)
    y = ok(blocks.percent_of(Trace(), "y", hi, r, cap, thr), cap)
    assert x <= y
    if thr is not None and not thr.met(lo):
        assert x == 0


@given(points, points, st.decimals(min_value=0, max_value=50, places=2), positive, money, caps)
def test_growth_points(a, b, above, per, per_step, cap):
    lo, hi = sorted((a, b))
    x = ok(blocks.growth_points(Trace(), "x", lo, above, per, per_step, cap), cap)
    y = ok(blocks.growth_points(Trace(), "y", hi, above, per, per_step, cap), cap)
    assert x <= y
    if lo <= above:
        assert x == 0


@given(money, money, tier_table)
def test_highest_tier(a, b, table):
    lo, hi = sorted((a, b))
    x = ok(blocks.highest_tier(Trace(), "x", lo, table))
    ok(blocks.highest_tier(Trace(), "y", hi, table))
    assert x == 0 or x in {t.amount.quantize(Decimal("0.01")) for t in table}


@given(money, money, money, tier_table, st.one_of(st.none(), positive), money, ops, caps)
@settings(max_examples=200)
def test_thresholds_crossed(a, b, best, table, step, repeat_amount, op, cap):
    lo, hi = sorted((a, b))
    kw = {"repeat_from": Decimal(10**9), "repeat_step": step,
          "repeat_amount": repeat_amount, "repeat_op": op, "cap": cap}  # fmt: skip
    x = ok(blocks.thresholds_crossed(Trace(), "x", lo, best, table, **kw), cap)
    y = ok(blocks.thresholds_crossed(Trace(), "y", hi, best, table, **kw), cap)
    assert x <= y  # more revenue never gives less
    if lo <= best:
        assert x == 0  # nothing is crossed for the first time without beating the best year
    higher_best = ok(blocks.thresholds_crossed(Trace(), "z", hi, max(best, lo), table, **kw))
    assert higher_best <= y  # a better earlier year never gives more


@given(money, st.lists(money, max_size=5))
def test_tier_difference(amount, previous):
    x = ok(blocks.tier_difference(Trace(), "x", amount, previous))
    assert x <= amount.quantize(Decimal("0.01"))
    assert x == max(amount - max(previous, default=Decimal(0)), Decimal(0))


@given(st.dictionaries(st.text(min_size=1, max_size=3), money, max_size=5))
def test_highest_only(items):
    x = ok(blocks.highest_only(Trace(), "x", items))
    assert x == max(items.values(), default=Decimal(0)).quantize(Decimal("0.01"))


@given(money, st.decimals(min_value=0, max_value=5, places=2), caps)
def test_matching_grant(grant, ratio, cap):
    ok(blocks.matching_grant(Trace(), "x", grant, ratio, cap), cap)


@given(st.lists(money, max_size=6), caps)
def test_capped_sum(parts, cap):
    x = ok(blocks.capped_sum(Trace(), "x", [(str(i), p) for i, p in enumerate(parts)], cap), cap)
    assert x <= sum(parts, Decimal(0)).quantize(Decimal("0.01"))


@given(st.lists(money, max_size=8), money, rate, st.one_of(st.none(), threshold), caps)
def test_per_item_percent(items, extra, r, thr, cap):
    x = ok(blocks.per_item_percent(Trace(), "x", items, r, thr, cap), cap)
    y = ok(blocks.per_item_percent(Trace(), "y", [*items, extra], r, thr, cap), cap)
    assert x <= y  # one more supplier never gives less


@given(money, positive)
def test_growth_pct_is_exact_at_the_threshold(prev, factor):
    assert blocks.growth_pct(prev * Decimal("1.1"), prev) in (None, Decimal(10))


# Whole clauses: monotone where the text is monotone.
@given(money, money, positive)
def test_clause_155_2_monotone_and_capped(a, b, prev):
    lo, hi = sorted((a, b))
    base = {"above_scale": True, "manufacturing": True, "revenue_q1_2022": str(prev)}
    x = calculate("zzw-2022-155/2", {**base, "revenue_q1_2023": str(lo)}).amount
    y = calculate("zzw-2022-155/2", {**base, "revenue_q1_2023": str(hi)}).amount
    assert Decimal(0) <= x <= y <= Decimal(1000000)


@given(money, money, money)
def test_clause_23_5_monotone_and_capped(a, b, best):
    lo, hi = sorted((a, b))
    base = {"industrial": True, "revenue_best_before": str(best)}
    x = calculate("zz-2023-23/5", {**base, "revenue_year": str(lo)}).amount
    y = calculate("zz-2023-23/5", {**base, "revenue_year": str(hi)}).amount
    assert Decimal(0) <= x <= y <= Decimal(10000000)


@given(st.lists(money, max_size=5), st.lists(money, max_size=5))
def test_clause_23_21_never_above_article_caps(inchain, new):
    facts = {"chain_leader": True, "inchain_purchases": [str(x) for x in inchain],
             "new_supplier_purchases": [str(x) for x in new]}  # fmt: skip
    result = calculate("zz-2023-23/21", facts)
    assert Decimal(0) <= result.amount <= Decimal(8000000)
    assert isinstance(result.amount, Decimal)
