"""Rule building blocks: small pure functions that write a trace and return a Decimal.

Each block returns an exact amount (never rounded: the award is rounded half up to the fen
once, at the end, by ``Trace.result``), never negative, never above its cap, and appends its
computation to ``t`` (a ``Trace``) in Chinese; trace lines show values to the fen. Clauses
combine them; the numbers (thresholds, amounts, rates, caps) come from the clause's params.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext

from portal.core.money import ZERO

from .fmt import grouped, num, pct, qty, yuan
from .result import Trace
from .thresholds import Threshold, Tier, ge, gt, tiers

__all__ = [
    "Threshold",
    "Tier",
    "cap_at",
    "capped_sum",
    "fixed",
    "ge",
    "growth_check",
    "growth_pct",
    "growth_points",
    "gt",
    "highest_only",
    "highest_tier",
    "interest_at_capped_rate",
    "matching_grant",
    "per_item_capped",
    "per_item_percent",
    "per_unit",
    "percent_of",
    "thresholds_crossed",
    "tier_difference",
    "tiers",
    "whole_steps",
]

HUNDRED = Decimal(100)


def _money(amount: Decimal) -> Decimal:
    """Never negative; not rounded (one rounding, at the end)."""
    return amount if amount > 0 else ZERO


def cap_at(t: Trace, label: str, amount: Decimal, cap: Decimal | None) -> Decimal:
    """``min(amount, cap)``; ``cap=None`` means 不设上限."""
    amount = _money(amount)
    if cap is not None and amount > cap:
        t.step(f"{label}：超过上限{yuan(cap)}，按上限计", yuan(cap))
        return _money(cap)
    return amount


def fixed(t: Trace, label: str, amount: Decimal) -> Decimal:
    """A fixed amount (给予X万元一次性奖励)."""
    t.step(label, yuan(amount))
    return _money(amount)


def highest_tier(
    t: Trace, label: str, value: Decimal, table: Sequence[Tier], unit: str = "元"
) -> Decimal:
    """The amount of the highest tier whose threshold ``value`` meets (分别给予…); 0 if none."""
    reached = [tier for tier in table if tier.threshold.met(value)]
    if not reached:
        lowest = min(table, key=lambda r: r.threshold.value).threshold
        t.step(f"{label}：{qty(value, unit)}未{lowest.words(unit)}", yuan(ZERO))
        return ZERO
    best = max(reached, key=lambda r: (r.threshold.value, r.amount))
    t.step(f"{label}：{qty(value, unit)}，{best.threshold.words(unit)}档", yuan(best.amount))
    return _money(best.amount)


def whole_steps(
    t: Trace,
    label: str,
    base: Decimal,
    step: Decimal,
    per_step: Decimal,
    cap: Decimal | None = None,
    unit: str = "元",
) -> Decimal:
    """每增加 ``step`` 奖励 ``per_step``: only whole steps count (floor), then the cap."""
    count = base // step if base > 0 else Decimal(0)
    amount = count * per_step
    t.step(
        f"{label}：{qty(max(base, ZERO), unit)} ÷ {qty(step, unit)} = {num(count)}个完整档"
        f" × {yuan(per_step)}",
        yuan(amount),
    )
    return cap_at(t, label, amount, cap)


def percent_of(
    t: Trace,
    label: str,
    base: Decimal,
    rate: Decimal,
    cap: Decimal | None = None,
    threshold: Threshold | None = None,
    unit: str = "元",
) -> Decimal:
    """``rate`` % of ``base`` (按…的X%给予奖励), if ``base`` meets ``threshold``; then the cap."""
    if threshold is not None and not threshold.met(base):
        t.step(f"{label}：{qty(base, unit)}未{threshold.words(unit)}", yuan(ZERO))
        return ZERO
    amount = _money(base * rate / HUNDRED)
    t.step(f"{label}：{yuan(base)} × {pct(rate)}", yuan(amount))
    return cap_at(t, label, amount, cap)


def growth_pct(current: Decimal, previous: Decimal) -> Decimal | None:
    """Growth in percent points, ``None`` when the base year is 0 (growth undefined)."""
    if previous <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return (current - previous) * HUNDRED / previous


def growth_points(
    t: Trace,
    label: str,
    growth: Decimal,
    above: Decimal,
    points_per_step: Decimal,
    per_step: Decimal,
    cap: Decimal | None = None,
) -> Decimal:
    """每增加/每再增加 ``points_per_step`` 个百分点奖励 ``per_step``, counting whole steps of
    the growth above ``above`` (0 when growth is not above it); then the cap."""
    excess = growth - above
    count = excess // points_per_step if excess > 0 else Decimal(0)
    amount = count * per_step
    t.step(
        f"{label}：增速{pct(growth.quantize(Decimal('0.01')))}，高于{pct(above)}的部分"
        f"含{num(count)}个完整的{num(points_per_step)}个百分点 × {yuan(per_step)}",
        yuan(amount),
    )
    return cap_at(t, label, amount, cap)


def _repeat_count(x: Decimal, start: Decimal, step: Decimal, op: str) -> Decimal:
    """How many levels ``start + k*step`` (k >= 1) the figure ``x`` meets."""
    excess = x - start
    if excess <= 0:
        return Decimal(0)
    q = excess // step
    if op == ">" and q * step == excess:
        q -= 1
    return max(q, Decimal(0))


def thresholds_crossed(
    t: Trace,
    label: str,
    current: Decimal,
    best_before: Decimal,
    levels: Sequence[Tier],
    *,
    repeat_from: Decimal | None = None,
    repeat_step: Decimal | None = None,
    repeat_amount: Decimal = ZERO,
    repeat_op: str = ">=",
    cap: Decimal | None = None,
    unit: str = "元",
) -> Decimal:
    """首次超过: each threshold the figure meets this year but no earlier year met (judged on
    ``best_before``, the best earlier year) counts once; above ``repeat_from`` every further
    ``repeat_step`` level (每上一个台阶) first met counts ``repeat_amount``. Then the cap."""
    total = ZERO
    for tier in sorted(levels, key=lambda r: r.threshold.value):
        if tier.threshold.met(current) and not tier.threshold.met(best_before):
            t.step(f"{label}：首次{tier.threshold.words(unit)}", yuan(tier.amount))
            total += tier.amount
    if repeat_from is not None and repeat_step is not None and repeat_step > 0:
        now = _repeat_count(current, repeat_from, repeat_step, repeat_op)
        before = _repeat_count(best_before, repeat_from, repeat_step, repeat_op)
        if now > before:
            first = repeat_from + (before + 1) * repeat_step
            last = repeat_from + now * repeat_step
            span = num(first) if first == last else f"{num(first)}至{num(last)}"
            amount = (now - before) * repeat_amount
            t.step(
                f"{label}：超{qty(repeat_from, unit)}后每{qty(repeat_step, unit)}一个台阶，"
                f"首次跨过{num(now - before)}个台阶（{span}{unit}）× {yuan(repeat_amount)}",
                yuan(amount),
            )
            total += amount
    if total == 0:
        t.step(
            f"{label}：本年{qty(current, unit)}，历年最高{qty(best_before, unit)}，"
            "未首次跨过任何门槛",
            yuan(ZERO),
        )
    return cap_at(t, label, total, cap)


def tier_difference(t: Trace, label: str, amount: Decimal, previous: Iterable[Decimal]) -> Decimal:
    """级差: the title's amount minus the highest amount already granted for a lower (or any
    earlier) title of the same ladder, never below 0."""
    already = max(previous, default=ZERO)
    result = _money(amount - already)
    t.step(f"{label}：{yuan(amount)} − 已获最高档{yuan(already)}（级差）", yuan(result))
    return result


def highest_only(t: Trace, label: str, items: Mapping[str, Decimal]) -> Decimal:
    """就高 / 从高不重复: only the highest of several amounts counts."""
    if not items:
        t.step(f"{label}：无可奖励项目", yuan(ZERO))
        return ZERO
    name, best = max(items.items(), key=lambda kv: kv[1])
    if len(items) > 1:
        t.step(f"{label}：{'、'.join(items)}中就高取「{name}」", yuan(best))
    return _money(best)


def matching_grant(
    t: Trace, label: str, grant: Decimal, ratio: Decimal = Decimal(1), cap: Decimal | None = None
) -> Decimal:
    """按上级补助资金给予 1:``ratio`` 配套."""
    amount = _money(grant * ratio)
    t.step(f"{label}：上级补助{yuan(grant)} × 配套比例1:{num(ratio)}", yuan(amount))
    return cap_at(t, label, amount, cap)


def capped_sum(
    t: Trace, label: str, parts: Sequence[tuple[str, Decimal]], cap: Decimal | None = None
) -> Decimal:
    """Sum of sub-items, then the article's cap (单户企业最高…)."""
    total = _money(sum((amount for _, amount in parts), ZERO))
    if len(parts) > 1:
        t.step(f"{label}：{' + '.join(name for name, _ in parts)}", yuan(total))
    return cap_at(t, label, total, cap)


