"""The library's clauses as the shipped policy files write them (``policies/data/*.yaml``).

Every clause of a seed policy carries a ``definition:`` (the import format's, see the README)
and computes through it: the registry answers its code with the compiled ``DefinedClause``,
parameters (``params``) and all, so 条款规则维护 changes its numbers as before. Where a Python
class was registered under the same code first, the class stays reachable through
``class_clause(code)``: the proof that the definition gives the same amounts and trace
(``tests/policies/engine/test_definitions_equal_classes.py``), not a second path any caller
takes; a ``register_spec`` clause's file definition is the one its spec is written as (tested).
Pure: YAML and the definitions compiler, no Django.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

try:  # libyaml's loader: the files load in a seventh of the time at each process start
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML built without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from .clause import Clause
from .errors import SpecError, UnknownClause

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_CLASSES: dict[str, Clause] = {}


def policy_file(path: Path) -> dict:
    """A shipped policy file as parsed, once per process and version of the file: the
    registry and the library loader (``policies.loading``, which copies it) read the same."""
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)


def _entries(data_dir: Path) -> Iterator[tuple[str, dict]]:
    """(the policy's 文号, the clause's definition with its code, article and title)."""
    for path in sorted(data_dir.glob("*.yaml")):
        data = policy_file(path)
        for item in data.get("clauses") or []:
            raw = item.get("definition")
            if isinstance(raw, Mapping):
                yield str(data.get("doc_number") or ""), {
                    "code": item["code"], "article": item["article"], "title": item["title"],
                    **raw,
                }  # fmt: skip


def library_definitions(data_dir: Path = DATA_DIR) -> Iterator[dict]:
    """Each ``definition:`` of the policy files, with the clause's code, article and title."""
    return (definition for _, definition in _entries(data_dir))


def register_library(registry: dict[str, Clause], data_dir: Path = DATA_DIR) -> None:
    """Register every definition of the policy files in ``registry`` (the registry's table),
    keeping a class registered first under the same code as ``class_clause``. A definition
    that does not compile stops the process loudly: the shipped library is never half there."""
    from .definitions import DefinedClause, DefinitionError, compile_definition

    for doc_number, definition in _entries(data_dir):
        code = definition["code"]
        try:
            clause = compile_definition(definition)
        except DefinitionError as exc:
            raise SpecError(f"{code}: 政策文件中的条款定义无效：{exc}") from exc
        clause.cited_in = doc_number
        existing = registry.get(code)
        if (
            existing is not None
            and code not in _CLASSES
            and not isinstance(existing, DefinedClause)
        ):  # a class (a spec is already its definition: the file's is the same, tested)
            _CLASSES[code] = existing
        registry[code] = clause


def class_clause(code: str) -> Clause:
    """The Python class a definition of the policy files replaced (for the proof)."""
    try:
        return _CLASSES[code]
    except KeyError:
        raise UnknownClause(code) from None


def replaced_codes() -> list[str]:
    """Codes of class clauses that compute through their definitions."""
    return sorted(_CLASSES)
