"""Requests carrying a NUL character are refused with a 400 before any view runs.

No field of the portal takes a NUL, and PostgreSQL cannot hold one in text or jsonb: a
lookup with ``/policies/clauses/%00/`` raised a DataError (a 500) in the database driver.
Forms already refuse NUL in their fields; this covers what views read directly (the path,
the query string, posted form fields, cookies such as the session key).
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

from portal.core.text import has_nul

MESSAGE = "请求中含有不允许的控制字符（NUL），请检查输入后重试。"


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    if any(has_nul(k) or has_nul(v) for k, v in request.GET.lists()):
        return True
    if any(has_nul(k) or has_nul(v) for k, v in request.COOKIES.items()):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(has_nul(k) or has_nul(v) for k, v in request.POST.lists())
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"errors": {"detail": MESSAGE}}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