def per_item_percent(
    t: Trace,
    label: str,
    items: Sequence[Decimal],
    rate: Decimal,
    item_threshold: Threshold | None,
    cap: Decimal | None = None,
) -> Decimal:
    """``rate`` % of each list item meeting ``item_threshold`` (单家…达到…以上的), summed,
    then the cap."""
    counted = [x for x in items if item_threshold is None or item_threshold.met(x)]
    base = sum(counted, ZERO)
    if item_threshold is not None:
        t.step(
            f"{label}：{len(items)}项中{len(counted)}项{item_threshold.words('元')}，合计",
            yuan(base),
        )
    amount = _money(base * rate / HUNDRED)
    t.step(f"{label}：{yuan(base)} × {pct(rate)}", yuan(amount))
    return cap_at(t, label, amount, cap)


def growth_check(
    t: Trace,
    label: str,
    current: Decimal,
    previous: Decimal,
    threshold: Threshold,
    *,
    required: bool = True,
) -> Decimal | None:
    """同比增长 ``threshold``: records the growth and the verdict; returns the growth (percent
    points) when met, else ``None`` (also when the base period is 0: growth undefined).
    ``required=False`` for a sub-item: an unmet threshold is a reason, not ineligibility."""
    note = t.fail if required else t.reason
    growth = growth_pct(current, previous)
    if growth is None:
        note(f"{label}：上年同期为0，无法计算同比增速")
        return None
    shown = pct(growth.quantize(Decimal("0.01")))
    t.step(
        f"{label}同比增速：({grouped(current)} − {grouped(previous)}) ÷ {grouped(previous)}", shown
    )
    if threshold.met(growth):
        t.reason(f"{label}同比增长{shown}，{threshold.words('%')}")
        return growth
    note(f"{label}同比增长{shown}，未{threshold.words('%')}")
    return None


