"""Forms built from the engine's fact and param specifications (labels, units, choices)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import forms

from policies import engine
from policies.engine.fmt import num
from policies.selectors import choice_names, param_unit

NUMBER_KINDS = {"money", "percent", "area", "kwh", "int", "rank"}
LIST_SPLIT = re.compile(r"[\s,，;；、]+")


def unique_facts(clauses: Iterable[engine.Clause]) -> list[engine.FactSpec]:
    """The facts of several clauses, each name once (same name = same meaning, by contract)."""
    seen: dict[str, engine.FactSpec] = {}
    for clause in clauses:
        for spec in clause.facts:
            seen.setdefault(spec.name, spec)
    return list(seen.values())


def _field(spec: engine.FactSpec) -> forms.Field:
    label = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
    help_text = spec.help
    if spec.kind == "bool":
        return forms.BooleanField(label=spec.label, required=False, help_text=help_text)
    if spec.kind == "choice":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "（未选择）"), *spec.choices.items()],
            help_text=help_text,
        )
    if spec.kind == "choice_list":
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=list(spec.choices.items()),
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
        )
    if spec.kind == "money_list":
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=(help_text + " " if help_text else "") + "每行（或用逗号分隔）填写一个金额。",
        )
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class FactsForm(forms.Form):
    """Every fact of the given clauses. ``facts()`` gives the engine's JSON; empty = not given."""

    def __init__(self, *args, specs: list[engine.FactSpec], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.specs = {spec.name: spec for spec in specs}
        for spec in specs:
            self.fields[spec.name] = _field(spec)

    def facts(self) -> dict[str, object]:
        facts: dict[str, object] = {}
        for name, spec in self.specs.items():
            value = self.cleaned_data.get(name)
            if spec.kind == "bool":
                facts[name] = bool(value)
            elif spec.kind == "choice_list":
                facts[name] = list(value or [])
            elif spec.kind == "money_list":
                facts[name] = [item for item in LIST_SPLIT.split(value or "") if item]
            elif value not in (None, ""):
                facts[name] = value.strip() if isinstance(value, str) else value
        return facts

    def add_engine_errors(self, error: engine.EngineError) -> None:
        for name, message in error.errors.items():
            self.add_error(name if name in self.fields else None, message)


def initial_from_facts(facts: dict[str, object]) -> dict[str, object]:
    """Form initial values from stored facts (lists back to one amount per line)."""
    return {k: "\n".join(map(str, v)) if isinstance(v, list) else v for k, v in facts.items()}


OP_CHOICES = [(">=", "达到（≥）"), (">", "超过（>）")]  # 达到 counts the number itself
EXTRA_TIERS = 2  # blank rows under a tiers table, to add a tier


def _with_unit(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit and f"（{unit}）" not in label else label


class RuleParamsForm(forms.Form):
    """The editable numbers of one clause, each in words: a threshold is a choice of 达到/超过
    and a number in its unit, a tiers table one row per tier, an amounts table one amount per
    option. What is stored stays the engine's representation (``{"value", "op"}``, lists of
    tiers, option -> amount); the conversion happens here."""

    effective_from = forms.DateField(
        label="生效日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="新版本从该日起用于计算；此前的计算仍按原版本解释。",
    )
    note = forms.CharField(
        label="修改说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="修改依据（文号、会议纪要等），发布时必填。",
    )

    def __init__(self, *args, clause: engine.Clause, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clause = clause
        self.anchors: dict[str, str] = {}  # param name -> the field its errors stand under
        self.groups: list[tuple[str, list[list[str]]]] = []  # (title, rows of field names)
        self._amount_keys: dict[str, list[str]] = {}  # amounts param -> its options in order
        for spec in clause.params:
            raw = current.get(spec.name, spec.serialize(spec.default))
            try:
                value = spec.parse(raw)
            except ValueError:
                value = spec.default
            add = getattr(self, f"_add_{spec.kind}", self._add_text)
            add(spec, value)

    # -- fields per kind -----------------------------------------------------------------
    def _number(self, name: str, label: str, initial: object, *, required: bool = False) -> None:
        self.fields[name] = _NumberField(
            label=label,
            required=required,
            initial="" if initial is None else engine_num(initial),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )

    def _op(self, name: str, label: str, initial: str) -> None:
        self.fields[name] = forms.ChoiceField(
            label=label, choices=OP_CHOICES, initial=initial, required=False
        )

    def _add_threshold(self, spec, value) -> None:
        unit = param_unit(spec)
        base = f"p_{spec.name}"
        self._op(f"{base}__op", f"{spec.label}：比较方式", value.op)
        self._number(base, _with_unit(f"{spec.label}：数值", unit), value.value, required=True)
        self.anchors[spec.name] = base
        self.groups.append((_with_unit(spec.label, unit), [[f"{base}__op", base]]))

    def _add_comparator(self, spec, value) -> None:
        base = f"p_{spec.name}"
        self._op(base, spec.label, value)
        self.anchors[spec.name] = base
        self.groups.append((spec.label, [[base]]))

    def _add_tiers(self, spec, value) -> None:
        unit = param_unit(spec)
        base = f"p_{spec.name}"
        rows = []
        for i in range(len(value) + EXTRA_TIERS):
            tier = value[i] if i < len(value) else None
            row = f"{base}__{i}"
            self._op(f"{row}__op", f"第{i + 1}档：比较方式", tier.threshold.op if tier else ">=")
            self._number(
                f"{row}__value",
                _with_unit(f"第{i + 1}档：门槛", unit),
                tier.threshold.value if tier else None,
            )
            self._number(
                f"{row}__amount", f"第{i + 1}档：奖励金额（元）", tier.amount if tier else None
            )
            rows.append([f"{row}__op", f"{row}__value", f"{row}__amount"])
        self.anchors[spec.name] = f"{base}__0__value"
        title = f"{spec.label}（每行一档，“达到”含本数、“超过”不含；清空一行即删去该档，空行可添加新档）"
        self.groups.append((title, rows))

    def _add_amounts(self, spec, value) -> None:
        names = choice_names(self.clause, set(value))
        base = f"p_{spec.name}"
        rows = []
        for i, (key, amount) in enumerate(value.items()):
            name = f"{base}__{i}"
            self._number(name, f"{names.get(key, key)}（元）", amount, required=True)
            rows.append([name])
        self.anchors[spec.name] = f"{base}__0"
        self.groups.append((spec.label, rows))
        self._amount_keys[spec.name] = list(value)

    def _add_text(self, spec, value) -> None:
        base = f"p_{spec.name}"
        unit = {"money": "元", "cap": "元", "percent": "%"}.get(spec.kind, "")
        if spec.kind == "cap":
            initial = "不设上限" if value is None else engine_num(value)
        else:
            initial = engine_num(value) if not isinstance(value, str) else value
        self.fields[base] = forms.CharField(
            label=_with_unit(spec.label, unit),
            required=False,
            initial=initial,
            help_text=spec.help or _kind_help(spec.kind),
        )
        self.anchors[spec.name] = base
        self.groups.append(("", [[base]]))

    # -- back to the engine's representation ---------------------------------------------
    def params(self) -> dict[str, object]:
        """Raw values for ``validate_params`` (the stored representation); a row half filled
        in is a field error."""
        data = self.cleaned_data
        values: dict[str, object] = {}
        for spec in self.clause.params:
            base = f"p_{spec.name}"
            if spec.kind == "threshold":
                values[spec.name] = {"value": _plain(data.get(base)), "op": data.get(f"{base}__op")}
            elif spec.kind == "tiers":
                values[spec.name] = self._tiers(spec, base)
            elif spec.kind == "amounts":
                keys = self._amount_keys[spec.name]
                values[spec.name] = {
                    key: _plain(data.get(f"{base}__{i}")) for i, key in enumerate(keys)
                }
            else:
                raw = (data.get(base) or "").strip()
                if spec.kind == "cap" and raw in ("", "无", "不设上限"):
                    values[spec.name] = None
                else:
                    values[spec.name] = _plain(raw)
        return values

    def _tiers(self, spec, base: str) -> list[dict[str, object]]:
        tiers = []
        i = 0
        while f"{base}__{i}__value" in self.fields:
            value = _plain(self.cleaned_data.get(f"{base}__{i}__value"))
            amount = _plain(self.cleaned_data.get(f"{base}__{i}__amount"))
            if value and amount:
                op = self.cleaned_data.get(f"{base}__{i}__op") or ">="
                tiers.append({"value": value, "op": op, "amount": amount})
            elif value or amount:
                self.add_error(
                    f"{base}__{i}__{'amount' if value else 'value'}",
                    f"第{i + 1}档须同时填写门槛和奖励金额（删去该档请两项都清空）。",
                )
            i += 1
        if not tiers:
            self.add_error(f"{base}__0__value", "至少保留一档。")
        return tiers

    def add_param_errors(self, error) -> None:
        """An engine's or a service's errors under the fields they are about (a parameter's
        under its first input), the rest at the top."""
        for name, message in error.errors.items():
            field = self.anchors.get(name, name)
            self.add_error(field if field in self.fields else None, message)

    def grouped_fields(self) -> list[tuple[str, list[list[forms.BoundField]]]]:
        """The parameter fields by parameter, each a list of rows, for the template."""
        return [(title, [[self[n] for n in row] for row in rows]) for title, rows in self.groups]


class _NumberField(forms.CharField):
    """A number as typed (grouping commas allowed); anything else is refused on its own row."""

    def clean(self, value):
        text = _plain(super().clean(value))
        if text:
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or number < 0:
                raise forms.ValidationError(
                    "请填写不小于 0 的数字（可带千分位逗号），如 500000000。"
                )
        return text


def engine_num(value: object) -> str:
    """A Decimal as typed: no exponent, no useless zeros (5E+8 -> "500000000")."""
    return num(value) if not isinstance(value, str) else value


def _plain(raw: object) -> str:
    """What was typed, without grouping commas or spaces ("1,000,000" -> "1000000")."""
    return str(raw or "").replace(",", "").replace("，", "").replace(" ", "").strip()


def _kind_help(kind: str) -> str:
    return {
        "money": "金额，单位元",
        "cap": "最高金额，单位元；留空或填“不设上限”表示不设上限",
        "percent": "百分比，填 10 表示 10%",
        "ratio": "配套比例，填 1 表示 1:1",
    }.get(kind, "")
