"""Forms built from the engine's fact and param specifications (labels, units, choices)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django import forms

from policies import engine

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


class RuleParamsForm(forms.Form):
    """The editable numbers of one clause. Structured values (tiers, tables) are edited as JSON."""

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
        for spec in clause.params:
            value = current.get(spec.name, spec.serialize(spec.default))
            if spec.kind == "threshold" and isinstance(value, dict):
                value = f"{value['op']}{value['value']}"  # what the help text shows: >=10
            structured = isinstance(value, dict | list)
            self.fields[f"p_{spec.name}"] = forms.CharField(
                label=spec.label,
                required=False,
                initial=json.dumps(value, ensure_ascii=False) if structured else value,
                help_text=spec.help or _kind_help(spec.kind),
                widget=forms.Textarea(attrs={"rows": 3}) if structured else forms.TextInput(),
            )

    def params(self) -> dict[str, object]:
        """Raw values for ``validate_params``; JSON text is decoded, a bad one is a field error."""
        values: dict[str, object] = {}
        for spec in self.clause.params:
            raw = (self.cleaned_data.get(f"p_{spec.name}") or "").strip()
            if spec.kind == "cap" and raw in ("", "无", "不设上限"):
                values[spec.name] = None
                continue
            if raw.startswith(("[", "{")):
                try:
                    values[spec.name] = json.loads(raw)
                except json.JSONDecodeError:
                    self.add_error(f"p_{spec.name}", "不是有效的 JSON 格式")
                continue
            values[spec.name] = raw
        return values

    def add_param_errors(self, error: engine.EngineError) -> None:
        for name, message in error.errors.items():
            field = f"p_{name}"
            self.add_error(field if field in self.fields else None, message)


def _kind_help(kind: str) -> str:
    return {
        "money": "金额，单位元",
        "cap": "最高金额，单位元；留空或填“不设上限”表示不设上限",
        "percent": "百分比，填 10 表示 10%",
        "threshold": "门槛，如 >=20000000（达到/以上/不低于）或 >100000000（超过/高于）",
        "tiers": "档次表（JSON）",
        "amounts": "选项与金额对照表（JSON）",
    }.get(kind, "")
