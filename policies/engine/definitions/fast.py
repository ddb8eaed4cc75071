"""A definition's quantities and verdicts as closures, built once per clause (``freeze``).

``Quantity.evaluate`` and ``Condition.holds`` walk the tree and dispatch on ``kind`` at every
call; 免申即享 calls them hundreds of thousands of times for the same clause. ``freeze`` builds,
once per compiled clause, a closure for each node (its children's closures bound in) and puts it
on the node as ``evaluate`` / ``holds``, so that a call is one Python function per node and no
dispatch. The generic methods stay the reference: ``tests/policies/engine/test_definitions_fast.py``
checks both give the same value for every golden case, and the equality test with the class
clauses runs over the frozen clauses.

Nothing here is ``eval``: the closures are fixed Python functions chosen by the node's kind.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, localcontext

from .logic import _COMPARE, HUNDRED, Condition, Quantity

Value = Callable[[Mapping[str, object]], Decimal | None]
Verdict = Callable[[Mapping[str, object]], bool]
_D = Decimal


def freeze_quantity(q: Quantity) -> Value:
    """``q.evaluate`` as one closure (idempotent: a frozen quantity keeps its closure)."""
    done = q.__dict__.get("evaluate")
    if done is not None:
        return done
    fn = _quantity(q)
    q.evaluate = fn  # type: ignore[method-assign]
    return fn


def _quantity(q: Quantity) -> Value:  # one small closure per kind
    k = q.kind
    if k == "fact":
        name = q.fact.name  # type: ignore[union-attr]

        def fact(f):
            raw = f[name]
            return raw if raw is None or type(raw) is _D else _D(raw)

        return fact
    if k == "value":
        constant = q.value
        return lambda f: constant
    if k == "count":
        name = q.fact.name  # type: ignore[union-attr]
        return lambda f: _D(len(f[name] or ()))
    args = [freeze_quantity(a) for a in q.args]
    if k in ("growth", "ratio", "increase", "product"):
        a, b = args
        if k in ("increase", "product"):
            combine = operator.sub if k == "increase" else operator.mul

            def pair(f):
                x = a(f)
                if x is None:
                    return None
                y = b(f)
                return None if y is None else combine(x, y)

            return pair
        growth = k == "growth"

        def relative(f):  # growth: (a − b) ÷ b × 100; ratio: a ÷ b × 100
            x = a(f)
            if x is None:
                return None
            y = b(f)
            if y is None or y <= 0:
                return None
            with localcontext() as ctx:
                ctx.prec = 40
                return ((x - y) if growth else x) * HUNDRED / y

        return relative
    if k == "percent":
        (a,) = args
        rate = q.value

        def percent(f):
            x = a(f)
            return None if x is None else x * rate / HUNDRED

        return percent
    pick = {"sum": None, "min": min, "max": max}[k]

    def many(f):
        values = []
        for arg in args:
            v = arg(f)
            if v is None:
                return None
            values.append(v)
        return sum(values, _D(0)) if pick is None else pick(values)

    return many


def freeze_condition(cond: Condition) -> Verdict:
    """``cond.holds`` as one closure; its quantities and its ``if`` conditions frozen too."""
    done = cond.__dict__.get("holds")
    if done is not None:
        return done
    for q in (cond.left, cond.right):
        if q is not None:
            freeze_quantity(q)
    for child in cond.applies:
        freeze_condition(child)
    fn = _verdict(cond)
    cond.plain = bool(cond.yes and cond.no and "{" not in cond.yes + cond.no)
    cond.holds = fn  # type: ignore[method-assign]
    return fn


def _verdict(cond: Condition) -> Verdict:
    k = cond.kind
    if k in ("growth_check", "compare"):
        left = freeze_quantity(cond.left)  # type: ignore[arg-type]
        if cond.right is None:
            can = k == "growth_check"
            return lambda f: left(f) is not None and can
        test = _COMPARE[cond.op]
        if k == "growth_check" or cond.right.kind == "value":
            constant = cond.right.value

            def against_value(f):
                x = left(f)
                return x is not None and test(x, constant)

            return against_value
        right = freeze_quantity(cond.right)

        def against_quantity(f):
            x = left(f)
            if x is None:
                return False
            y = right(f)
            return y is not None and test(x, y)

        return against_quantity
    if k == "flag":
        name, expect = cond.fact.name, cond.expect  # type: ignore[union-attr]
        return lambda f: bool(f[name]) is expect
    if k == "in":
        name, allowed = cond.fact.name, frozenset(cond.choices)  # type: ignore[union-attr]

        def among(f):
            value = f[name]
            if isinstance(value, str):
                return value in allowed
            return any(v in allowed for v in value or ())

        return among
    children = [freeze_condition(c) for c in cond.children]
    if k == "not":
        (child,) = children
        return lambda f: not child(f)
    if k == "all":
        return lambda f: all(c(f) for c in children)
    return lambda f: any(c(f) for c in children)


def freeze_all(conditions: Iterable[Condition], quantities: Iterable[Quantity]) -> None:
    for cond in conditions:
        freeze_condition(cond)
    for q in quantities:
        freeze_quantity(q)
