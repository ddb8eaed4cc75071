"""Fact specifications: what a clause needs to know about an enterprise, parsed up front.

A ``FactSpec`` both validates the caller's JSON (money through ``portal.core.money.parse_yuan``,
booleans must be JSON booleans, ranks integers or null...) and describes the form field
(Chinese label, unit, help, choices) for the calculator page and the application form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from portal.core.money import MoneyError, parse_yuan

from .errors import FactError
from .fmt import yuan

KINDS = (
    "money",
    "percent",
    "bool",
    "int",
    "rank",
    "area",
    "kwh",
    "choice",
    "money_list",
    "choice_list",
)
DEFAULT_UNITS = {"money": "元", "percent": "%", "area": "m²", "kwh": "kWh", "money_list": "元"}
# No enterprise has figures beyond these (money: MAX_YUAN in parse_yuan): a larger value is a typing error, refused
# with a clear message instead of overflowing the arithmetic (1e30 yuan, 1e999999).
LIMITS = {
    "percent": Decimal("1e6"),
    "area": Decimal("1e9"),
    "kwh": Decimal("1e15"),
    "int": 10**12,
    "rank": 10**6,
}
NO_RANK = frozenset({"无", "未上榜", "未入榜", "未入围"})  # what a form may type for null
_ASCII_INT = re.compile(r"[0-9]{1,16}", re.ASCII)
_FULL_WIDTH_DIGITS = {0xFF10 + d: ord("0") + d for d in range(10)}


class _Invalid(ValueError):
    """Internal: a single fact value is invalid (message in Chinese, without the label)."""


SHOWN_MAX = 40  # characters of a wrong value quoted back


def _typed(raw: object) -> str:
    """What was given, as the portal quotes it back: 「abc」, 「１２」; a JSON value (the API)
    as JSON (true, null, [1]), never Python's repr ('abc', True, None)."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)
    else:
        try:
            text = json.dumps(raw, ensure_ascii=False, default=str)
        except ValueError:  # a structure that refers to itself
            text = type(raw).__name__
    if len(text) > SHOWN_MAX:
        text = text[:SHOWN_MAX] + "…"
    return f"写的是「{text}」"


def _number(raw: object, *, negative: bool) -> Decimal:
    if isinstance(raw, bool) or raw is None or not isinstance(raw, int | float | str | Decimal):
        raise _Invalid(f"应为数字，{_typed(raw)}")
    text = raw.strip().replace(",", "") if isinstance(raw, str) else str(raw)
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise _Invalid(f"应为数字，{_typed(raw)}") from exc
    if not value.is_finite():
        raise _Invalid(f"应为数字，{_typed(raw)}")
    if value < 0 and not negative:
        raise _Invalid("不能为负数")
    return value


def _within(value: Decimal, limit: Decimal) -> Decimal:
    if abs(value) > limit:
        raise _Invalid(f"数值过大（不能超过{limit:,f}），请核对单位和位数")
    return value


def _money(raw: object) -> Decimal:
    try:
        amount = parse_yuan(raw)
    except MoneyError as exc:
        raise _Invalid(f"{exc}，{_typed(raw)}") from exc
    return amount


def _integer(raw: object, *, minimum: int, limit: int) -> int:
    typed = raw  # quoted back as written
    if isinstance(raw, bool):
        raise _Invalid(f"应为整数，{_typed(typed)}")
    if isinstance(raw, str):  # full-width digits as an input method types them (１２ = 12)
        raw = raw.translate(_FULL_WIDTH_DIGITS)
    if isinstance(raw, str) and _ASCII_INT.fullmatch(raw.strip()):  # "²".isdigit() is true
        text = raw.strip()
        if len(text) > len(str(limit)):
            raise _Invalid(f"数值过大（不能超过{limit:,}），请核对位数")
        raw = int(text)
    if not isinstance(raw, int):
        raise _Invalid(f"应为整数，{_typed(typed)}")
    if raw < minimum:
        raise _Invalid(f"不能小于{minimum}")
    if raw > limit:
        raise _Invalid(f"数值过大（不能超过{limit:,}），请核对位数")
    return raw


