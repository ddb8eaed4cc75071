"""Cross-case rules (pure): 从高不重复 groups, 级差 against titles already rewarded, once-only
awards and per-enterprise annual caps; plus the declared-overlap check.

``apply_stacking(candidate, earlier)`` takes a candidate award (already computed by
``calculate()``) and the enterprise's earlier or pending awards, and returns the adjusted
amount with Chinese trace lines naming which award displaced which. Group keys are plain
strings: a clause declares its groups (``stacking_groups``) and its ladder (``ladder``); a
caller may qualify a key with the subject (``"project_equipment_investment:P-2024-001"``) so
that only awards for the same project meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from portal.core.money import ZERO, round_fen

from .fmt import yuan
from .registry import all_clauses, get_clause

GRANTED, PENDING = "granted", "pending"


@dataclass(frozen=True)
class Award:
    """An award of one enterprise: the candidate or an earlier/pending one.

    ``groups`` default to the clause's ``stacking_groups``; ``ladder`` to its ``ladder``
    (only set it when ``amount`` is the title's full amount, not an amount already reduced
    by 级差 through the clause's ``previous_titles`` fact). ``status`` is ``"granted"``
    (decided or paid: cannot be taken back here) or ``"pending"`` (may be displaced).
    """

    code: str
    amount: Decimal
    year: int
    groups: tuple[str, ...] | None = None
    ladder: str | None = None
    title: str = ""
    status: str = GRANTED
    ref: str = ""

    def group_keys(self) -> tuple[str, ...]:
        if self.groups is not None:
            return self.groups
        return tuple(_clause_attr(self.code, "stacking_groups", ()))

    def ladder_key(self) -> str | None:
        return self.ladder if self.ladder is not None else _clause_attr(self.code, "ladder", None)

    def name(self) -> str:
        label = self.title or self.code
        return f"{label}（{self.ref or self.code}，{self.year}年，{yuan(self.amount)}）"


@dataclass(frozen=True)
class StackingResult:
    original: Decimal
    amount: Decimal
    lines: list[str] = field(default_factory=list)
    displaced: list[Award] = field(default_factory=list)


def _clause_attr(code: str, attr: str, default: object) -> object:
    try:
        return getattr(get_clause(code), attr)
    except Exception:  # an award of a clause the engine no longer knows: no declared rule
        return default


def _cumulative_with(code: str) -> set[str]:
    """Codes declared cumulative with ``code`` (``stacks_with``, either side): a declared pair
    rule overrides a shared 从高不重复 group."""
    own = set(_clause_attr(code, "stacks_with", ()))
    return own | {c.code for c in all_clauses() if code in c.stacks_with}


def _annual_cap(code: str) -> Decimal | None:
    try:
        clause = get_clause(code)
    except Exception:
        return None
    if not clause.annual_cap_param:
        return None
    return clause.validate_params(None)[clause.annual_cap_param]


def apply_stacking(
    candidate: Award,
    earlier: Sequence[Award],
    *,
    annual_caps: Mapping[str, Decimal | None] | None = None,
    enterprise_annual_cap: Decimal | None = None,
) -> StackingResult:
    """Adjust ``candidate.amount`` for the enterprise's ``earlier`` awards (granted or pending).

    Order: once-only (同一企业只享受一次) → 级差 within a ladder → 从高不重复 groups → the
    clause's annual cap (``annual_caps`` overrides the clause's ``annual_cap_param``) → an
    optional per-enterprise annual cap over every award of the year.
    """
    amount = round_fen(candidate.amount)
    lines: list[str] = []
    displaced: list[Award] = []
    others = [a for a in earlier if a is not candidate]

    if _clause_attr(candidate.code, "once_per_enterprise", False):
        before = [a for a in others if a.code == candidate.code and a.amount > 0]
        if before:
            lines.append(
                f"{candidate.code} 同一企业只享受一次：已获{before[0].name()}，本次不再奖励"
            )
            amount = ZERO

    ladder = candidate.ladder_key()
    if ladder and amount > 0:
        rungs = [a for a in others if a.ladder_key() == ladder and a.status == GRANTED]
        paid = sum((a.amount for a in rungs), ZERO)
        if paid > 0:
            new = max(amount - paid, ZERO)
            names = "、".join(a.name() for a in rungs)
            lines.append(f"级差：{yuan(amount)} − 已获{names}合计{yuan(paid)} = {yuan(new)}")
            amount = new

    # 从高不重复 is between different clauses; repeated awards of one clause are governed by
    # its own rules (首次, once-only, annual cap), so the candidate's own code is left out.
    cumulative = _cumulative_with(candidate.code) | {candidate.code}
    for group in candidate.group_keys():
        if amount <= 0:
            break
        same = [
            a
            for a in others
            if group in a.group_keys() and a.amount > 0 and a.code not in cumulative
        ]
        for award in sorted(same, key=lambda a: a.amount, reverse=True):
            if award.status == PENDING and award.amount <= amount:
                displaced.append(award)
                lines.append(
                    f"从高不重复（{group}）：本项{yuan(amount)}较高，取代待定的{award.name()}"
                )
                continue
            if award.amount >= amount:
                lines.append(
                    f"从高不重复（{group}）：{award.name()}不低于本项{yuan(amount)}，本项不再奖励"
                )
                amount = ZERO
                break
            new = amount - award.amount
            lines.append(
                f"从高不重复（{group}）：已获{award.name()}，本项只补足差额"
                f"{yuan(amount)} − {yuan(award.amount)} = {yuan(new)}"
            )
            amount = new

    amount = _cap_year(
        amount,
        [a for a in others if a.code == candidate.code and a.year == candidate.year],
        (annual_caps or {}).get(candidate.code, _annual_cap(candidate.code)),
        f"{candidate.code} 每年最高",
        lines,
    )
    amount = _cap_year(
        amount,
        [a for a in others if a.year == candidate.year and a not in displaced],
        enterprise_annual_cap,
        "同一企业每年奖励总额最高",
        lines,
    )
    return StackingResult(round_fen(candidate.amount), round_fen(amount), lines, displaced)


def _cap_year(
    amount: Decimal, same_year: Iterable[Award], cap: Decimal | None, what: str, lines: list[str]
) -> Decimal:
    if cap is None or amount <= 0:
        return amount
    used = sum((a.amount for a in same_year), ZERO)
    room = max(cap - used, ZERO)
    if amount > room:
        lines.append(
            f"{what}{yuan(cap)}，本年已获{yuan(used)}，本项由{yuan(amount)}减为{yuan(room)}"
        )
        return room
    return amount


def undeclared_overlaps() -> list[tuple[str, str, str]]:
    """Pairs of clauses rewarding the same matter (``matters``) with no declared rule: neither a
    shared 从高不重复 group, nor a shared ladder, nor ``stacks_with`` (declared cumulative)."""
    found = []
    for a, b in combinations(all_clauses(), 2):
        for matter in sorted(set(a.matters) & set(b.matters)):
            declared = (
                set(a.stacking_groups) & set(b.stacking_groups)
                or (a.ladder and a.ladder == b.ladder)
                or b.code in a.stacks_with
                or a.code in b.stacks_with
            )
            if not declared:
                found.append((a.code, b.code, matter))
    return found
