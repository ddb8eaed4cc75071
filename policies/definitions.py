"""Clauses defined as data, from the database into the engine's registry.

``DatabaseDefinitions`` is the registry's source of defined clauses (installed by the app's
``ready()``): for each clause whose rule version in force today carries a definition, the
compiled ``DefinedClause``. Kept per process; a publish or an import bumps a generation number
in the shared cache (Redis with ``REDIS_URL``), which every process reads at most once every
``CHECK_SECONDS``: a new clause reaches every gunicorn and Celery process within two seconds.
Without the shared cache (Redis down) the copy is renewed after ``TTL_SECONDS`` all the same.
``clause_for_version`` gives the clause exactly as a given version defines it (a case keeps its
version).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from django.db import DatabaseError
from django.utils import timezone

from policies import engine
from policies.engine.definitions import DefinedClause, DefinitionError, compile_definition
from portal.core.cache import shared_cache

log = logging.getLogger(__name__)
TTL_SECONDS = 300
CHECK_SECONDS = 2.0
GENERATION_KEY = "policies:definitions:generation"
_COMPILED: dict[tuple[int, str], DefinedClause] = {}  # (version pk, fingerprint) -> clause


def clause_for_version(version) -> engine.Clause:
    """The engine clause ``version`` (a ``ClauseRuleVersion``) computes with: its definition
    when it has one, else the class registered under the clause's code."""
    if version is None or not version.definition:
        return engine.get_clause(version.clause.code)
    return _compiled(version.pk, version.definition)


def _compiled(pk: int, definition: dict) -> DefinedClause:
    key = (pk, engine.definitions.definition_version(definition))
    clause = _COMPILED.get(key)
    if clause is None:
        clause = _COMPILED[key] = compile_definition(definition, run_tests=False)
    return clause


class DatabaseDefinitions:
    """The registry source (``policies.engine.registry.ClauseSource``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_code: dict[str, DefinedClause] | None = None
        self._loaded_at = 0.0
        self._checked_at = 0.0
        self._generation: object = None

    def get(self, code: str) -> engine.Clause | None:
        return self._current().get(code)

    def codes(self) -> Iterable[str]:
        return list(self._current())

    def forget(self) -> None:
        with self._lock:
            self._by_code = None

    def _current(self) -> dict[str, DefinedClause]:
        by_code, now = self._by_code, time.monotonic()
        if by_code is not None and now - self._loaded_at < TTL_SECONDS:
            if now - self._checked_at < CHECK_SECONDS:
                return by_code
            self._checked_at = now
            if _generation() == self._generation:
                return by_code
        generation = _generation()  # read first: a publish during the load loads again
        try:
            by_code = self._load()
        except DatabaseError:  # no tables yet (a fresh checkout): no defined clauses
            return {}
        except RuntimeError:  # a test without database access: no defined clauses
            return {}
        with self._lock:
            self._by_code, self._generation = by_code, generation
            self._loaded_at = self._checked_at = time.monotonic()
        return by_code

    def _load(self) -> dict[str, DefinedClause]:
        from policies.models import ClauseRuleVersion

        today = timezone.localdate()
        chosen: dict[int, ClauseRuleVersion] = {}
        rows = ClauseRuleVersion.objects.filter(
            clause__versions__definition__isnull=False
        ).select_related("clause").distinct()  # fmt: skip
        by_clause: dict[int, list[ClauseRuleVersion]] = {}
        for version in rows:
            by_clause.setdefault(version.clause_id, []).append(version)
        for clause_id, versions in by_clause.items():
            effective = [v for v in versions if v.effective_from <= today]
            chosen[clause_id] = (
                max(effective, key=lambda v: (v.effective_from, v.number))
                if effective
                else min(versions, key=lambda v: v.number)
            )
        out = {}
        for version in chosen.values():
            if not version.definition:
                continue
            try:
                out[version.clause.code] = _compiled(version.pk, version.definition)
            except DefinitionError as exc:  # validated at import; an engine change broke it
                log.error("条款 %s 的定义无法编译：%s", version.clause.code, exc)
        return out


SOURCE = DatabaseDefinitions()


def _generation() -> object:
    return shared_cache().get(GENERATION_KEY, 0)


def definitions_forget() -> None:
    """After a publish or an import (called again on commit): this process sees the new
    definitions at once, every other within ``CHECK_SECONDS``."""
    SOURCE.forget()
    cache = shared_cache()
    cache.add(GENERATION_KEY, 0, timeout=None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between add and incr: any new value will do
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
