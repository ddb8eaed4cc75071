"""Editable clause parameters (thresholds, amounts, rates, caps) and their validation.

The formula's *shape* lives in code; its *numbers* live here as data, so the policy
administrator can change a threshold or an amount for a new policy version without a code
change. ``validate_params`` merges overrides onto the defaults taken from the policy text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from portal.core.money import MAX_YUAN

from .errors import ParamError
from .fmt import num
from .thresholds import OPS, Threshold, Tier, _decimal

PARAM_KINDS = (
    "money",
    "cap",
    "percent",
    "ratio",
    "number",
    "int",
    "comparator",
    "threshold",
    "tiers",
    "amounts",
)


@dataclass(frozen=True, eq=False)
class ParamSpec:
    """One editable value. ``cap`` is money or ``None`` (不设上限)."""

    name: str
    label: str
    kind: str
    default: object
    help: str = ""
    unit: str = ""  # of a threshold's or tier's value (元, %, 人…); "" when the label says it

    def __post_init__(self) -> None:
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"param {self.name}: unknown kind {self.kind!r}")
        object.__setattr__(self, "default", self.parse(self.default))

    def parse(self, raw: object) -> object:
        """Parse one raw value; raises ``ValueError`` with a Chinese message."""
        kind = self.kind
        if kind in ("money", "percent", "ratio", "number"):
            return _decimal(raw)
        if kind == "cap":
            return None if raw is None else _decimal(raw)
        if kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise ValueError(f"应为正整数：{raw!r}")
            text = raw if isinstance(raw, int) else raw.strip()
            ascii_digits = isinstance(text, str) and text.isascii() and text.isdigit()
            value = int(text) if isinstance(text, int) or ascii_digits else -1  # not "²"
            if value < 1:
                raise ValueError(f"应为正整数：{raw!r}")
            if value >= MAX_YUAN:  # a count so large no step could be shown
                raise ValueError(f"数值过大，请核对：{raw!r}")
            return value
        if kind == "comparator":
            if raw not in OPS:
                raise ValueError(f"比较符应为 >= 或 >：{raw!r}")
            return raw
        if kind == "threshold":
            return Threshold.parse(raw)
        if kind == "tiers":
            if not isinstance(raw, list | tuple) or not raw:
                raise ValueError("档位表应为非空列表")
            return tuple(sorted((Tier.parse(r) for r in raw), key=lambda t: t.threshold.value))
        # amounts: choice value -> amount
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError("应为「选项 -> 金额」的对照表")
        return {str(k): _decimal(v) for k, v in raw.items()}

    def serialize(self, value: object) -> object:
        """JSON-able form of a value (what the administrator edits and the DB stores)."""
        if value is None or isinstance(value, str | int):
            return value
        if isinstance(value, Decimal):
            return num(value)
        if isinstance(value, Threshold | Tier):
            return value.to_dict()
        if isinstance(value, tuple):
            return [t.to_dict() for t in value]
        return {k: num(v) for k, v in value.items()}  # type: ignore[union-attr]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "default": self.serialize(self.default),
            "help": self.help,
            "unit": self.unit,
        }


def validate_params(
    code: str, specs: list[ParamSpec], overrides: Mapping[str, object] | None
) -> dict[str, object]:
    """Defaults merged with ``overrides``; unknown names and bad values raise ``ParamError``."""
    values = {p.name: p.default for p in specs}
    if overrides is None:
        return values
    if not isinstance(overrides, Mapping):
        raise ParamError({"params": f"条款 {code} 的参数应为对象"}, code=code)
    by_name = {p.name: p for p in specs}
    errors: dict[str, str] = {}
    for name, raw in overrides.items():
        spec = by_name.get(name)
        if spec is None:
            errors[name] = f"条款 {code} 没有名为 {name} 的参数"
            continue
        try:
            value = spec.parse(raw)
            if spec.kind == "amounts" and set(value) != set(spec.default):  # type: ignore[arg-type]
                raise ValueError(f"选项应为 {'、'.join(spec.default)}")  # type: ignore[arg-type]
        except ValueError as exc:
            errors[name] = f"「{spec.label}」无效：{exc}"
            continue
        values[name] = value
    if errors:
        raise ParamError(errors, code=code)
    return values
