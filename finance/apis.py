"""Finance API under /api/v1/finance/. Errors leave as ``{"errors": {field: message}}``."""

from __future__ import annotations

from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from finance import selectors, services
from finance.models import PayableShare
from finance.views import READERS
from portal.accounts.reauth import REAUTH_403, REAUTH_HEADERS, RecentAuthRequired
from portal.core.api import FenAsYuanField, IdField, PageNumberPagination
from portal.core.money import format_yuan


class IsFinanceReader(BasePermission):
    message = "该接口供财政局经办人使用。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in READERS)


# --- output serializers ---------------------------------------------------------------


class ShareOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_id = serializers.IntegerField(source="payable.application_id")
    application_number = serializers.CharField(source="payable.application.number")
    enterprise = serializers.CharField(source="payable.application.enterprise.name")
    policy = serializers.CharField(source="payable.application.clause.policy.doc_number")
    article = serializers.IntegerField(source="payable.application.clause.article")
    instalment_no = serializers.IntegerField(source="payable.instalment_no")
    payer_level = serializers.CharField()
    payer = serializers.CharField(source="payer_label")
    amount = FenAsYuanField(source="amount_fen")
    due_date = serializers.DateField()
    overdue = serializers.BooleanField(source="is_overdue")
    policy_target = serializers.DateField(
        source="policy_target.day",
        allow_null=True,
        default=None,
        help_text="政策兑付时限（如155号第17条：2023-03-31前应拨尽拨）",
    )
    late_against_policy = serializers.BooleanField(help_text="确定、支付或至今未付晚于政策兑付时限")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    batch_id = serializers.IntegerField(allow_null=True)
    voucher_no = serializers.CharField()
    paid_on = serializers.DateField(allow_null=True)
    failure_reason = serializers.CharField()
    payee_name = serializers.CharField(help_text="收款单位（确定支持时锁定）")
    payee_bank_name = serializers.CharField()
    payee_bank_account = serializers.CharField(help_text="本笔资金支付的账号")


class BatchItemOutputSerializer(serializers.Serializer):
    share_id = serializers.IntegerField()
    payee_name = serializers.CharField()
    credit_code = serializers.CharField()
    bank_name = serializers.CharField()
    bank_account = serializers.CharField()
    amount = FenAsYuanField(source="amount_fen")
    purpose = serializers.CharField()
    result = serializers.CharField()
    result_label = serializers.CharField(source="get_result_display")


class BatchOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    payer = serializers.CharField(source="payer_label")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    export_url = serializers.SerializerMethodField()

    def get_export_url(self, obj) -> str:
        return reverse("finance:batch_export", args=[obj.pk])


class BatchDetailOutputSerializer(BatchOutputSerializer):
    count = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    def get_count(self, obj) -> int:
        return self.context["totals"]["all"]["count"]

    def get_total(self, obj) -> str:
        return format_yuan(self.context["totals"]["all"]["amount"])

    def get_items(self, obj) -> list:
        return BatchItemOutputSerializer(selectors.batch_items(obj), many=True).data


# --- shares -------------------------------------------------------------------------------


class ShareFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PayableShare.Status.choices)
    policy = filters.CharFilter(field_name="payable__application__clause__policy__code")
    district = filters.CharFilter(field_name="payable__application__enterprise__district__code")
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = PayableShare
        fields = ["status", "policy", "district", "due_before"]


class ShareListApi(generics.ListAPIView):
    permission_classes = [IsFinanceReader]
    serializer_class = ShareOutputSerializer
    pagination_class = PageNumberPagination
    filterset_class = ShareFilter

    def get_queryset(self):
        return selectors.share_list(user=self.request.user)


# --- batches ------------------------------------------------------------------------------


