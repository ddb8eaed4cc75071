"""Requests carrying a NUL character are answered before any view runs.

No field of the portal takes a NUL, and PostgreSQL cannot hold one in text or jsonb: a
lookup with ``/policies/clauses/%00/`` raised a DataError (a 500) in the database driver.
Forms already refuse NUL in their fields; this covers what views read directly. A path
with a NUL names nothing: 404, as for any object that does not exist. A NUL in the query
string, posted form fields or cookies (the session key) is a 400 with a Chinese message.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest, JsonResponse

from portal.core.text import has_nul

MESSAGE = "请求中含有不允许的控制字符（NUL），请检查输入后重试。"
NOT_FOUND = "未找到，或您无权查看。"  # the API's own 404 (portal.core.api)


def _has_nul(request) -> bool:
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
        api = request.path_info.startswith("/api/")
        if "\x00" in request.path_info:
            if api:
                return JsonResponse({"errors": {"detail": NOT_FOUND}}, status=404)
            raise Http404(NOT_FOUND)
        if _has_nul(request):
            if api:
                return JsonResponse({"errors": {"detail": MESSAGE}}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
