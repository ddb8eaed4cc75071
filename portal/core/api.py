"""API plumbing shared by every app: the one exception handler and the paginators."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.errors import DomainError
from portal.core.money import format_yuan, from_fen


@extend_schema_field(OpenApiTypes.STR)
class FenAsYuanField(serializers.Field):
    """Integer fen in the database, a yuan string with two decimals in the API (``"60000.00"``)."""

    def to_representation(self, value: int | None) -> str:
        return format_yuan(from_fen(value or 0))


# The largest primary key either database holds (BigAutoField; SQLite's INTEGER). A larger id
# in a list makes SQLite raise OverflowError instead of finding nothing.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """An object id in API input: a positive integer the database can hold."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail: object) -> object:
    """DRF gives lists of messages per field; the API promises one message per field."""
    if isinstance(detail, list):
        return "；".join(str(_flatten(item)) for item in detail)
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error leaves the API as ``{"errors": {field: message}}``."""
    if isinstance(exc, DomainError):
        return Response({"errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response({"errors": _flatten(errors)}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权查看。")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        errors = {"detail": str(detail["detail"])}
    elif isinstance(detail, dict):
        errors = _flatten(detail)
    else:
        errors = {"detail": _flatten(detail)}
    response.data = {"errors": errors}
    return response
