"""Enterprise API under /api/v1/enterprises/. Errors leave as ``{"errors": {field: message}}``."""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises import selectors, services
from enterprises.catalogue import CATALOGUE
from enterprises.facts import indicator_facts
from enterprises.models import Enterprise, Indicator
from portal.accounts.models import District, Role
from portal.core.errors import NotFound, PermissionRefused
from portal.core.throttling import SharedScopedRateThrottle

# --- serializers ------------------------------------------------------------------


class DistrictOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    district = DistrictOutputSerializer()
    industry_section_label = serializers.CharField(source="get_industry_section_display")
    industry_division_label = serializers.CharField(source="industry_label")
    verification_status_label = serializers.CharField(source="get_verification_status_display")
    can_submit = serializers.SerializerMethodField()
    can_submit_reason = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "district",
            "industry_section",
            "industry_section_label",
            "industry_division",
            "industry_division_label",
            "above_scale",
            "legal_representative",
            "contact_name",
            "contact_mobile",
            "bank_name",
            "bank_account",
            "bank_account_name",
            "verification_status",
            "verification_status_label",
            "verification_reason",
            "verified_at",
            "credit_blocked_until",
            "credit_block_reason",
            "can_submit",
            "can_submit_reason",
            "created_at",
            "updated_at",
        ]

    def get_can_submit(self, obj: Enterprise) -> bool:
        return services.enterprise_can_submit(obj)[0]

    def get_can_submit_reason(self, obj: Enterprise) -> str:
        return services.enterprise_can_submit(obj)[1]


class _EnterpriseFieldsInput(serializers.Serializer):
    """Types only: the rules (credit code, mobile, account name...) live in the model."""

    name = serializers.CharField(max_length=200)
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.filter(active=True),
        error_messages={"does_not_exist": "区县代码“{value}”不存在。"},
    )
    industry_division = serializers.CharField(
        max_length=2, help_text="GB/T 4754-2017 大类代码，如 34"
    )
    above_scale = serializers.BooleanField(default=False)
    legal_representative = serializers.CharField(max_length=100)
    contact_name = serializers.CharField(max_length=100)
    contact_mobile = serializers.CharField(max_length=30)
    bank_name = serializers.CharField(max_length=200)
    bank_account = serializers.CharField(max_length=60)
    bank_account_name = serializers.CharField(max_length=200)


class EnterpriseRegisterInputSerializer(_EnterpriseFieldsInput):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    credit_code = serializers.CharField(max_length=40)


class EnterpriseUpdateInputSerializer(_EnterpriseFieldsInput):
    """Used with ``partial=True``: send only what changes. The credit code never changes."""


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class IndicatorOutputSerializer(serializers.ModelSerializer):
    name_label = serializers.CharField(source="get_name_display")
    value = serializers.CharField(source="value_text", help_text="金额为元（两位小数），其余为整数")
    unit = serializers.SerializerMethodField()
    source_label = serializers.CharField(source="get_source_display")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "name_label",
            "period",
            "value",
            "unit",
            "source",
            "source_label",
            "department",
            "import_batch",
            "updated_at",
        ]

    def get_unit(self, obj: Indicator) -> str:
        return CATALOGUE[obj.name].unit


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="指标代码或中文名称，如 revenue / 营业收入")
    period = serializers.CharField(help_text="2023、2023H1、2023Q1 或 2023-01")
    value = serializers.CharField(help_text='金额以元为单位的数字或字符串，如 "135000000"')


class IndicatorImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class IndicatorImportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    rows_count = serializers.IntegerField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()


# --- filters and permissions ---------------------------------------------------------


