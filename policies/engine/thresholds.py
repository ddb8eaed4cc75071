"""Threshold and Tier value objects: every threshold carries its comparator explicitly.

Policy wording -> comparator: 以上 / 达到 / 不低于 / 含 -> ``">="``; 超过 / 超 / 高于 -> ``">"``.
(Where the award contract states another reading, the clause's default says so and cites it.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from portal.core.money import MAX_YUAN

from .fmt import num, qty

OPS = {">=": "达到", ">": "超过"}
_SYMBOL = {">=": "≥", ">": ">"}
_TEXT_RE = re.compile(r"^\s*(>=|≥|>)\s*([0-9.,]+)\s*$")


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"不是数字：{raw!r}")
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"不是数字：{raw!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"应为非负数字：{raw!r}")
    if value >= MAX_YUAN:  # "1e999999" cannot even be formatted for the trace
        raise ValueError(f"数值过大，请核对单位：{raw!r}")
    return value


@dataclass(frozen=True)
class Threshold:
    """``value`` with comparator ``op`` (">=" or ">"): ``Threshold(Decimal("5e8"), ">=")``."""

    value: Decimal
    op: str = ">="

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"比较符应为 >= 或 >，收到 {self.op!r}")
        object.__setattr__(self, "value", _decimal(self.value))

    def met(self, x: Decimal) -> bool:
        return x >= self.value if self.op == ">=" else x > self.value

    def __str__(self) -> str:
        return f"{_SYMBOL[self.op]}{num(self.value)}"

    def words(self, unit: str = "") -> str:
        """Chinese wording: "达到500,000,000.00 元" / "超过20%"."""
        return f"{OPS[self.op]}{qty(self.value, unit)}"

    def to_dict(self) -> dict[str, str]:
        return {"value": num(self.value), "op": self.op}

    @classmethod
    def parse(cls, raw: object) -> Threshold:
        """From a Threshold, ``{"value": "5e8", "op": ">="}`` or a string ``">=500000000"``."""
        if isinstance(raw, Threshold):
            return raw
        if isinstance(raw, Mapping):
            if "value" not in raw:
                raise ValueError("门槛缺少 value")
            return cls(_decimal(raw["value"]), str(raw.get("op", ">=")))
        if isinstance(raw, str):
            m = _TEXT_RE.match(raw)
            if not m:
                raise ValueError(f'门槛应写作 ">=数值" 或 ">数值"，收到 {raw!r}')
            op = ">" if m.group(1) == ">" else ">="
            return cls(_decimal(m.group(2)), op)
        raise ValueError(f"不是有效门槛：{raw!r}")


def ge(value: object) -> Threshold:
    """以上 / 达到 / 不低于."""
    return Threshold(_decimal(value), ">=")


def gt(value: object) -> Threshold:
    """超过 / 高于."""
    return Threshold(_decimal(value), ">")


@dataclass(frozen=True)
class Tier:
    """One row of a tiers table: reaching ``threshold`` gives ``amount``."""

    threshold: Threshold
    amount: Decimal

    def to_dict(self) -> dict[str, str]:
        return {**self.threshold.to_dict(), "amount": num(self.amount)}

    @classmethod
    def parse(cls, raw: object) -> Tier:
        """From a Tier, ``{"value": .., "op": .., "amount": ..}`` or ``(threshold, amount)``."""
        if isinstance(raw, Tier):
            return raw
        if isinstance(raw, Mapping):
            if "amount" not in raw:
                raise ValueError("档位缺少 amount")
            return cls(Threshold.parse(raw.get("threshold", raw)), _decimal(raw["amount"]))
        if isinstance(raw, list | tuple) and len(raw) == 2:
            return cls(Threshold.parse(raw[0]), _decimal(raw[1]))
        raise ValueError(f"不是有效档位：{raw!r}")


def tiers(*rows: tuple[object, object]) -> tuple[Tier, ...]:
    """``tiers((ge(5e8), 100000), ...)`` — literal tables in clause declarations."""
    return tuple(Tier.parse(r) for r in rows)