class BatchCreateInputSerializer(serializers.Serializer):
    share_ids = serializers.ListField(child=IdField(), required=False)
    policy = serializers.CharField(required=False, allow_blank=True)
    district = serializers.CharField(required=False, allow_blank=True)
    due_before = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class BatchListCreateApi(generics.ListAPIView):
    """GET: the bureau's batches. POST: a batch of the given share ids, or of every due share
    matching the filters (policy, district, due_before)."""

    permission_classes = [IsFinanceReader]
    serializer_class = BatchOutputSerializer
    pagination_class = PageNumberPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=BatchCreateInputSerializer, responses={201: BatchDetailOutputSerializer})
    def post(self, request):
        data = BatchCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        share_ids = params.get("share_ids")
        if share_ids is None:
            share_ids = list(
                selectors.shares_due_for_batch(
                    user=request.user,
                    policy=params.get("policy", ""),
                    district=params.get("district", ""),
                    due_before=params.get("due_before"),
                ).values_list("pk", flat=True)
            )
        batch = services.payment_batch_create(
            actor=request.user, share_ids=share_ids, note=params.get("note", "")
        )
        context = {"totals": selectors.batch_totals(batch)}
        return Response(
            BatchDetailOutputSerializer(batch, context=context).data, status=status.HTTP_201_CREATED
        )


class BatchDetailApi(APIView):
    permission_classes = [IsFinanceReader]

    @extend_schema(responses=BatchDetailOutputSerializer)
    def get(self, request, batch_id: int):
        batch = selectors.access_batch(request.user, batch_id)
        context = {"totals": selectors.batch_totals(batch)}
        return Response(BatchDetailOutputSerializer(batch, context=context).data)


class MarkPaidInputSerializer(serializers.Serializer):
    voucher_no = serializers.CharField(max_length=60)
    paid_on = serializers.DateField()


class MarkFailedInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MarkOutputSerializer(serializers.Serializer):
    changed = serializers.BooleanField(
        help_text="false: the same confirmation was already recorded"
    )
    share = ShareOutputSerializer()


class _MarkApi(APIView):
    permission_classes = [IsFinanceReader]
    input_serializer: type[serializers.Serializer]

    def service(self, **kwargs) -> bool:
        raise NotImplementedError

    def post(self, request, batch_id: int, share_id: int):
        batch = selectors.access_batch(request.user, batch_id)
        share = selectors.access_share(request.user, share_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = self.service(batch=batch, share=share, actor=request.user, **data.validated_data)
        share.refresh_from_db()
        return Response({"changed": changed, "share": ShareOutputSerializer(share).data})


class BatchMarkPaidApi(_MarkApi):
    """Idempotent: the same confirmation again answers ``changed: false``. Needs a recent
    re-authentication (``portal.accounts.reauth``): a session re-authenticated within
    ``PORTAL_REAUTH_SECONDS``, or the password in ``X-Reauth-Password`` (and the TOTP code in
    ``X-Reauth-OTP`` for staff with 2FA); otherwise 403 with ``code: reauth_required``."""

    permission_classes = [IsFinanceReader, RecentAuthRequired]
    input_serializer = MarkPaidInputSerializer

    @extend_schema(
        request=MarkPaidInputSerializer,
        parameters=REAUTH_HEADERS,
        responses={200: MarkOutputSerializer, 403: REAUTH_403},
    )
    def post(self, request, batch_id: int, share_id: int):
        return super().post(request, batch_id, share_id)

    def service(self, **kwargs) -> bool:
        return services.payment_batch_mark_paid(**kwargs)


class BatchMarkFailedApi(_MarkApi):
    input_serializer = MarkFailedInputSerializer

    @extend_schema(request=MarkFailedInputSerializer, responses=MarkOutputSerializer)
    def post(self, request, batch_id: int, share_id: int):
        return super().post(request, batch_id, share_id)

    def service(self, **kwargs) -> bool:
        return services.payment_batch_mark_failed(**kwargs)


# --- the payee account --------------------------------------------------------------------


class PayeeReverifyInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, help_text="核实依据")


class SharePayeeReverifyApi(APIView):
    """Pay this unpaid share to the enterprise's current account instead of the one frozen at
    determination. Needs a recent re-authentication (like ``mark-paid``); audited on the case."""

    permission_classes = [IsFinanceReader, RecentAuthRequired]

    @extend_schema(
        request=PayeeReverifyInputSerializer,
        parameters=REAUTH_HEADERS,
        responses={200: ShareOutputSerializer, 403: REAUTH_403},
    )
    def post(self, request, share_id: int):
        share = selectors.access_share(request.user, share_id)
        data = PayeeReverifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        share = services.share_payee_reverify(
            share=share, actor=request.user, note=data.validated_data["note"]
        )
        share = selectors.access_share(request.user, share.pk)
        return Response(ShareOutputSerializer(share).data)
