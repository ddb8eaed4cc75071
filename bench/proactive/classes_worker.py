"""The Celery app of a bench worker that evaluates the 20 clauses through their classes.

    celery -A bench.proactive.classes_worker worker ...

Loaded by ``bench/proactive/run.py --compare-definitions`` in the worker it starts for the
classes' turn: the same portal app, with ``policies.engine.get_clause`` answering the bench's
clauses with the clause declared in code (the class, or a spec's ``DataClause``: the ones the
equality test proves the definitions equal to) instead of the definition the registry answers
with (``bench.definitions.run.swap_in``). Nothing else changes: the same batch, chunks, queries
and writes. ``run.py`` checks that the stored rule versions hold the default numbers first.
"""

from __future__ import annotations

import django

django.setup()

from bench.definitions.run import swap_in  # noqa: E402
from bench.proactive.run import CLAUSES  # noqa: E402
from portal.celery import app  # noqa: E402

swap_in(CLAUSES)
__all__ = ["app"]
