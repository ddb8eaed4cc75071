"""API of the dashboards: the summary figures and the case list (cursor pagination)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards import listing, selectors
from dashboards.filters import CaseFilter
from dashboards.models import CaseFact
from dashboards.permissions import dashboard_viewer
from portal.core.api import FenAsYuanField
from portal.core.money import format_yuan, from_fen

FILTER_PARAMETERS = [
    OpenApiParameter("from", str, description="申报月份起，YYYY-MM"),
    OpenApiParameter("to", str, description="申报月份止，YYYY-MM"),
    OpenApiParameter("month", str, description="单个申报月份，YYYY-MM"),
    OpenApiParameter("policy", int, many=True, description="政策 id，可多个"),
    OpenApiParameter("clause", int),
    OpenApiParameter("district", int),
    OpenApiParameter("stage", str),
    OpenApiParameter("status", str),
    OpenApiParameter("flag", str),
]


def _viewer(request):
    viewer = dashboard_viewer(request.user)
    if not viewer.allowed:
        raise PermissionDenied(viewer.reason)
    return viewer


class CaseFactOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="application_id")
    enterprise = serializers.CharField(source="enterprise.name")
    district = serializers.CharField(source="district.name")
    policy = serializers.CharField(source="policy.doc_number")
    clause_article = serializers.IntegerField(source="clause.article")
    status = serializers.CharField()
    month = serializers.DateField()
    estimated = FenAsYuanField(source="estimated_fen")
    approved = FenAsYuanField(source="approved_fen")
    determined = FenAsYuanField(source="determined_fen")
    paid = FenAsYuanField(source="paid_fen")
    outstanding = FenAsYuanField(source="outstanding_fen")
    review_due_on = serializers.DateField(allow_null=True)
    pay_due_on = serializers.DateField(allow_null=True)


class CasePagination(CursorPagination):
    ordering = "-application_id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(parameters=FILTER_PARAMETERS, responses=CaseFactOutputSerializer(many=True))
class DashboardCaseListApi(ListAPIView):
    """The cases behind a dashboard figure, newest first (cursor pagination, no COUNT).

    Rows are dicts from ``selectors.case_rows`` turned into the serializer's fields by
    ``listing.row_json`` (no model instances, no serializer per row: ~3× the requests/s);
    the serializer documents the schema and a test keeps the two equal."""

    serializer_class = CaseFactOutputSerializer
    pagination_class = CasePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return CaseFact.objects.none()
        viewer = _viewer(self.request)
        today = timezone.localdate()
        filt = CaseFilter.from_query(self.request.query_params)
        soon = selectors.choices(today).soon
        return selectors.case_rows(
            viewer, filt, today=today, soon=soon, fields=selectors.API_CASE_VALUES
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ref = selectors.choices(timezone.localdate())
        return self.get_paginated_response([listing.row_json(row, ref) for row in page])


class DashboardSummaryApi(APIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses=inline_serializer(
            "DashboardSummary",
            {
                "headline": serializers.DictField(child=serializers.IntegerField()),
                "money": serializers.DictField(child=serializers.CharField()),
                "enterprises": serializers.IntegerField(),
                "on_time_share": serializers.FloatField(allow_null=True),
                "median_workdays_to_determine": serializers.FloatField(allow_null=True),
                "median_workdays_to_pay": serializers.FloatField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        viewer = _viewer(request)
        data = selectors.overview(viewer, CaseFilter.from_query(request.query_params))
        figures = data.figures
        return Response(
            {
                "headline": data.headline,
                "money": {k: format_yuan(from_fen(v)) for k, v in data.money.items()},
                "enterprises": figures["enterprises"],
                "on_time_share": figures["on_time_share"],
                "median_workdays_to_determine": figures["median_determine"],
                "median_workdays_to_pay": figures["median_pay"],
            }
        )
