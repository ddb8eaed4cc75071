"""Case API under /api/v1/. Parse -> permission-checked fetch -> one service -> serialize."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import ratings, receipts, selectors, services, steps
from applications.models import (
    Application,
    ApplicationEvent,
    Material,
    Notification,
    ServiceRating,
)
from applications.workflow import Status
from policies.models import Clause
from policies.payout import payout_target
from portal.core.audit import audit_download
from portal.core.errors import DomainError, NotFound
from portal.core.money import format_yuan

# --- serializers ----------------------------------------------------------------------


class MaterialOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = [
            "id",
            "item",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "active",
            "uploaded_at",
        ]


class ApplicationOutputSerializer(serializers.ModelSerializer):
    number = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name")
    clause = serializers.CharField(source="clause.code")
    status_label = serializers.CharField(source="get_status_display")
    simple_status = serializers.CharField()
    estimated_amount = serializers.SerializerMethodField()
    approved_amount = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "number", "enterprise", "clause", "period", "subject", "award_key",
            "duplicate_of", "status", "status_label",
            "simple_status", "facts", "estimated_amount", "approved_amount", "returned_from",
            "correction_due", "submitted_at", "commitment_signed_at", "created_at", "updated_at",
        ]  # fmt: skip

    def get_estimated_amount(self, obj: Application) -> str:
        return format_yuan(obj.estimated_amount)

    def get_approved_amount(self, obj: Application) -> str | None:
        amount = obj.approved_amount
        return None if amount is None else format_yuan(amount)


class StepOutputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="申报、区县初审、市级复审、公示、确定、拨付、办结")
    state = serializers.CharField(help_text="done / current / todo / skipped / ended")
    state_label = serializers.CharField()
    holder = serializers.CharField(help_text="办理单位（当前环节）")
    due = serializers.DateField(allow_null=True, help_text="承诺时限（工作日计算）")
    limit = serializers.CharField(help_text="本环节承诺时限，如“5个工作日”")
    late = serializers.BooleanField()
    note = serializers.CharField()


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    materials = serializers.SerializerMethodField()
    submit_problems = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    payout_target = serializers.SerializerMethodField(
        help_text="政策兑付时限（如155号第17条：2023-03-31前应拨尽拨）"
    )
    late_against_policy = serializers.SerializerMethodField(
        help_text="确定或至今未付晚于政策兑付时限"
    )

    class Meta(ApplicationOutputSerializer.Meta):
        fields = [
            *ApplicationOutputSerializer.Meta.fields,
            "materials",
            "submit_problems",
            "steps",
            "payout_target",
            "late_against_policy",
        ]

    def _progress(self, obj: Application) -> dict:
        if not hasattr(obj, "_progress"):
            events = obj.events.order_by("created_at", "id")
            payment = steps.payment_status_of(obj)
            obj._progress = steps.case_progress(obj, events=events, payment=payment)
        return obj._progress

    @extend_schema_field(StepOutputSerializer(many=True))
    def get_steps(self, obj: Application) -> list[dict]:
        return StepOutputSerializer(self._progress(obj)["steps"], many=True).data

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_payout_target(self, obj: Application):
        target = payout_target(obj.clause.policy)
        return None if target is None else target.day.isoformat()

    def get_late_against_policy(self, obj: Application) -> bool:
        timing = self._progress(obj)["timing"]
        return bool(timing and timing.late)

    def get_materials(self, obj: Application) -> list[dict]:
        return MaterialOutputSerializer(obj.materials.order_by("item", "-id"), many=True).data

    def get_submit_problems(self, obj: Application) -> list[str]:
        return selectors.submit_problems(obj) if obj.status == Status.DRAFT else []


class EventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    action_label = serializers.CharField()

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "action",
            "action_label",
            "actor",
            "from_status",
            "to_status",
            "comment",
            "data",
            "created_at",
        ]


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "application", "title", "body", "read_at", "created_at"]


class CreateInput(serializers.Serializer):
    clause = serializers.SlugRelatedField(slug_field="code", queryset=Clause.objects.all())
    period = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="申报年度（按条款的兑现方式确定申报期：年度奖励取年份，一次性奖励和政策规定期间"
        "的奖励不看此项）；季度、半年兑现的条款填 2023Q1、2023H1",
    )
    subject = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="申报对象：按项目、产品、称号、活动或平台奖励的条款必填（每个对象只奖励一次）",
    )
    facts = serializers.DictField(required=False)


class FactsInput(serializers.Serializer):
    facts = serializers.DictField()


class MaterialInput(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    file = serializers.FileField()


class SubmitInput(serializers.Serializer):
    commitment_accepted = serializers.BooleanField()


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


# --- views ----------------------------------------------------------------------------


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    clause = filters.CharFilter(field_name="clause__code")
    period = filters.CharFilter()

    class Meta:
        model = Application
        fields = ["status", "clause", "period"]


def _detail(application: Application, code: int = status.HTTP_200_OK) -> Response:
    application.refresh_from_db()
    return Response(ApplicationDetailOutputSerializer(application).data, status=code)


class ApplicationListApi(generics.ListAPIView):
    serializer_class = ApplicationOutputSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    @extend_schema(request=CreateInput, responses={201: ApplicationDetailOutputSerializer})
    def post(self, request):
        data = CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create_draft(user=request.user, **data.validated_data)
        return _detail(application, status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationDetailOutputSerializer)
    def get(self, request, pk: int):
        return _detail(selectors.access_application(request.user, pk))

    @extend_schema(request=FactsInput, responses=ApplicationDetailOutputSerializer)
    def patch(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        data = FactsInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.application_update_draft(
            application=application, user=request.user, facts=data.validated_data["facts"]
        )
        if saved.errors:
            raise DomainError("申报数据有误。", errors=saved.errors)
        return _detail(application)


class MaterialUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=MaterialInput, responses={201: MaterialOutputSerializer})
    def post(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        data = MaterialInput(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.material_upload(
            application=application, user=request.user, **data.validated_data
        )
        return Response(MaterialOutputSerializer(material).data, status=status.HTTP_201_CREATED)


class ApplicationSubmitApi(APIView):
    @extend_schema(request=SubmitInput, responses=ApplicationDetailOutputSerializer)
    def post(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        data = SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_submit(
            application=application, user=request.user, **data.validated_data
        )
        return _detail(application)


class ApplicationWithdrawApi(APIView):
    @extend_schema(request=WithdrawInput, responses=ApplicationDetailOutputSerializer)
    def post(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_withdraw(
            application=application, user=request.user, reason=data.validated_data["reason"]
        )
        return _detail(application)


class ApplicationResubmitApi(APIView):
    @extend_schema(request=None, responses=ApplicationDetailOutputSerializer)
    def post(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        services.application_resubmit(application=application, user=request.user)
        return _detail(application)


class ApplicationEventsApi(generics.ListAPIView):
    serializer_class = EventOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        application = selectors.access_application(self.request.user, self.kwargs["pk"])
        for_enterprise = self.request.user.role == "enterprise"
        return selectors.application_events(application, for_enterprise=for_enterprise)


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.notification_list(self.request.user)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "kind",
            str,
            OpenApiParameter.PATH,
            enum=[receipts.RECEIPT, receipts.PAYMENT_NOTICE],
            description="receipt：受理回执（提交后）；payment-notice：资金拨付通知（有款项拨付后）",
        )
    ],
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        400: OpenApiResponse(description="服务器未安装中文字体，暂不能生成 PDF"),
        404: OpenApiResponse(description="案件不存在、无权查看，或尚无此文书（不区分）"),
    },
)
class ApplicationDocumentApi(APIView):
    """受理回执 / 资金拨付通知 as PDF (Chinese font embedded); the download is audited."""

    def perform_content_negotiation(self, request, force=False):
        # the body is a PDF, whatever the client accepts; errors are JSON as everywhere else
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, pk: int, kind: str):
        application = selectors.access_application(request.user, pk)
        content, filename = receipts.document_pdf(application, kind)
        audit_download(
            request,
            what=f"case_{kind.replace('-', '_')}",
            object_ref=f"applications.Application:{application.pk}",
            number=application.number,
            channel="api",
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
        return response


class RatingInput(serializers.Serializer):
    level = serializers.IntegerField(
        help_text="5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意"
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="评价意见；不满意时必填，最多500字"
    )


class RatingOutputSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = ServiceRating
        fields = [
            "id", "level", "level_label", "comment", "office_name", "created_at",
            "follow_up_due", "followed_up_at", "follow_up_note",
        ]  # fmt: skip


NOT_FOUND = OpenApiResponse(description="不存在、无权查看或尚未评价（不区分）")


class ApplicationRatingApi(APIView):
    """好差评: the enterprise rates the service of its ended case once (audited as an event)."""

    @extend_schema(responses={200: RatingOutputSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        rating = ServiceRating.objects.filter(application=application).first()
        if rating is None:
            raise NotFound("该案件尚未评价。")
        return Response(RatingOutputSerializer(rating).data)

    @extend_schema(
        request=RatingInput,
        responses={
            201: RatingOutputSerializer,
            400: OpenApiResponse(description='评价无效或已评价：{"errors": {"字段": "中文说明"}}'),
            403: OpenApiResponse(description="只有申报企业本企业的用户可以评价"),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        application = selectors.access_application(request.user, pk)
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        rating = ratings.application_rate(
            application=application, user=request.user, **data.validated_data
        )
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)
