"""Policy library and calculator API (the calculator follows award-contract.md exactly)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from policies import engine, selectors
from policies.models import Calculation, Clause, Policy
from policies.services import award_calculate
from portal.core.errors import DomainError


class CalculatorInputSerializer(serializers.Serializer):
    clause = serializers.CharField(max_length=40)
    facts = serializers.DictField(child=serializers.JSONField(), allow_empty=True)


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class CalculatorOutputSerializer(serializers.Serializer):
    clause = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.CharField(help_text="元，两位小数的字符串")
    reasons = serializers.ListField(child=serializers.CharField())
    steps = StepSerializer(many=True)
    is_ceiling = serializers.BooleanField()
    floor = serializers.CharField(allow_null=True)
    computable = serializers.BooleanField()
    rule_version = serializers.IntegerField(allow_null=True)


class CalculatorApi(APIView):
    """政策计算器：按条款和企业数据计算奖励金额（任何已登录用户）。"""

    @extend_schema(
        request=CalculatorInputSerializer,
        responses=CalculatorOutputSerializer,
        examples=[
            OpenApiExample(
                "155号第2条",
                value={
                    "clause": "zzw-2022-155/2",
                    "facts": {
                        "above_scale": True,
                        "manufacturing": True,
                        "revenue_q1_2023": "135000000",
                        "revenue_q1_2022": "100000000",
                    },
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = CalculatorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            calculated = award_calculate(
                code=data.validated_data["clause"],
                facts=data.validated_data["facts"],
                source=Calculation.Source.API,
                user=request.user,
            )
        except engine.EngineError as exc:
            raise DomainError(exc.message, errors=exc.errors) from exc
        body = calculated.result.to_dict()
        body["rule_version"] = calculated.version.number if calculated.version else None
        return Response(body)


class ClauseOutputSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code")
    doc_number = serializers.CharField(source="policy.doc_number")
    rule = serializers.SerializerMethodField()
    application_window = serializers.SerializerMethodField(
        help_text="当前申报情况（与页面、申报服务同一来源）：state 为 open/upcoming/closed，"
        "label 为 正在申报/即将开始/已截止，batch 为决定该状态的申报批次（原申报时间或另开的批次）。"
    )

    class Meta:
        model = Clause
        fields = [
            "code", "policy", "doc_number", "article", "title", "category", "redemption_mode",
            "responsible_department", "review_path", "application_opens", "application_closes",
            "application_window", "payment_schedule", "funding_split", "stacking_group",
            "materials", "guide", "original_text", "rule",
        ]  # fmt: skip

    def get_application_window(self, clause: Clause) -> dict:
        window = selectors.clause_window(clause)
        current = window.current
        return {
            "state": window.state,
            "label": window.label,
            "batch": None
            if current is None
            else {
                "name": current.name,
                "opens": current.opens,
                "closes": current.closes,
                "is_demo": current.is_demo,
                "from_policy_text": current.from_text,
            },
            "after_policy_end": window.after_policy_end,
        }

    def get_rule(self, clause: Clause) -> dict | None:
        meta = selectors.clause_meta(clause.code)
        return meta.describe() if meta else None


class PolicyOutputSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = Policy
        fields = [
            "code", "doc_number", "title", "issuer", "level", "level_label", "issued_on",
            "effective_from", "effective_to", "status", "supersedes", "interpreting_departments",
            "funding_split", "payout_targets",
        ]  # fmt: skip


class PolicyDetailOutputSerializer(PolicyOutputSerializer):
    clauses = ClauseOutputSerializer(many=True)

    class Meta(PolicyOutputSerializer.Meta):
        fields = [*PolicyOutputSerializer.Meta.fields, "stacking_rule", "clauses"]


class PolicyFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="")
    level = serializers.ChoiceField(choices=Policy.Level.choices, required=False, default="")
    department = serializers.CharField(required=False, default="")
    category = serializers.ChoiceField(choices=Clause.Category.choices, required=False, default="")
    redemption_mode = serializers.ChoiceField(
        choices=Clause.Redemption.choices, required=False, default=""
    )
    open_now = serializers.BooleanField(required=False, default=False)


class PolicyListApi(ListAPIView):
    """政策库列表：可按关键词、层级、部门、类别、兑现方式、是否在申报期筛选。"""

    serializer_class = PolicyOutputSerializer

    @extend_schema(parameters=[PolicyFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = PolicyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.policy_list(**filters.validated_data)


class PolicyDetailApi(APIView):
    @extend_schema(responses=PolicyDetailOutputSerializer)
    def get(self, request, code: str):
        try:
            policy = selectors.policy_get(code)
        except Policy.DoesNotExist as exc:
            raise Http404 from exc
        return Response(PolicyDetailOutputSerializer(policy).data)


class ClauseDetailApi(APIView):
    @extend_schema(responses=ClauseOutputSerializer)
    def get(self, request, code: str):
        try:
            clause = selectors.clause_get(code)
        except Clause.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ClauseOutputSerializer(clause).data)
