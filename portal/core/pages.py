"""The HTML counterpart of the API's exception handler (``portal.core.api``).

What the API turns into ``{"errors": ...}`` a page turns into what a person sees: a case or an
enterprise that does not exist or is not theirs is a 404 (the two look the same, so ids cannot
be probed); a refusal is a 403 page that says why and whom to ask; a domain error is the
message(s) above the form the person is back on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from portal.core.errors import DomainError, NotFound

T = TypeVar("T")


def fetcher(access: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    """A permission-checked fetch (``access_application(user, id)`` and friends) for a page:
    not found and not yours are both a 404."""

    def fetch(user: Any, pk: Any) -> T:
        try:
            return access(user, pk)
        except NotFound as exc:
            raise Http404 from exc

    return fetch


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    """403 with the reason, so the person knows why and whom to ask."""
    return render(request, "refused.html", {"reason": reason}, status=403)


def error_messages(request: HttpRequest, exc: DomainError, *, fields: int | None = None) -> None:
    """The domain error's message and its field messages (the first ``fields`` of them), once
    each, as error messages on the next page."""
    found = list(exc.errors.values())
    for message in dict.fromkeys([exc.message, *(found if fields is None else found[:fields])]):
        messages.error(request, message)