def per_unit(
    t: Trace,
    label: str,
    count: Decimal,
    amount: Decimal,
    cap: Decimal | None = None,
    unit: str = "个",
) -> Decimal:
    """每人/每个/每项 ``amount`` (按…标准给予补贴): ``count`` × ``amount``, then the cap."""
    total = _money(count * amount)
    t.step(f"{label}：{num(count)}{unit} × {yuan(amount)}", yuan(total))
    return cap_at(t, label, total, cap)


def per_item_capped(
    t: Trace,
    label: str,
    items: Sequence[Decimal],
    rate: Decimal,
    item_cap: Decimal | None = None,
    max_items: int | None = None,
    cap: Decimal | None = None,
) -> Decimal:
    """Each item (a fair, a product) gets ``rate`` % of its amount up to ``item_cap``; at most
    ``max_items`` items count (the largest awards first: 每年最多可申请N个), then the cap."""
    awards = [min(_money(x * rate / HUNDRED), item_cap) if item_cap is not None else
              _money(x * rate / HUNDRED) for x in items]  # fmt: skip
    counted = sorted(awards, reverse=True)
    if max_items is not None and len(counted) > max_items:
        t.step(
            f"{label}：共{len(items)}项，每年最多计{max_items}项（取奖励较高者）", f"{max_items}项"
        )
        counted = counted[:max_items]
    for i, (x, a) in enumerate(zip(items, awards, strict=True), start=1):
        capped = (
            "，按单项上限计"
            if item_cap is not None and a == item_cap and x * rate / HUNDRED > a
            else ""
        )
        t.step(f"{label}：第{i}项 {yuan(x)} × {pct(rate)}{capped}", yuan(a))
    total = sum(counted, ZERO)
    if len(items) > 1:
        t.step(f"{label}：合计", yuan(total))
    return cap_at(t, label, total, cap)


def interest_at_capped_rate(
    t: Trace, label: str, interest: Decimal, rate: Decimal, rate_cap: Decimal
) -> Decimal:
    """Interest counted at most at ``rate_cap`` (“利率最高不超过……” / “不超过LPR”): when the loan
    rate is higher, the interest paid is scaled by ``rate_cap / rate``."""
    if rate <= rate_cap or rate == 0:
        t.step(f"{label}：贷款利率{pct(rate)}未超过{pct(rate_cap)}，按实付利息计", yuan(interest))
        return interest
    counted = interest * rate_cap / rate  # exact: the award is rounded once, at the end
    t.step(
        f"{label}：贷款利率{pct(rate)}超过{pct(rate_cap)}，利息按{pct(rate_cap)}折算："
        f"{yuan(interest)} × {pct(rate_cap)} ÷ {pct(rate)}",
        yuan(counted),
    )
    return counted
