"""Existing clauses expressed as definitions give the same amount and the same trace (reasons,
steps, ceiling, floor, shares) as the clauses they copy, on every golden case (issue 20 item 4):
every clause declared with ``register_spec`` through ``spec_to_definition``, and the classes of
other shapes as the shipped policy files write them (``definition:`` in ``policies/data/*.yaml``,
which the registry answers their codes with: ``policies/engine/library.py``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policies.engine import (
    EngineError,
    class_clause,
    class_codes,
    get_clause,
    replaced_codes,
    spec_clause,
    spec_codes,
)
from policies.engine.definitions import compile_definition
from policies.engine.definitions.from_spec import spec_to_definition
from policies.engine.library import library_definitions
from policies.engine.thresholds import Threshold, Tier
from policies.golden import golden_cases

SPEC_CODES = spec_codes()
BY_HAND = [d for d in library_definitions() if d["code"] in set(replaced_codes())]


def _same_on_golden_cases(clause, defined) -> int:
    cases = golden_cases(clause.code)
    assert cases, f"{clause.code} has golden cases"
    for case in cases:
        expected, got = clause.calculate(case["facts"]), defined.calculate(case["facts"])
        assert got.to_dict() == expected.to_dict(), case.get("why")
        assert got.parts == expected.parts, case.get("why")
    return len(cases)


@pytest.mark.parametrize("code", SPEC_CODES)
def test_a_spec_clause_as_a_definition_computes_and_explains_the_same(code):
    clause = spec_clause(code)
    defined = compile_definition(spec_to_definition(clause))
    _same_on_golden_cases(clause, defined)
    assert (defined.is_ceiling, defined.computable) == (clause.is_ceiling, clause.computable)
    assert [f.to_dict() for f in defined.facts] == [f.to_dict() for f in clause.facts]
    assert (defined.stacking_groups, defined.ladder, defined.paid_per) == (
        clause.stacking_groups, clause.ladder, clause.paid_per,
    )  # fmt: skip


@pytest.mark.parametrize("definition", BY_HAND, ids=[d["code"] for d in BY_HAND])
def test_a_class_clause_as_its_policy_file_writes_it_computes_and_explains_the_same(definition):
    clause = class_clause(definition["code"])
    defined = compile_definition(definition)
    assert _same_on_golden_cases(clause, defined) >= 2
    assert [f.to_dict() for f in defined.facts] == [f.to_dict() for f in clause.facts]
    assert _declared(defined) == _declared(clause)


STACKING = (
    "stacking_groups", "stacks_with", "ladder", "once_per_enterprise", "paid_per", "subject_kind",
    "matters", "fixed_period", "is_ceiling", "computable", "stacking_parts", "combine",
)  # fmt: skip


def _declared(clause) -> dict[str, object]:
    """What the cross-case rules, the case period and the review page read besides the amount."""
    out = {k: getattr(clause, k) for k in STACKING}
    out = {k: tuple(v) if isinstance(v, list | tuple) else v for k, v in out.items()}
    defaults = {p.name: p.default for p in clause.params}
    out["enterprise_caps"] = sorted(  # the same caps, each under its own parameter's name
        (n, str(defaults[n])) for n in clause.enterprise_cap_params
    )
    out["annual_cap"] = clause.annual_cap_param is not None and str(
        {p.name: p.default for p in clause.params}[clause.annual_cap_param]
    )
    return out


def test_the_copies_cover_several_shapes():
    shapes = set()
    for code in SPEC_CODES:
        defined = compile_definition(spec_to_definition(spec_clause(code)))
        shapes |= {n.type for n in defined.formula.walk()}
    assert len(SPEC_CODES) >= 30
    assert {"fixed", "percent", "steps", "table", "per_item", "up_to", "sum", "none"} <= shapes


def test_every_clause_of_the_library_is_proven_equal_as_a_definition():
    """No clause of the library computes through a class any more: each built-in code is a
    spec written as a definition or a class its seed file's definition replaced."""
    proven = set(SPEC_CODES) | {d["code"] for d in BY_HAND}
    assert len({d["code"] for d in BY_HAND}) == len(BY_HAND), "a clause written twice"
    assert set(class_codes()) == proven
    assert len(proven) >= 110


def _perturbed(spec) -> object:
    """Another value of a parameter, of its kind (what a policy officer might set)."""
    d = spec.default
    if spec.kind in ("money", "percent", "ratio", "number"):
        return d * 2 + 1
    if spec.kind == "cap":
        return Decimal(1_000_000) if d is None else d / 2
    if spec.kind == "int":
        return d + 1
    if spec.kind == "comparator":
        return ">" if d == ">=" else ">="
    if spec.kind == "threshold":
        return Threshold(d.value * 3 / 2 if d.value else Decimal(1), ">" if d.op == ">=" else ">=")
    if spec.kind == "tiers":
        return tuple(Tier(t.threshold, t.amount * 2) for t in d)
    return {k: v * 2 + 1 for k, v in d.items()}  # amounts


