"""AwardResult, Step and the Trace that clauses write while computing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from portal.core.money import ZERO, format_yuan, round_fen


@dataclass(frozen=True)
class Step:
    """One line of the computation trace (每一步怎么算的): a Chinese label and its value."""

    label: str
    value: str

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value}


@dataclass(frozen=True)
class AwardResult:
    """What ``calculate()`` returns; ``to_dict()`` is the contract JSON."""

    clause: str
    eligible: bool
    amount: Decimal
    reasons: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    is_ceiling: bool = False
    floor: Decimal | None = None
    computable: bool = True
    # shares of the amount by stacking group or cap param (``Clause.stacking_parts``); not
    # part of the contract JSON: only the case-level stacking reads them
    parts: dict[str, Decimal] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "clause": self.clause,
            "eligible": self.eligible,
            "amount": format_yuan(self.amount),
            "reasons": list(self.reasons),
            "steps": [s.to_dict() for s in self.steps],
            "is_ceiling": self.is_ceiling,
            "floor": None if self.floor is None else format_yuan(self.floor),
            "computable": self.computable,
        }


class Trace:
    """Collects reasons (why eligible or not) and steps (how the amount was computed)."""

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.steps: list[Step] = []
        self.failed = False
        self.is_ceiling = False
        self.floor: Decimal | None = None
        self.computable = True
        self.parts: dict[str, Decimal] = {}
        self.items: dict[str, Decimal] = {}  # named sub-items of a data clause's sum

    def part(self, key: str, amount: Decimal) -> Decimal:
        """Record that ``amount`` of the award belongs to stacking group (or cap) ``key``."""
        self.parts[key] = self.parts.get(key, ZERO) + max(amount, ZERO)
        return amount

    def step(self, label: str, value: object) -> None:
        self.steps.append(Step(str(label), str(value)))

    def reason(self, text: str) -> None:
        self.reasons.append(text)

    def fail(self, text: str) -> None:
        """Record a reason that makes the enterprise ineligible."""
        self.failed = True
        self.reasons.append(text)

    def check(self, ok: bool, yes: str, no: str) -> bool:
        """Record a condition of eligibility; returns ``ok``. Use ``ok &= t.check(...)`` so
        that every unmet condition is listed, not only the first."""
        if ok:
            self.reason(yes)
        else:
            self.fail(no)
        return bool(ok)

    def result(self, code: str, amount: Decimal) -> AwardResult:
        amount = round_fen(amount) if amount > 0 else ZERO
        eligible = not self.failed and (amount > 0 or not self.computable)
        if not self.failed and amount == 0 and self.computable:
            self.reason("按政策公式计算的奖励金额为0元，本条款不予奖励")
        return AwardResult(
            clause=code,
            eligible=eligible,
            amount=amount if eligible else ZERO,
            reasons=list(self.reasons),
            steps=list(self.steps),
            is_ceiling=self.is_ceiling,
            floor=round_fen(self.floor) if self.floor is not None and eligible else None,
            computable=self.computable,
            parts={k: round_fen(v) for k, v in self.parts.items()} if eligible else {},
        )
