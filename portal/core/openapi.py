"""The OpenAPI schema documents the error answers every API view can give, in one place.

Views declare their success bodies with ``@extend_schema``; the errors all leave through
``portal.core.api.exception_handler`` as ``{"errors": {field: message}}``, so which ones an
operation can answer follows from what the view is:

- 400 when it takes input (a body, or query parameters such as filters and paging);
- 403 when it needs a login (DRF answers 403, not 401: session authentication comes first);
- 404 when it names an object in the path, pages a list, or needs a login: a role outside an
  object's or a page's scope is told "not found", the same answer as for an unknown id;
- 415 when it reads a body (a body it cannot parse as the declared media type);
- 429 when it is throttled.

A view's own ``@extend_schema(responses=...)`` for a code wins over these; one that gives only
a description gets the error body added.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.DictField(
            help_text="字段名（或 detail）→ 中文说明；嵌套输入的错误为同样结构的对象"
        )
    },
)

DESCRIPTIONS = {
    "400": "输入有误或不符合业务规则",
    "403": "未登录，或当前角色无权执行该操作",
    "404": "不存在或无权查看（两者不区分）",
    "415": "请求体的媒体类型不受支持或无法解析",
    "429": "请求过于频繁，请稍后重试",
}


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            declared = responses.get(code, {})
            if "content" in declared:
                continue
            description = declared.get("description") or DESCRIPTIONS[code]
            answer = OpenApiResponse(response=ERRORS, description=description)
            responses[code] = self._get_response_for_code(answer, code)
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        parameters = operation.get("parameters", [])
        in_query = {p["name"] for p in parameters if p.get("in") == "query"}
        in_path = any(p.get("in") == "path" for p in parameters)
        needs_login = not all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = []
        if self.method != "GET" or in_query:
            codes.append("400")
        if needs_login:
            codes.append("403")
        if in_path or needs_login or in_query & {"page", "cursor"}:
            codes.append("404")
        if "requestBody" in operation:
            codes.append("415")
        if self.view.get_throttles():
            codes.append("429")
        return codes
