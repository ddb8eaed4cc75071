"""Kernel pages: a health check and the Chinese error pages (the home page, each role's
工作台, is ``dashboards.views.home``: it reads every app)."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from portal.core.models import Heartbeat

logger = logging.getLogger(__name__)

RETRY_LATER = "服务暂时不可用，请稍后重试。"
RETRY_AFTER_SECONDS = "10"


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: the database answers; when a worker last ran."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beat = Heartbeat.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return JsonResponse(
        {"database": connection.vendor, "last_worker_heartbeat": beat.isoformat() if beat else None}
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"title": "无权访问", "code": 403}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A Chinese page, or under /api/ (an address no API view matches, e.g. a non-numeric id)
    the API's own error body."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"detail": "未找到，或您无权查看。"}}, status=404)
    return render(request, "core/error.html", {"title": "页面不存在", "code": 404}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Django calls this inside the ``except`` of an uncaught exception (also one raised in a
    middleware, e.g. loading the session), so the exception is ``sys.exc_info()``."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        return error_503(request, exc)
    return render(
        request,
        "core/error.html",
        {"title": "系统繁忙，请稍后重试", "code": 500},
        status=500,
    )


def database_unavailable(exc: BaseException | None) -> bool:
    """The database is down, restarting or dropped the connection (also when that is the
    cause of the error raised): a retry later will work."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__
    return False


def error_503(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """A Chinese "please retry" page, or JSON under /api/. Rendered without the request: the
    context processors (user, menu badges) would query the database that just failed. Logged
    with the path and the error class only: no form data, no user."""
    logger.warning(
        "database unavailable: %s %s (%s)", request.method, request.path, type(exc).__name__
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"errors": {"detail": RETRY_LATER}}, status=503)
    else:
        try:
            body = render_to_string("503.html", {"portal_name": settings.PORTAL_NAME})
        except Exception:  # the page itself must not turn the 503 into a bare 500
            body = f'<!DOCTYPE html><meta charset="utf-8"><h1>{RETRY_LATER}</h1>'
        response = HttpResponse(body, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
