"""Class clauses against the same clauses as definitions, in one run (issue 20 item 7).

    .venv/bin/python bench/definitions/run.py [--enterprises 20000] [--rounds 5]

In-process, no database: what 免申即享 spends per enterprise × clause in the engine, with the
clause objects swapped and nothing else. Two workloads, each timed for the classes and for the
definitions alternately (``--rounds`` times each, the best round kept, so that other work on the
machine hurts both sides alike), results checked equal pair by pair:

1. **免申即享**: the 20 clauses of ``bench/proactive/run.py`` over ``--enterprises`` synthetic
   enterprises (``demo.synthetic``'s figures, turned into facts by ``facts_from_rows`` as the
   batch does), through ``ClauseEvaluator``'s own steps (required facts first, then
   ``Clause.evaluate`` with params validated once).
2. **Golden cases**: every golden case of every clause that has a definition (109), so that every
   shape of formula is exercised, not only those the synthetic figures reach.

The definitions are those the registry answers with (``register_spec`` clauses through
``spec_to_definition``, the others as their policy files write them); the classes are
``engine.spec_clause`` / ``engine.class_clause``, which the equality test proves equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def definitions() -> dict[str, object]:
    """Code -> the clause the registry answers, for every clause declared in code that computes
    through a definition: the ``register_spec`` clauses and the classes whose policy files'
    definitions replaced them (``policies/engine/library.py``)."""
    from policies.engine import get_clause, replaced_codes, spec_codes

    return {code: get_clause(code) for code in [*spec_codes(), *replaced_codes()]}


def swap_in(codes=None) -> None:
    """``policies.engine.get_clause`` answers ``codes`` (default: every clause that has a
    definition) with the clause as declared in code (the class, or a spec's ``DataClause``)
    instead of its definition, in this process: the baseline the definitions are measured
    against. Rule versions hold the same parameters for both (the equality test proves it)."""
    from policies import engine

    live = engine.get_clause
    swapped = {c: class_clause(c) for c in definitions() if codes is None or c in codes}
    engine.get_clause = lambda code: swapped.get(code) or live(code)


def class_clause(code: str):
    """The clause as declared in code: the class a policy file's definition replaced, or a
    spec's ``DataClause``; else what the registry answers."""
    from policies import engine

    if code in engine.spec_codes():
        return engine.spec_clause(code)
    if code in engine.replaced_codes():
        return engine.class_clause(code)
    return engine.get_clause(code)


def synthetic_facts(count: int, year: int) -> list[dict]:
    """Facts of ``count`` synthetic enterprises, as ``facts_for_enterprises`` builds them."""
    from demo.synthetic import _figures
    from enterprises.facts import facts_from_rows

    out = []
    for n in range(count):
        rows = sorted(
            (i.name, i.period, i.value, i.source, i.department) for i in _figures(0, n)
        )  # ROW_ORDER: name, period, source
        section, above = ("C" if n % 4 else "F"), n % 5 != 0
        out.append(facts_from_rows(rows, year=year, section=section, above_scale=above))
    return out


def plan(clauses) -> list[tuple]:
    """(required fact names, clause, validated default params), as ``ClauseEvaluator.plan``."""
    return [
        (tuple(s.name for s in c.facts if s.required), c, c.validate_params(None)) for c in clauses
    ]


def run_matching(the_plan, all_facts) -> tuple[float, list, int]:
    """One pass of the batch's inner loop; seconds, the amounts and the engine evaluations."""
    from policies.engine import EngineError

    out, evaluated = [], 0
    t = time.perf_counter()
    for facts in all_facts:
        for required, clause, validated in the_plan:
            if any(facts.get(name) is None for name in required):
                out.append(None)
                continue
            evaluated += 1
            try:
                result = clause.evaluate(facts, validated)
            except EngineError:
                out.append(None)
                continue
            out.append((result.eligible, result.amount))
    return time.perf_counter() - t, out, evaluated


def run_golden(pairs) -> tuple[float, list]:
    """Every golden case once: seconds and the results (dicts, to compare)."""
    t = time.perf_counter()
    out = [clause.evaluate(facts, validated).to_dict() for clause, validated, facts in pairs]
    return time.perf_counter() - t, out


def best_of(rounds: int, make):
    """Alternate class / definition ``rounds`` times; the best time of each and its result."""
    best = {}
    for _ in range(rounds):
        for side in ("classes", "definitions"):
            seconds, *rest = make(side)
            if side not in best or seconds < best[side][0]:
                best[side] = (seconds, *rest)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--year", type=int, default=2023)
    args = parser.parse_args()
    import django

    django.setup()
    from bench.proactive.run import CLAUSES
    from policies.golden import golden_cases

    defined = definitions()
    print(f"load average {os.getloadavg()[0]:.1f}; {len(defined)} clauses have a definition")

    # 1. 免申即享: the proactive bench's 20 clauses over the synthetic enterprises
    all_facts = synthetic_facts(args.enterprises, args.year)
    plans = {
        "classes": plan([class_clause(c) for c in CLAUSES]),
        "definitions": plan([defined[c] for c in CLAUSES]),
    }
    best = best_of(args.rounds, lambda side: run_matching(plans[side], all_facts))
    assert best["classes"][1] == best["definitions"][1], "amounts differ"
    pairs = args.enterprises * len(CLAUSES)
    evaluated = best["classes"][2]
    proposals = sum(1 for r in best["classes"][1] if r and r[0] and r[1] > 0)
    print(
        f"免申即享 {args.enterprises:,} enterprises × {len(CLAUSES)} clauses = {pairs:,} pairs, "
        f"{evaluated:,} reach the engine, {proposals:,} would be proposed (equal on both sides)"
    )
    _report(best, pairs, "pairs")

    # 2. every golden case of every defined clause
    golden = {"classes": [], "definitions": []}
    for code, clause in sorted(defined.items()):
        cls = class_clause(code)
        for case in golden_cases(code):
            golden["classes"].append((cls, cls.validate_params(None), case["facts"]))
            golden["definitions"].append((clause, clause.validate_params(None), case["facts"]))
    repeat = 20
    best = best_of(args.rounds, lambda side: run_golden(golden[side] * repeat))
    assert best["classes"][1] == best["definitions"][1], "results differ"
    n = len(golden["classes"]) * repeat
    print(f"golden cases: {len(golden['classes']):,} cases of {len(defined)} clauses × {repeat}")
    _report(best, n, "evaluations")


def _report(best, count: int, what: str) -> None:
    cls, dfn = best["classes"][0], best["definitions"][0]
    print(f"  classes      {count / cls:>12,.0f} {what}/s ({cls:.2f} s)")
    print(f"  definitions  {count / dfn:>12,.0f} {what}/s ({dfn:.2f} s)")
    print(f"  definitions / classes = {cls / dfn:.2f} (speed; ≥ 0.90 is within 10 %)")


if __name__ == "__main__":
    main()
