"""Review API under /api/v1/reviews/. Parse -> permission-checked fetch -> one service -> serialize."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from applications.selectors import access_application
from portal.accounts.models import Role, User
from portal.core.api import IdField
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.money import format_yuan, from_fen
from reviews import selectors, services
from reviews.casefile import review_case
from reviews.filters import QueueFilter
from reviews.models import MaterialCheck, NoticeBatch, NoticeEntry, Objection

REVIEWERS = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)
QUEUE_ROLES = (*REVIEWERS, Role.LEADER, Role.SYS_ADMIN)


def _require(user, roles) -> None:
    if user.role not in roles:
        raise NotFound()


# --- serializers ----------------------------------------------------------------------


class ReviewQueueItemOutput(serializers.ModelSerializer):
    number = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name")
    district = serializers.CharField(source="enterprise.district.code")
    clause = serializers.CharField(source="clause.code")
    status_label = serializers.CharField(source="get_status_display")
    amount = serializers.SerializerMethodField()
    urgency = serializers.CharField()
    assignee = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "number", "enterprise", "district", "clause", "period", "status",
                  "status_label", "amount", "due_on", "urgency", "assignee"]  # fmt: skip

    def get_amount(self, obj) -> str:
        return format_yuan(from_fen(obj.amount_fen))

    def get_assignee(self, obj) -> str | None:
        return obj.review.assignee.username if obj.assigned_here else None


class ReviewCheckOutput(serializers.ModelSerializer):
    reviewer = serializers.StringRelatedField()
    level = serializers.CharField()
    status = serializers.CharField()
    kind = serializers.CharField()
    confirmed_by = serializers.SerializerMethodField(help_text="复核上调核实值的审核人员")

    class Meta:
        model = MaterialCheck
        fields = ["id", "level", "status", "round", "kind", "target", "passed", "comment",
                  "declared_value", "verified_value", "raises", "evidence", "confirmed_by",
                  "confirmed_at", "reviewer", "created_at"]  # fmt: skip

    def get_confirmed_by(self, obj) -> str | None:
        return str(obj.confirmed_by) if obj.confirmed_by_id else None


class ReviewRaisedFactOutput(serializers.Serializer):
    """A verified value above the declared one (or raising the award): flagged for the next
    level. ``state``: pending (not in force until another reviewer confirms), confirmed,
    superseded."""

    id = serializers.IntegerField()
    fact = serializers.CharField()
    label = serializers.CharField()
    declared = serializers.JSONField()
    verified = serializers.JSONField()
    evidence = serializers.CharField()
    level = serializers.CharField()
    reviewer = serializers.CharField()
    created_at = serializers.DateTimeField()
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    warning = serializers.SerializerMethodField()

    def get_warning(self, obj) -> str:
        return (
            f"{obj['level_label']}审核人员 {obj['reviewer']} 将“{obj['label']}”由企业申报的 "
            f"{obj['declared']} 上调为 {obj['verified']}（依据：{obj['evidence']}），"
            f"{obj['state_label']}{'：' + obj['confirmed_by'] if obj['confirmed_by'] else ''}。"
        )


class ReviewEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    comment = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()


class ReviewCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    enterprise = serializers.CharField()
    status = serializers.CharField()
    level = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    assignee = serializers.CharField(allow_null=True)
    can_act = serializers.BooleanField()
    refusal = serializers.CharField()
    facts = serializers.JSONField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    subject = serializers.CharField(help_text="申报对象（项目、产品、称号、活动或平台）")
    subject_label = serializers.CharField()
    duplicate_of = serializers.CharField(
        allow_null=True, help_text="已标记为同一奖励的在先案件编号（不能核定）"
    )
    estimated_amount = serializers.CharField()
    approved_amount = serializers.CharField(allow_null=True)
    ceiling = serializers.CharField(allow_null=True)
    ceiling_steps = serializers.ListField(child=serializers.DictField())
    stacking = serializers.ListField(child=serializers.CharField())
    raised_facts = ReviewRaisedFactOutput(many=True)
    unchecked = serializers.ListField(child=serializers.CharField())
    checks = ReviewCheckOutput(many=True)
    events = ReviewEventOutput(many=True)


class ReviewCheckInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaterialCheck.Kind.choices)
    target = serializers.CharField(max_length=200)
    passed = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    verified_value = serializers.JSONField(required=False, allow_null=True)
    evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="核实值高于申报值（或使测算金额提高）时必填：依据的申报材料名称",
    )


class ReviewChecksInput(serializers.Serializer):
    checks = ReviewCheckInput(many=True)


class ReviewApproveInput(serializers.Serializer):
    amount = serializers.CharField(required=False, allow_blank=True, help_text="元；不填为测算上限")
    reason_code = serializers.ChoiceField(
        choices=list(services.REDUCTION_REASONS), required=False, allow_blank=True
    )
    reason_text = serializers.CharField(required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewReturnInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewRejectInput(serializers.Serializer):
    reason = serializers.CharField()


class ReviewAssignInput(serializers.Serializer):
    assignee = serializers.CharField(help_text="用户名")


class ReviewNoticeInput(serializers.Serializer):
    applications = serializers.ListField(child=IdField(), min_length=1)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    window_days = serializers.IntegerField(required=False, min_value=1, max_value=30)


class ReviewNoticeEntryOutput(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="application.enterprise.name")
    doc_number = serializers.CharField(source="application.clause.policy.doc_number")
    clause = serializers.CharField(source="application.clause.__str__")
    amount = serializers.SerializerMethodField()
    opens_on = serializers.DateField(source="batch.opens_on")
    closes_on = serializers.DateField(source="batch.closes_on")

    class Meta:
        model = NoticeEntry
        fields = ["id", "enterprise", "doc_number", "clause", "amount", "opens_on", "closes_on"]

    def get_amount(self, obj) -> str:
        return format_yuan(from_fen(obj.amount_fen))


class ReviewNoticeBatchOutput(serializers.ModelSerializer):
    entries = ReviewNoticeEntryOutput(many=True)

    class Meta:
        model = NoticeBatch
        fields = ["id", "title", "opens_on", "closes_on", "window_days", "closed_at", "entries"]


class ReviewObjectionInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    contact = serializers.CharField(max_length=50)
    text = serializers.CharField()


class ReviewObjectionOutput(serializers.ModelSerializer):
    application_id = serializers.IntegerField(source="entry.application_id")
    application_number = serializers.CharField(source="entry.application.number")
    enterprise = serializers.CharField(source="entry.application.enterprise.name")
    objector_account = serializers.CharField(source="user.username")
    objector_enterprise = serializers.CharField(source="enterprise.name", allow_null=True)
    objector_credit_code = serializers.CharField(source="enterprise.credit_code", allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)

    class Meta:
        model = Objection
        fields = ["id", "application_id", "application_number", "enterprise",
                  "objector_account", "objector_enterprise", "objector_credit_code", "name",
                  "contact", "text", "created_at", "status", "status_label", "decided_by",
                  "decided_at", "decision_reason"]  # fmt: skip


class ReviewTriageInput(serializers.Serializer):
    reason = serializers.CharField(help_text="核查意见（驳回须写明理由）")


OK = inline_serializer(
    "ReviewOk", {"id": serializers.IntegerField(), "status": serializers.CharField()}
)


# --- views ----------------------------------------------------------------------------


class ReviewQueueApi(generics.ListAPIView):
    serializer_class = ReviewQueueItemOutput
    filterset_class = QueueFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        _require(self.request.user, QUEUE_ROLES)
        return selectors.queue_scope(self.request.user)

    @extend_schema(responses=ReviewQueueItemOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _case_payload(user, application: Application) -> dict:
    read = review_case(user, application)
    permission, level, ceiling, assignee = read.permission, read.level, read.ceiling, read.assignee
    events = [
        {**ReviewEventOutput(e).data, "actor": str(e.actor) if e.actor else None}
        for e in read.events
    ]
    return {
        "id": application.pk,
        "number": application.number,
        "enterprise": application.enterprise.name,
        "status": application.status,
        "level": level,
        "due_on": application.due_on,
        "assignee": assignee.username if assignee else None,
        "can_act": permission.allowed,
        "refusal": permission.reason,
        "facts": application.facts,
        "period": application.period,
        "period_label": application.period_label,
        "subject": application.subject,
        "subject_label": application.subject_label,
        "duplicate_of": application.duplicate_of.number if application.duplicate_of_id else None,
        "estimated_amount": format_yuan(application.estimated_amount),
        "approved_amount": (
            None
            if application.approved_amount is None
            else format_yuan(application.approved_amount)
        ),
        "ceiling": format_yuan(ceiling.amount) if ceiling else None,
        "ceiling_steps": [s.to_dict() for s in ceiling.result.steps] if ceiling else [],
        "stacking": ceiling.stacking.lines if ceiling and ceiling.stacking else [],
        "raised_facts": read.raised,
        "unchecked": read.unchecked,
        "checks": selectors.check_history(application),
        "events": events,
    }


class _CaseApi(APIView):
    def fetch(self, request, pk) -> Application:
        _require(request.user, QUEUE_ROLES)
        return access_application(request.user, pk)

    def done(self, application: Application) -> Response:
        application.refresh_from_db(fields=["status"])
        return Response({"id": application.pk, "status": application.status})


class ReviewCaseApi(_CaseApi):
    @extend_schema(responses=ReviewCaseOutput)
    def get(self, request, pk: int):
        application = self.fetch(request, pk)
        return Response(ReviewCaseOutput(_case_payload(request.user, application)).data)


class ReviewClaimApi(_CaseApi):
    @extend_schema(request=None, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        services.review_claim(application=application, user=request.user)
        return self.done(application)


class ReviewAssignApi(_CaseApi):
    @extend_schema(request=ReviewAssignInput, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = User.objects.filter(username=data.validated_data["assignee"]).first()
        if assignee is None:
            raise DomainError("未找到该审核人员。", errors={"assignee": "未找到该审核人员。"})
        services.review_assign(application=application, user=request.user, assignee=assignee)
        return self.done(application)


class ReviewChecksApi(_CaseApi):
    @extend_schema(request=ReviewChecksInput, responses={201: ReviewCheckOutput(many=True)})
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewChecksInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = services.review_checks_record(
            application=application, user=request.user, checks=data.validated_data["checks"]
        )
        return Response(ReviewCheckOutput(rows, many=True).data, status=status.HTTP_201_CREATED)


class ReviewRaiseConfirmApi(_CaseApi):
    """Another reviewer of the same step confirms a raised verified value (never its author)."""

    @extend_schema(request=None, responses=ReviewCheckOutput)
    def post(self, request, pk: int, check_id: int):
        application = self.fetch(request, pk)
        row = services.review_fact_raise_confirm(
            application=application, user=request.user, check_id=check_id
        )
        return Response(ReviewCheckOutput(row).data)


class ReviewApproveApi(_CaseApi):
    @extend_schema(request=ReviewApproveInput, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.review_approve(application=application, user=request.user, **data.validated_data)
        return self.done(application)


class ReviewReturnApi(_CaseApi):
    @extend_schema(request=ReviewReturnInput, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.review_return(application=application, user=request.user, **data.validated_data)
        return self.done(application)


class ReviewSubjectInput(serializers.Serializer):
    subject = serializers.CharField(max_length=200, help_text="核实后的申报对象名称")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSubjectApi(_CaseApi):
    @extend_schema(request=ReviewSubjectInput, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewSubjectInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.review_subject_verify(
            application=application, user=request.user, **data.validated_data
        )
        return self.done(application)


class ReviewRejectApi(_CaseApi):
    @extend_schema(request=ReviewRejectInput, responses=OK)
    def post(self, request, pk: int):
        application = self.fetch(request, pk)
        data = ReviewRejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.review_reject(
            application=application, user=request.user, reason=data.validated_data["reason"]
        )
        return self.done(application)


class NoticeListApi(generics.ListAPIView):
    serializer_class = ReviewNoticeBatchOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NoticeBatch.objects.none()
        _require(self.request.user, (Role.CITY_REVIEWER, Role.LEADER, Role.SYS_ADMIN))
        return selectors.notice_batch_list(self.request.user)

    @extend_schema(responses=ReviewNoticeBatchOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ReviewNoticeInput, responses={201: ReviewNoticeBatchOutput})
    def post(self, request, *args, **kwargs):
        if request.user.role != Role.CITY_REVIEWER:
            raise PermissionRefused("公示由市工信局审核人员发布。")
        data = ReviewNoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.notice_batch_create(
            user=request.user,
            application_ids=data.validated_data["applications"],
            title=data.validated_data["title"],
            window_days=data.validated_data.get("window_days"),
        )
        return Response(ReviewNoticeBatchOutput(batch).data, status=status.HTTP_201_CREATED)


class NoticePublicApi(generics.ListAPIView):
    """Public: the cases whose notice is open today."""

    serializer_class = ReviewNoticeEntryOutput
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        return selectors.notice_public_entries()

    @extend_schema(responses=ReviewNoticeEntryOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ObjectionListApi(generics.ListAPIView):
    """The objections to the cases in the caller's scope (``?status=pending``: to triage)."""

    serializer_class = ReviewObjectionOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Objection.objects.none()
        _require(self.request.user, (Role.CITY_REVIEWER, Role.LEADER, Role.SYS_ADMIN))
        qs = selectors.objection_scope(self.request.user)
        wanted = self.request.query_params.get("status", "")
        return qs.filter(status=wanted) if wanted in Objection.Status.values else qs

    @extend_schema(responses=ReviewObjectionOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _TriageApi(APIView):
    service = None

    def post(self, request, objection_id: int):
        data = ReviewTriageInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = type(self).service(
            objection_id=objection_id, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(ReviewObjectionOutput(objection).data)


class ObjectionAcceptApi(_TriageApi):
    """The objection holds: the case leaves the notice and goes back to city review."""

    service = services.objection_accept

    @extend_schema(request=ReviewTriageInput, responses=ReviewObjectionOutput)
    def post(self, request, objection_id: int):
        return super().post(request, objection_id)


class ObjectionDismissApi(_TriageApi):
    """The objection does not hold (with the reason): the case stays in the notice."""

    service = services.objection_dismiss

    @extend_schema(request=ReviewTriageInput, responses=ReviewObjectionOutput)
    def post(self, request, objection_id: int):
        return super().post(request, objection_id)


class ObjectionCreateApi(APIView):
    @extend_schema(
        request=ReviewObjectionInput,
        responses={201: inline_serializer("ObjectionOk", {"id": serializers.IntegerField()})},
    )
    def post(self, request, entry_id: int):
        data = ReviewObjectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_file(
            user=request.user, entry_id=entry_id, **data.validated_data
        )
        return Response({"id": objection.pk}, status=status.HTTP_201_CREATED)
