"""免申即享 API under /api/v1/proactive/. Parse -> permission-checked fetch -> service -> serialize."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from portal.core.money import format_yuan, from_fen
from proactive import selectors, services
from proactive.models import GovImport, GovImportJob, MatchRun, OutreachCandidate
from proactive.services.proposals import proposal_deadline
from proactive.sources import SOURCES


class ImportInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=list(SOURCES))
    file = serializers.FileField()


class ImportReportOutput(serializers.Serializer):
    source = serializers.CharField()
    file_name = serializers.CharField()
    rows_read = serializers.IntegerField()
    rows_imported = serializers.IntegerField()
    registered = serializers.IntegerField()
    rejected = serializers.SerializerMethodField()
    unregistered = serializers.SerializerMethodField()
    already_imported = serializers.SerializerMethodField()
    import_id = serializers.SerializerMethodField()

    def get_rejected(self, obj) -> list[dict]:
        return [{"row": row, "reason": reason} for row, reason in obj.rejected]

    def get_unregistered(self, obj) -> list[dict]:
        return [{"credit_code": c, "name": n} for c, n in obj.unregistered]

    def get_already_imported(self, obj) -> bool:
        return obj.already_imported is not None

    def get_import_id(self, obj) -> int | None:
        batch = obj.batch or obj.already_imported
        return batch.pk if batch else None


class GovImportOutput(serializers.ModelSerializer):
    class Meta:
        model = GovImport
        fields = [
            "id", "source", "department", "file_name", "sha256", "rows_read", "rows_imported",
            "registered", "unregistered", "indicators_written", "created_at",
        ]  # fmt: skip


class ImportJobOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = GovImportJob
        fields = [
            "id", "source", "file_name", "size", "status", "status_label", "rows_read",
            "report", "batch", "created_at", "finished_at",
        ]  # fmt: skip


class RunInput(serializers.Serializer):
    clauses = serializers.ListField(child=serializers.CharField(), min_length=1)
    period = serializers.CharField(max_length=10)


class RunOutput(serializers.ModelSerializer):
    clauses = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id", "period", "status", "clauses", "chunks_total", "enterprises_total",
            "created_at", "started_at", "finished_at", "progress",
        ]  # fmt: skip

    def get_progress(self, obj) -> dict:
        p = selectors.run_progress(obj)
        return {
            "done": p.done,
            "total": p.total,
            "evaluated": p.evaluated,
            "proposed": p.proposed,
            "amount": format_yuan(from_fen(p.amount_fen)),
            "outreach": p.outreach,
        }


class ProposalOutput(serializers.ModelSerializer):
    number = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    clause = serializers.CharField(source="clause.code")
    status_label = serializers.CharField(source="get_status_display")
    estimated_amount = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "number", "enterprise", "credit_code", "clause", "period", "status",
            "status_label", "facts", "estimated_amount", "deadline", "created_at",
        ]  # fmt: skip

    def get_estimated_amount(self, obj) -> str:
        return format_yuan(obj.estimated_amount)

    def get_deadline(self, obj) -> str | None:
        return str(proposal_deadline(obj)) if obj.status == selectors.PENDING else None


class OutreachOutput(serializers.ModelSerializer):
    clause = serializers.CharField(source="clause.code")
    amount = serializers.SerializerMethodField()

    class Meta:
        model = OutreachCandidate
        fields = ["credit_code", "name", "clause", "amount", "facts"]

    def get_amount(self, obj) -> str:
        return format_yuan(obj.amount)


class ConfirmInput(serializers.Serializer):
    commitment_accepted = serializers.BooleanField()


class DeclineInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=ImportInput,
        responses={
            201: ImportReportOutput,
            200: OpenApiResponse(ImportReportOutput, description="同一文件已导入过：不再导入"),
            202: OpenApiResponse(
                ImportJobOutput,
                description="文件较大（超过1MB）：已转入后台导入，进度见 import-jobs",
            ),
        },
    )
    def post(self, request):
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        if services.gov_import_in_background(data.validated_data["file"]):
            job = services.gov_import_start(actor=request.user, **data.validated_data)
            return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)
        report = services.gov_import(actor=request.user, **data.validated_data)
        code = status.HTTP_200_OK if report.already_imported else status.HTTP_201_CREATED
        return Response(ImportReportOutput(report).data, status=code)


class ImportListApi(generics.ListAPIView):
    serializer_class = GovImportOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return GovImport.objects.none()
        selectors.require_admin(self.request.user)
        return GovImport.objects.order_by("-created_at", "-id")


class ImportJobListApi(generics.ListAPIView):
    """部门数据后台导入：状态、已读取行数和导入报告（最新在前）。"""

    serializer_class = ImportJobOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return GovImportJob.objects.none()
        selectors.require_admin(self.request.user)
        return GovImportJob.objects.order_by("-created_at", "-id")


class RunListApi(generics.ListAPIView):
    serializer_class = RunOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return MatchRun.objects.none()
        selectors.require_admin(self.request.user)
        return MatchRun.objects.prefetch_related("clauses").order_by("-created_at", "-id")

    @extend_schema(request=RunInput, responses={201: RunOutput})
    def post(self, request):
        data = RunInput(data=request.data)
        data.is_valid(raise_exception=True)
        codes = data.validated_data["clauses"]
        ids = list(
            selectors.proactive_clauses().filter(code__in=codes).values_list("pk", flat=True)
        )
        if len(ids) != len(set(codes)):
            from portal.core.errors import DomainError

            raise DomainError("有条款不是免申即享条款或不存在。", errors={"clauses": "条款有误。"})
        run = services.match_run_start(
            actor=request.user, clause_ids=ids, period=data.validated_data["period"]
        )
        return Response(RunOutput(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    @extend_schema(responses=RunOutput)
    def get(self, request, pk: int):
        return Response(RunOutput(selectors.access_run(request.user, pk)).data)


class RunResumeApi(APIView):
    @extend_schema(request=None, responses={202: RunOutput})
    def post(self, request, pk: int):
        run = selectors.access_run(request.user, pk)
        services.match_run_resume(run=run, actor=request.user)
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RunProposalListApi(generics.ListAPIView):
    serializer_class = ProposalOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Application.objects.none()
        return selectors.run_proposals(selectors.access_run(self.request.user, self.kwargs["pk"]))


class RunOutreachListApi(generics.ListAPIView):
    serializer_class = OutreachOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return OutreachCandidate.objects.none()
        return selectors.run_outreach(selectors.access_run(self.request.user, self.kwargs["pk"]))


class ProposalListApi(generics.ListAPIView):
    """The logged-in enterprise's 免申即享 cases."""

    serializer_class = ProposalOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Application.objects.none()
        return selectors.enterprise_proposals(self.request.user)


class ProposalConfirmApi(APIView):
    @extend_schema(request=ConfirmInput, responses=ProposalOutput)
    def post(self, request, pk: int):
        application = selectors.access_proposal(request.user, pk)
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_confirm(
            application=application,
            user=request.user,
            commitment_accepted=data.validated_data["commitment_accepted"],
        )
        return Response(ProposalOutput(application).data)


class ProposalDeclineApi(APIView):
    @extend_schema(request=DeclineInput, responses=ProposalOutput)
    def post(self, request, pk: int):
        application = selectors.access_proposal(request.user, pk)
        data = DeclineInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_decline(
            application=application, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(ProposalOutput(application).data)
