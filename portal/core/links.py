"""Typed links between the layers: what a lower app may ask of a higher one.

A lower app (applications, reviews, policies, the menu in ``portal.accounts``) never imports a
higher one. Where it needs something only a higher app knows, it calls a link declared here;
the higher app provides it in its ``AppConfig.ready``::

    # finance/apps.py
    links.BUDGET_CHECK.provide(budget_check)

    # reviews/services/cases.py
    ok, why = links.BUDGET_CHECK(application=case, amount=amount)

The declarations are typed (``mypy`` checks both ends against the signature), and the system
check ``core.E101`` refuses to start when a link has no provider, so a renamed function or a
missing app is found at start-up, not on the first approval. Menu badges are a link per menu
entry (``badge``), keyed by the entry's URL name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class MissingLink(LookupError):
    """A link was called before any app provided it (the start-up check reports it first)."""


class Link(Generic[P, R]):
    """One thing a lower app may ask for; ``provider`` names the app expected to provide it."""

    def __init__(self, name: str, *, provider: str, doc: str) -> None:
        self.name, self.provider, self.doc = name, provider, doc
        self._fn: Callable[P, R] | None = None

    def provide(self, fn: Callable[P, R]) -> Callable[P, R]:
        self._fn = fn
        return fn

    @property
    def provided(self) -> bool:
        return self._fn is not None

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._fn is None:
            raise MissingLink(f"{self.name}: no app provides it (expected: {self.provider})")
        return self._fn(*args, **kwargs)

    @contextlib.contextmanager
    def override(self, fn: Callable[P, R]) -> Iterator[None]:
        """Tests: another provider for the duration."""
        before, self._fn = self._fn, fn
        try:
            yield
        finally:
            self._fn = before

    def __repr__(self) -> str:
        return f"<Link {self.name} from {self.provider}>"


# The case page: where a determined award's money stands (finance is above applications).
# f(application) -> a status object for the template, or None.
PAYMENT_STATUS: Link[[Any], Any] = Link(
    "payment_status", provider="finance", doc="案件页的资金拨付情况"
)
# Approval refuses an amount that would overrun a budget (finance is above reviews).
BUDGET_CHECK: Link[..., tuple[bool, str]] = Link(
    "budget_check", provider="finance", doc="审核通过时的预算校验"
)
# A case determined after its public notice gets its payables (finance is above reviews).
# f(application_id): schedules their creation after commit.
PAYABLES_ON_DETERMINATION: Link[[int], None] = Link(
    "payables_on_determination", provider="finance", doc="确定支持后生成应付资金"
)
# The calculator page pre-fills an enterprise user's stored figures (enterprises is above
# policies). f(user) -> {fact code: value}, empty for anyone else.
FACTS_PREFILL: Link[[Any], dict[str, object]] = Link(
    "facts_prefill", provider="enterprises", doc="测算器预填企业数据"
)

# The policy studio offers the facts an enterprise's file holds, so a clause built on them is
# estimated in 为我推荐 (enterprises is above policies). f() -> [(name, label, type)].
KNOWN_FACTS: Link[[], list[tuple[str, str, str]]] = Link(
    "known_facts", provider="enterprises", doc="政策编辑器可选的企业数据"
)

LINKS: tuple[Link[Any, Any], ...] = (
    PAYMENT_STATUS,
    BUDGET_CHECK,
    PAYABLES_ON_DETERMINATION,
    FACTS_PREFILL,
    KNOWN_FACTS,
)

# Menu badges: URL name of a menu entry -> f(user) -> count. ``portal.accounts.navigation``
# declares the entries that show one; the app owning the entry provides the count.
_badges: dict[str, Link[[Any], int]] = {}


def badge(url_name: str) -> Link[[Any], int]:
    """The badge link of a menu entry (declared on first use; provided by the entry's app)."""
    if url_name not in _badges:
        _badges[url_name] = Link(
            f"badge:{url_name}", provider=url_name.split(":")[0], doc="菜单角标"
        )
    return _badges[url_name]


def missing() -> list[Link[Any, Any]]:
    """The links no app provides (declared menu badges included)."""
    return [link for link in (*LINKS, *_badges.values()) if not link.provided]


def links_check(app_configs=None, **kwargs) -> list:
    """System check: every link has a provider, else the portal does not start."""
    from django.core import checks

    return [
        checks.Error(
            f"未提供层间接口“{link.doc}”（{link.name}）。",
            hint=f"应由 {link.provider} 应用在 AppConfig.ready 中调用 provide() 提供；"
            "检查该应用是否在 INSTALLED_APPS 中。",
            id="core.E101",
        )
        for link in missing()
    ]