@dataclass(frozen=True, eq=False)
class FactSpec:
    """One fact of a clause. ``kind`` is one of ``KINDS``; ``choices`` maps value -> label."""

    name: str
    label: str
    kind: str
    required: bool = True
    help: str = ""
    unit: str = ""
    choices: Mapping[str, str] = field(default_factory=dict)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    # An optional fact that must be given once the fact named here is given (and not false,
    # null or empty): history that a branch reads ("上年度销售收入" once "本年度" is given).
    # Leaving it out must never make the award larger, so it is an error, not a default.
    needed_if: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fact {self.name}: unknown kind {self.kind!r}")
        if self.kind in ("choice", "choice_list") and not self.choices:
            raise ValueError(f"fact {self.name}: a {self.kind} fact needs choices")
        if not self.unit and self.kind in DEFAULT_UNITS:
            object.__setattr__(self, "unit", DEFAULT_UNITS[self.kind])
        object.__setattr__(self, "choices", dict(self.choices))

    def default(self) -> object:
        """Value of an optional fact the caller left out: false / 0 / empty list / None."""
        return {
            "bool": False,
            "int": 0,
            "rank": None,
            "choice": None,
            "money_list": [],
            "choice_list": [],
        }.get(self.kind, Decimal(0))

    def parse(self, raw: object) -> object:
        """Parse one raw JSON value; raises ``_Invalid`` with a Chinese message."""
        kind = self.kind
        if kind == "bool":
            if not isinstance(raw, bool):
                raise _Invalid(f"应为 true 或 false（布尔值），{_typed(raw)}")
            return raw
        if kind == "money":
            return self._bounded(_money(raw))
        if kind in ("percent",):
            return self._bounded(_within(_number(raw, negative=True), LIMITS[kind]))
        if kind in ("area", "kwh"):
            return self._bounded(_within(_number(raw, negative=False), LIMITS[kind]))
        if kind == "int":
            return _integer(raw, minimum=0, limit=LIMITS["int"])
        if kind == "rank":
            if raw is None or (isinstance(raw, str) and raw.strip() in NO_RANK):
                return None
            return _integer(raw, minimum=1, limit=LIMITS["rank"])
        if kind == "choice":
            return self._choice(raw)
        if not isinstance(raw, list | tuple):
            raise _Invalid(f"应为列表（JSON 数组），{_typed(raw)}")
        parse_item = _money if kind == "money_list" else self._choice
        items = []
        for i, item in enumerate(raw, start=1):
            try:
                items.append(parse_item(item))
            except _Invalid as exc:
                raise _Invalid(f"第{i}项{exc}") from exc
        return items

    def _choice(self, raw: object) -> str:
        if not isinstance(raw, str) or raw not in self.choices:
            allowed = "、".join(f"{k}（{v}）" for k, v in self.choices.items())
            raise _Invalid(f"应为以下之一：{allowed}；{_typed(raw)}")
        return raw

    def _bounded(self, value: Decimal) -> Decimal:
        if self.minimum is not None and value < self.minimum:
            raise _Invalid(f"不能小于{self.minimum}{self.unit}")
        if self.maximum is not None and value > self.maximum:
            raise _Invalid(f"不能大于{self.maximum}{self.unit}")
        return value

    def display(self, raw: object) -> str:
        """A stored value as a person reads it: 是/否, "1,200,000,000.00 元", "第12名", the
        choice's Chinese name; never ``True``, a code or a list repr."""
        if raw is None or raw == "":
            return "未上榜" if self.kind == "rank" and raw is None else "（未填报）"
        try:
            value = self.parse(raw)
        except _Invalid:
            return str(raw)
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "money":
            return _grouped_yuan(value)
        if self.kind == "rank":
            return f"第{value}名"
        if self.kind == "choice":
            return self.choices[value]
        if self.kind == "choice_list":
            return "、".join(self.choices[v] for v in value) or "无"
        if self.kind == "money_list":
            return "、".join(_grouped_yuan(v) for v in value) or "无"
        if self.kind == "percent":
            return f"{value.normalize():f}%"
        text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
        return f"{text} {self.unit}".rstrip()

    def to_dict(self) -> dict[str, object]:
        """Form metadata (JSON-serialisable)."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "required": self.required,
            "help": self.help,
            "choices": dict(self.choices),
            "needed_if": self.needed_if,
        }


def _grouped_yuan(amount: Decimal) -> str:
    return yuan(amount)


def _given(value: object) -> bool:
    """A fact that says something: not absent, null, false, 0 or an empty list."""
    return value not in (None, False, [], "") and not (isinstance(value, Decimal) and value == 0)


class Facts(dict):
    """The parsed facts; ``absent`` names the optional facts the caller left out (defaulted)."""

    def __init__(self, code: str, specs: dict[str, FactSpec], values: dict, absent: set[str]):
        super().__init__(values)
        self.code = code
        self.specs = specs  # by name
        self.absent = frozenset(absent)

    def need(self, *names: str, why: str = "") -> None:
        """Refuse (FactError) when a branch reads an optional fact the caller left out."""
        errors = {
            name: _needed_message(self.code, self.specs[name], why)
            for name in names
            if name in self.absent
        }
        if errors:
            raise FactError(errors, code=self.code)


_EMPTY_HINT = {
    "money": "（没有请填0）",
    "rank": "（此前未上榜请填“无”）",
    "choice_list": "（没有请传空列表）",
    "money_list": "（没有请传空列表）",
    "bool": "（请选择是或否）",
}


def _needed_message(code: str, spec: FactSpec, why: str) -> str:
    tail = f"：{why}" if why else ""
    return f"缺少「{spec.label}」{tail}"


def parse_facts(code: str, specs: list[FactSpec], raw: Mapping[str, object]) -> Facts:
    """Parse and validate every declared fact at once; undeclared facts are ignored.

    Raises ``FactError`` listing every bad or missing fact (fact name -> Chinese message),
    including an optional fact whose ``needed_if`` fact was given.
    """
    if not isinstance(raw, Mapping):
        raise FactError({"facts": f"条款 {code} 的事实应为 JSON 对象"}, code=code)
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    absent: set[str] = set()
    for spec in specs:
        value = raw.get(spec.name)
        if spec.name not in raw or (value is None and spec.kind != "rank"):
            if spec.required:
                errors[spec.name] = f"缺少必填数据「{spec.label}」"
            else:
                parsed[spec.name] = spec.default()
                absent.add(spec.name)
            continue
        try:
            parsed[spec.name] = spec.parse(value)
        except _Invalid as exc:
            errors[spec.name] = f"「{spec.label}」{exc}"
    by_name = {spec.name: spec for spec in specs}
    for spec in specs:
        trigger = by_name.get(spec.needed_if)
        if spec.name in absent and trigger and _given(parsed.get(trigger.name)):
            errors[spec.name] = _needed_message(
                code, spec, f"已填写「{trigger.label}」时必须填写{_EMPTY_HINT.get(spec.kind, '')}"
            )
    if errors:
        raise FactError(errors, code=code)
    return Facts(code, by_name, parsed, absent)


# Short constructors so clause declarations read like the contract table.
def money(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "money", **kw)


def flag(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "bool", **kw)


def percent(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "percent", **kw)


def integer(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "int", **kw)


def rank(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "rank", **kw)


def area(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "area", **kw)


def kwh(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "kwh", **kw)


def choice(name: str, label: str, choices: Mapping[str, str], **kw: object) -> FactSpec:
    return FactSpec(name, label, "choice", choices=choices, **kw)


def money_list(name: str, label: str, **kw: object) -> FactSpec:
    return FactSpec(name, label, "money_list", **kw)


def choice_list(name: str, label: str, choices: Mapping[str, str], **kw: object) -> FactSpec:
    return FactSpec(name, label, "choice_list", choices=choices, **kw)


def fact_from_dict(data: Mapping[str, object] | FactSpec) -> FactSpec:
    """Build a FactSpec from a dict (for data-declared clauses)."""
    if isinstance(data, FactSpec):
        return data
    kw = dict(data)
    for key in ("minimum", "maximum"):
        if kw.get(key) is not None:
            kw[key] = Decimal(str(kw[key]))
    return FactSpec(**kw)  # type: ignore[arg-type]
