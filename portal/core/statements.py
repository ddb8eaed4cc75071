"""Compiled ``.values()`` statements kept a minute in the process, for the busiest list pages.

Building and compiling a filtered queryset (conditions, joins, annotations) costs the reviewers'
queue and the dashboard's case list more Python time than their database takes to run it. A page
asked for again with the same inputs runs the SQL compiled the first time, with the queryset's
own value converters (dates, booleans, integers): the rows are the ones the queryset would give,
read from the database at every call. Only the statement is kept, never its rows.

The key must name everything the statement depends on (user or scope, filters, the day, the
page); what the database evaluates at each run (conditions, subqueries) stays current.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

KEPT_SECONDS = 60
KEPT_MAX = 1024


@dataclass(frozen=True)
class Statement:
    db: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple  # ((position, (functions, expression)), ...) as the compiler gives them

    def rows(self) -> list[dict]:
        """Run it: the rows as the ``.values()`` queryset gives them (as
        ``SQLCompiler.apply_converters``)."""
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for pos, (functions, expression) in self.converters:
                for function in functions:
                    row[pos] = function(row[pos], expression, connection)
        return [dict(zip(self.names, row, strict=True)) for row in rows]


NOTHING = Statement("", "", (), (), ())  # a filter nothing can match (e.g. an empty id list)


def compile_values(qs: QuerySet) -> Statement:
    """The statement of a ``.values()`` queryset (sliced or not); ``NOTHING`` when it can match
    nothing (Django raises EmptyResultSet instead of sending it)."""
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return NOTHING
    columns = [col for col, _, _ in compiler.select]
    return Statement(
        qs.db,
        sql,
        tuple(params),
        tuple(alias for _, _, alias in compiler.select),
        tuple(compiler.get_converters(columns).items()),
    )


_kept: OrderedDict[Hashable, tuple[float, Statement]] = OrderedDict()
_lock = threading.Lock()


def kept_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[dict]:
    """``list(build())`` for a ``.values()`` queryset, compiling it only when no statement is
    kept under ``key`` (or it is older than ``KEPT_SECONDS``)."""
    now = time.monotonic()
    statement = None
    with _lock:
        found = _kept.get(key)
        if found is not None and found[0] >= now:
            statement = found[1]
            _kept.move_to_end(key)  # the least recently used go first
    if statement is None:
        statement = compile_values(build())
        with _lock:
            _kept[key] = (now + KEPT_SECONDS, statement)
            _kept.move_to_end(key)
            while len(_kept) > KEPT_MAX:
                _kept.popitem(last=False)
    return [] if statement is NOTHING else statement.rows()


def forget() -> None:
    """Drop every kept statement (tests; after a schema change in the same process)."""
    with _lock:
        _kept.clear()
