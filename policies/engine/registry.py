"""The clause registry: contract code -> clause object.

Clause modules in ``policies/engine/clauses/`` register themselves when imported; the
registry imports that package (every module in it) the first time it is asked for a clause.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

from .clause import Clause
from .errors import SpecError, UnknownClause

_REGISTRY: dict[str, Clause] = {}
_SOURCES: list[ClauseSource] = []
_loaded = False


class ClauseSource(Protocol):
    """Where clauses declared as data come from (the database's definitions, installed by the
    policies app): asked only for codes no class declares."""

    def get(self, code: str) -> Clause | None: ...

    def codes(self) -> Iterable[str]: ...


def add_source(source: ClauseSource) -> None:
    """Add a source of defined clauses (idempotent)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def remove_source(source: ClauseSource) -> None:
    if source in _SOURCES:
        _SOURCES.remove(source)


C = TypeVar("C", bound=type[Clause])


def register(cls: C) -> C:
    """Class decorator: instantiate and register a Clause subclass under ``cls.code``."""
    register_clause(cls())
    return cls


def register_clause(clause: Clause) -> Clause:
    clause.check_declaration()
    existing = _REGISTRY.get(clause.code)
    same_declaration = existing is not None and (
        existing.origin == clause.origin
        and getattr(existing, "spec", None) == getattr(clause, "spec", None)
    )
    if existing is not None and not same_declaration:
        raise SpecError(
            f"clause code {clause.code} registered twice ({existing.origin}, {clause.origin})"
        )
    _REGISTRY[clause.code] = clause
    return clause


def _ensure_loaded() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        importlib.import_module("policies.engine.clauses")
        from .library import register_library

        register_library(_REGISTRY)  # the policy files' definitions replace the classes


def class_clause(code: str) -> Clause:
    """The Python class whose code now computes through its policy file's definition."""
    from . import library

    _ensure_loaded()
    return library.class_clause(code)


def replaced_codes() -> list[str]:
    """The codes of classes replaced by their policy files' definitions."""
    from . import library

    _ensure_loaded()
    return library.replaced_codes()


def get_clause(code: str) -> Clause:
    """The registered clause for ``code``; raises ``UnknownClause``."""
    _ensure_loaded()
    if isinstance(code, str) and code in _REGISTRY:
        return _REGISTRY[code]
    for source in _SOURCES if isinstance(code, str) else ():
        clause = source.get(code)
        if clause is not None:
            return clause
    raise UnknownClause(str(code))


def _sort_key(code: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


def clause_codes() -> list[str]:
    """Every registered code, in policy then article order."""
    _ensure_loaded()
    codes = set(_REGISTRY)
    for source in _SOURCES:
        codes.update(source.codes())
    return sorted(codes, key=_sort_key)


def class_codes() -> list[str]:
    """The codes declared in code (classes and ``register_spec``), without defined ones."""
    _ensure_loaded()
    return sorted(_REGISTRY, key=_sort_key)


def all_clauses() -> list[Clause]:
    return [get_clause(c) for c in clause_codes()]
