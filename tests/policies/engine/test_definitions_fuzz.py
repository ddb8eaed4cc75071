"""A definition with any value replaced by one of an unexpected type or shape is either compiled
or refused with ``DefinitionError``, and a compiled one computes its worked cases or refuses
their facts with ``EngineError``: never another Python error (a 500 on the studio's pages).
Random mutations of the library's definitions, seeded: the same ones every run."""

from __future__ import annotations

import contextlib
import copy
import random
from pathlib import Path

import pytest
import yaml

from policies.engine import EngineError
from policies.engine.definitions import DefinitionError, clause_sentence, compile_definition
from policies.engine.library import library_definitions

HERE = Path(__file__).parent
DATA = Path(__file__).parents[3] / "policies" / "data" / "defined"
ODD = [None, [], {}, ["x"], {"a": 1}, "x", -1, 0, True, "1e9999", "１０", [None], [[1]], "{x}",
       10**30, "以上", {"type": "fixed"}]  # fmt: skip


def _library() -> list[dict]:
    out = list(library_definitions())  # the seed policies' files
    for path in sorted(DATA.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["clauses"]:
            out.append({"code": item["code"], "article": item["article"], "title": item["title"],
                        **item["definition"]})  # fmt: skip
    return out


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _mutated(rng: random.Random, library: list[dict]) -> dict:
    d = copy.deepcopy(rng.choice(library))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in _paths(d) if p])
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = copy.deepcopy(rng.choice(ODD))
    return d


@pytest.mark.parametrize("seed", range(4))
def test_mutated_definitions_are_compiled_or_refused_never_a_python_error(seed):
    rng, library = random.Random(seed), _library()
    outcomes = {"compiled": 0, "refused": 0}
    for _ in range(400):
        d = _mutated(rng, library)
        try:
            clause = compile_definition(d, run_tests=False)
        except DefinitionError as exc:
            assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
            outcomes["refused"] += 1
            continue
        outcomes["compiled"] += 1
        assert clause_sentence(clause)
        cases = d.get("tests") if isinstance(d.get("tests"), list) else []
        for case in cases:
            with contextlib.suppress(EngineError):  # refused facts: a message, fine
                clause.calculate(case.get("facts") if isinstance(case, dict) else case)
    assert outcomes["compiled"] > 50 and outcomes["refused"] > 50, outcomes
