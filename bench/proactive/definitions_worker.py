"""The Celery app of a bench worker that evaluates the 20 clauses through their definitions.

    celery -A bench.proactive.definitions_worker worker ...

Loaded by ``bench/proactive/run.py --compare-definitions`` in the worker it starts for the
definitions' turn: the same portal app, with ``policies.engine.get_clause`` answering the bench's
clauses by the clause compiled from their definition (those ``bench/definitions/run.py`` and the
equality test use) instead of the class. Nothing else changes: the same batch, chunks, queries and
writes. The rule versions the library load wrote hold the classes' default numbers, which are the
numbers the definitions carry, so the definition is evaluated with its own defaults (``run.py``
checks that the stored params are the defaults before it starts this worker).
"""

from __future__ import annotations

import django

django.setup()

from bench.definitions.run import definitions  # noqa: E402
from bench.proactive.run import CLAUSES  # noqa: E402
from policies import engine  # noqa: E402
from portal.celery import app  # noqa: E402

_class_clause = engine.get_clause
_DEFINED = {code: clause for code, clause in definitions().items() if code in CLAUSES}


class _Defaults:
    """The defined clause, validating params to its own defaults (see the module's note)."""

    def __init__(self, clause) -> None:
        self._clause = clause

    def __getattr__(self, name):
        return getattr(self._clause, name)

    def validate_params(self, params):
        return self._clause.validate_params(None)


_SWAPPED = {code: _Defaults(clause) for code, clause in _DEFINED.items()}


def _get_clause(code: str):
    return _SWAPPED.get(code) or _class_clause(code)


engine.get_clause = _get_clause
assert len(_SWAPPED) == len(CLAUSES), "every bench clause needs a definition"
__all__ = ["app"]
