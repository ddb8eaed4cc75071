"""The Celery app of a bench worker that evaluates the 20 clauses through their definitions.

    celery -A bench.proactive.definitions_worker worker ...

Loaded by ``bench/proactive/run.py --compare-definitions`` in the worker it starts for the
definitions' turn: the same portal app, with ``policies.engine.get_clause`` answering the bench's
clauses by the clause compiled from their definition (those ``bench/definitions/run.py`` and the
equality test use) instead of the class (``bench.definitions.run.swap_in``). Nothing else
changes: the same batch, chunks, queries and writes. ``run.py`` checks that the stored rule
versions hold the classes' default numbers before it starts this worker.
"""

from __future__ import annotations

import django

django.setup()

from bench.definitions.run import swap_in  # noqa: E402
from bench.proactive.run import CLAUSES  # noqa: E402
from portal.celery import app  # noqa: E402

swap_in(CLAUSES)
__all__ = ["app"]