def _widened(code: str) -> list[dict]:
    """The golden cases, and each again with every number fact scaled (×0.5, ×1.1, ×2, ×10,
    ×100): caps, tiers and steps a golden case stops short of are reached too."""
    out = []
    for case in golden_cases(code):
        out.append(case)
        for k in ("0.5", "1.1", "2", "10", "100"):
            facts = {
                name: str(Decimal(str(v)) * Decimal(k))
                if isinstance(v, int | float | str) and not isinstance(v, bool) and _number(v)
                else v
                for name, v in case["facts"].items()
            }
            out.append({**case, "facts": facts, "why": f"{case.get('why')} ×{k}"})
    return out


def _number(v: object) -> bool:
    try:
        return Decimal(str(v)).is_finite()
    except ArithmeticError:
        return False


def _same_with_every_parameter_changed(clause, defined) -> None:
    """The same ``ParamSpec``s (a stored rule version validates against either) and, with each
    parameter changed in turn as a rule version stores it, the same result on every case."""
    assert [p.to_dict() for p in defined.params] == [p.to_dict() for p in clause.params]
    assert (defined.annual_cap_param, sorted(defined.enterprise_cap_params)) == (
        clause.annual_cap_param, sorted(clause.enterprise_cap_params),
    )  # fmt: skip
    cases = _widened(clause.code)
    for spec in (None, *clause.params):
        params = None if spec is None else {spec.name: spec.serialize(_perturbed(spec))}
        for case in cases:
            try:
                expected = clause.calculate(case["facts"], params)
            except EngineError as exc:
                with pytest.raises(type(exc)):
                    defined.calculate(case["facts"], params)
                continue
            got = defined.calculate(case["facts"], params)
            name = spec and spec.name
            assert got.to_dict() == expected.to_dict(), (name, case.get("why"))
            assert got.parts == expected.parts, (name, case.get("why"))


@pytest.mark.parametrize("code", SPEC_CODES)
def test_a_spec_clause_with_its_parameters_computes_the_same_under_any_rule_versions_numbers(code):
    """Written with ``params`` and references (``spec_to_definition(parameters=True)``). This is
    the definition the registry answers the code with (``register_spec``)."""
    clause = spec_clause(code)
    defined = compile_definition(spec_to_definition(clause, parameters=True))
    _same_on_golden_cases(clause, defined)
    _same_with_every_parameter_changed(clause, defined)


@pytest.mark.parametrize("definition", BY_HAND, ids=[d["code"] for d in BY_HAND])
def test_a_class_clause_as_its_policy_file_writes_it_computes_the_same_under_any_numbers(
    definition,
):
    """The policy file's definition declares the class's parameters and refers to them (also
    inside sentences: ``{param:NAME:门槛元}``): with each changed in turn, the same amount and
    trace. This is what the registry answers the code with (``policies/engine/library.py``)."""
    _same_with_every_parameter_changed(
        class_clause(definition["code"]), compile_definition(definition)
    )


@pytest.mark.parametrize("code", SPEC_CODES)
def test_a_spec_clause_is_written_in_its_policy_file_as_its_spec_writes_it(code):
    """The seed file carries every clause's definition; a ``register_spec`` clause's is exactly
    ``spec_to_definition(parameters=True)`` (proven above), and the registry answers with it."""
    written = {d["code"]: d for d in library_definitions()}[code]
    expected = spec_to_definition(spec_clause(code), parameters=True)
    assert written == {**expected, "title": written["title"]}
    assert get_clause(code).definition == written


def test_the_registry_answers_every_replaced_class_with_its_policy_files_definition():
    from policies.engine.definitions import DefinedClause

    assert len(BY_HAND) >= 60
    for definition in BY_HAND:
        live = get_clause(definition["code"])
        assert isinstance(live, DefinedClause), definition["code"]
        assert live.definition == definition  # with its params and references, as written
        assert [p.to_dict() for p in live.params] == [
            p.to_dict() for p in class_clause(definition["code"]).params
        ]


def test_the_registry_answers_every_spec_clause_with_its_definition():
    """What every caller gets (calculator, 为我推荐, forms, review, 免申即享, the contract)."""
    from policies.engine.definitions import DefinedClause

    assert len(SPEC_CODES) >= 45
    for code in SPEC_CODES:
        live = get_clause(code)
        assert isinstance(live, DefinedClause), code
        assert live.origin.startswith("definition:"), code
        assert [p.to_dict() for p in live.params] == [p.to_dict() for p in spec_clause(code).params]
