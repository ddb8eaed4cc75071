"""Kernel pages: the role home page, a health check and the Chinese error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from portal.accounts.navigation import entries_for
from portal.core.models import Heartbeat


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"entries": entries_for(request.user.role)})


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
    return render(request, "core/error.html", {"title": "页面不存在", "code": 404}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": "系统繁忙，请稍后重试", "code": 500},
        status=500,
    )
