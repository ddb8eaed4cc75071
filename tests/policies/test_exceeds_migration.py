"""Migration policies/0002: a database loaded before the 民法典 correction gets a new rule
version reading 首次超过 as > (versions are never edited)."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps

from policies import engine, loading
from policies.models import ClauseRuleVersion
from policies.rules import rule_version_on

migration = importlib.import_module("policies.migrations.0002_exceeds_is_strict")


def _loosen(params: dict) -> dict:
    def loose(value):
        if isinstance(value, list):
            return [loose(v) for v in value]
        if isinstance(value, dict) and value.get("op") == ">":
            return {**value, "op": ">="}
        return value

    return {k: loose(v) for k, v in params.items()}


def test_old_databases_get_a_strict_version_that_wins(db, monkeypatch):
    # Load the library as it was loaded before the correction (versions are append-only, so
    # the old reading is written at load time, not edited in afterwards).
    real = loading.params_to_json
    monkeypatch.setattr(loading, "params_to_json", lambda c, o: _loosen(real(c, o)))
    loading.policy_library_load()
    v1 = ClauseRuleVersion.objects.get(clause__code="zz-2023-23/5", number=1)
    assert {level["op"] for level in v1.params["levels"]} == {">="}
    migration.forwards(django_apps, None)
    current = rule_version_on(v1.clause, v1.effective_from)
    assert current.number == 2 and "民法典" in current.note
    assert {level["op"] for level in current.params["levels"]} == {">"}
    assert current.params["repeat_op"] == ">="  # steps still count when reached
    facts = {"industrial": True, "revenue_year": "5000000000", "revenue_best_before": "4000000000"}
    clause = engine.get_clause("zz-2023-23/5")
    assert clause.calculate(facts, current.params).amount == 0
    assert clause.calculate(facts, v1.params).amount == 2000000
    # Run again: nothing more to correct.
    migration.forwards(django_apps, None)
    assert ClauseRuleVersion.objects.filter(clause=v1.clause).count() == 2


def test_fresh_databases_need_no_correction(library):
    migration.forwards(django_apps, None)
    assert not ClauseRuleVersion.objects.filter(number__gt=1).exists()