class EnterpriseFilter(filters.FilterSet):
    district = filters.CharFilter(field_name="district__code", label="区县代码")
    status = filters.ChoiceFilter(
        field_name="verification_status", choices=Enterprise.Status.choices, label="核验状态"
    )
    above_scale = filters.BooleanFilter(label="规模以上")
    search = filters.CharFilter(method="filter_search", label="名称或统一社会信用代码")

    class Meta:
        model = Enterprise
        fields = ["district", "status", "above_scale"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class IsPortalStaff(BasePermission):
    message = "该接口供工作人员使用；企业用户请使用 /api/v1/enterprises/me/。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_portal_staff)


def _my_enterprise(user) -> Enterprise:
    enterprise = selectors.enterprise_for_user(user)
    if enterprise is None:
        if user.role != Role.ENTERPRISE:
            raise PermissionRefused("该接口供企业用户使用。")
        raise NotFound("您的账号尚未关联企业。")
    return enterprise


ERRORS = OpenApiResponse(description='校验失败：{"errors": {"字段": "中文说明"}}')
NOT_FOUND = OpenApiResponse(description="不存在或无权查看（两者不区分）")


# --- enterprise ------------------------------------------------------------------


class EnterpriseRegisterApi(APIView):
    """Register an enterprise and its primary login (no login needed); it waits for 核验."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    # anonymous: slow down scripted sign-ups (and name probing); one counter with the web form
    throttle_classes = [SharedScopedRateThrottle]
    throttle_scope = "anon_register"

    @extend_schema(
        request=EnterpriseRegisterInputSerializer,
        responses={201: EnterpriseOutputSerializer, 400: ERRORS},
    )
    def post(self, request):
        serializer = EnterpriseRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user_data = {"username": data.pop("username"), "password": data.pop("password")}
        enterprise = services.enterprise_register(user_data=user_data, enterprise_data=data)
        return Response(EnterpriseOutputSerializer(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseMeApi(APIView):
    """The logged-in enterprise user's own enterprise."""

    @extend_schema(responses={200: EnterpriseOutputSerializer, 404: NOT_FOUND})
    def get(self, request):
        return Response(EnterpriseOutputSerializer(_my_enterprise(request.user)).data)

    @extend_schema(
        request=EnterpriseUpdateInputSerializer,
        responses={200: EnterpriseOutputSerializer, 400: ERRORS},
    )
    def patch(self, request):
        enterprise = _my_enterprise(request.user)
        serializer = EnterpriseUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        enterprise = services.enterprise_update_profile(
            enterprise=enterprise, actor=request.user, data=serializer.validated_data
        )
        return Response(EnterpriseOutputSerializer(enterprise).data)


class EnterpriseListApi(generics.ListAPIView):
    """Enterprises in the caller's scope (district staff: their district)."""

    permission_classes = [IsPortalStaff]
    serializer_class = EnterpriseOutputSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return selectors.enterprise_scope(self.request.user).order_by("district__sort_order", "id")


class EnterpriseDetailApi(APIView):
    @extend_schema(responses={200: EnterpriseOutputSerializer, 404: NOT_FOUND})
    def get(self, request, enterprise_id: int):
        enterprise = selectors.access_enterprise(request.user, enterprise_id)
        return Response(EnterpriseOutputSerializer(enterprise).data)


class EnterpriseVerifyApi(APIView):
    """核验通过 (district reviewer of the enterprise's district)."""

    @extend_schema(
        request=None, responses={200: EnterpriseOutputSerializer, 400: ERRORS, 404: NOT_FOUND}
    )
    def post(self, request, enterprise_id: int):
        enterprise = selectors.access_enterprise(request.user, enterprise_id)
        enterprise = services.enterprise_verify(enterprise=enterprise, actor=request.user)
        return Response(EnterpriseOutputSerializer(enterprise).data)


class EnterpriseRejectApi(APIView):
    """核验未通过, with the reason shown to the enterprise."""

    @extend_schema(
        request=RejectInputSerializer,
        responses={200: EnterpriseOutputSerializer, 400: ERRORS, 404: NOT_FOUND},
    )
    def post(self, request, enterprise_id: int):
        enterprise = selectors.access_enterprise(request.user, enterprise_id)
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enterprise = services.enterprise_reject_verification(
            enterprise=enterprise, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(EnterpriseOutputSerializer(enterprise).data)


# --- indicators ---------------------------------------------------------------------


class MyIndicatorsApi(generics.ListAPIView):
    """The enterprise's own indicators (GET) and one figure set or changed (POST)."""

    serializer_class = IndicatorOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.indicator_list(_my_enterprise(self.request.user)).order_by(
            "name", "period", "source"
        )

    @extend_schema(
        request=IndicatorInputSerializer, responses={201: IndicatorOutputSerializer, 400: ERRORS}
    )
    def post(self, request):
        enterprise = _my_enterprise(request.user)
        serializer = IndicatorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = services.indicator_set(
            enterprise=enterprise, actor=request.user, **serializer.validated_data
        )
        return Response(IndicatorOutputSerializer(indicator).data, status=status.HTTP_201_CREATED)


class MyIndicatorsImportApi(APIView):
    """Upload a filled-in template (.xlsx). Any bad row: nothing imported, each row reported."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": IndicatorImportInputSerializer},
        responses={
            201: IndicatorImportOutputSerializer,
            400: OpenApiResponse(
                description='{"errors": {"file": "共有N行有误…", "row_3": "第3行：…"}}'
            ),
        },
    )
    def post(self, request):
        enterprise = _my_enterprise(request.user)
        serializer = IndicatorImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = services.indicators_import_excel(
            enterprise=enterprise, actor=request.user, file=serializer.validated_data["file"]
        )
        return Response(IndicatorImportOutputSerializer(batch).data, status=status.HTTP_201_CREATED)


class EnterpriseIndicatorsApi(generics.ListAPIView):
    """One enterprise's indicators, for staff in scope."""

    serializer_class = IndicatorOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        enterprise = selectors.access_enterprise(self.request.user, self.kwargs["enterprise_id"])
        return selectors.indicator_list(enterprise).order_by("name", "period", "source")


FACTS_RESPONSE = inline_serializer(
    "EnterpriseFacts",
    {"enterprise": serializers.IntegerField(), "facts": serializers.DictField()},
)


class MyFactsApi(APIView):
    """The award-engine facts derived from the enterprise's file (see award-contract.md)."""

    @extend_schema(responses={200: FACTS_RESPONSE, 404: NOT_FOUND})
    def get(self, request):
        enterprise = _my_enterprise(request.user)
        return Response({"enterprise": enterprise.pk, "facts": indicator_facts(enterprise)})


class EnterpriseFactsApi(APIView):
    @extend_schema(responses={200: FACTS_RESPONSE, 404: NOT_FOUND})
    def get(self, request, enterprise_id: int):
        enterprise = selectors.access_enterprise(request.user, enterprise_id)
        return Response({"enterprise": enterprise.pk, "facts": indicator_facts(enterprise)})
