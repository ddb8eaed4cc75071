"""The queue's filters, shared by the page, the Excel export and the API."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django_filters import rest_framework as filters

from applications.models import Application, ApplicationEvent
from applications.workflow import Action, Status
from portal.core.money import to_fen
from reviews.reference import queue_reference

AMOUNT_BOUNDS = {
    "min_value": Decimal("0"),
    "max_value": Decimal("999999999999.99"),
    "max_digits": 14,
    "decimal_places": 2,
}
SORTS = {
    "due": (F("due_on").asc(nulls_last=True), "id"),
    "-due": (F("due_on").desc(nulls_last=True), "-id"),
    "amount": ("amount_fen", "id"),
    "-amount": ("-amount_fen", "-id"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "id"),
}


class QueueFilter(filters.FilterSet):
    # codes to ids through the cached reference data, so filtering joins no reference table
    policy = filters.CharFilter(method="filter_policy", label="政策")
    clause = filters.CharFilter(method="filter_clause", label="条款")
    district = filters.CharFilter(method="filter_district", label="区县")
    state = filters.ChoiceFilter(field_name="status", choices=Status.choices, label="状态")
    # bounded: a yuan amount with at most two decimals (a huge or tiny number is a clear 400)
    amount_min = filters.NumberFilter(
        method="filter_amount_min", label="金额下限（元）", **AMOUNT_BOUNDS
    )
    amount_max = filters.NumberFilter(
        method="filter_amount_max", label="金额上限（元）", **AMOUNT_BOUNDS
    )
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte", label="期限不晚于")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已逾期")
    assignee = filters.CharFilter(method="filter_assignee", label="经办人（me/none/用户名）")
    corrected = filters.BooleanFilter(method="filter_corrected", label="补正后重新提交")
    q = filters.CharFilter(method="filter_q", label="企业名称或信用代码")
    sort = filters.ChoiceFilter(
        method="filter_sort",
        choices=[(k, k) for k in SORTS],
        label="排序",
        empty_label=None,
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # django-filter deep-copies every declared filter and builds a form of all of them on
        # each request (a third of the queue page's Python time): take only those the query
        # names. The class keeps them all (the API's schema and the export read the class).
        if data is not None:
            self.base_filters = {k: f for k, f in self.base_filters.items() if k in data}
        super().__init__(data, *args, **kwargs)

    def filter_policy(self, qs, name, value: str):
        return qs.filter(clause_id__in=queue_reference().policy_clause_ids.get(value, []))

    def filter_clause(self, qs, name, value: str):
        pk = queue_reference().clause_ids.get(value)
        return qs.filter(clause_id=pk) if pk is not None else qs.none()

    def filter_district(self, qs, name, value: str):
        pk = queue_reference().district_ids.get(value)
        return qs.filter(district_id=pk) if pk is not None else qs.none()

    def filter_amount_min(self, qs, name, value: Decimal):
        return qs.filter(amount_fen__gte=to_fen(Decimal(str(value))))

    def filter_amount_max(self, qs, name, value: Decimal):
        return qs.filter(amount_fen__lte=to_fen(Decimal(str(value))))

    def filter_overdue(self, qs, name, value: bool):
        today = timezone.localdate()
        if value:
            return qs.filter(due_on__lt=today)
        return qs.filter(Q(due_on__gte=today) | Q(due_on__isnull=True))

    def filter_assignee(self, qs, name, value: str):
        if value == "none":
            return qs.filter(assigned_here=False)
        username = self.request.user.username if value == "me" and self.request else value
        return qs.filter(assigned_here=True, review__assignee__username=username)

    def filter_corrected(self, qs, name, value: bool):
        """Cases the enterprise sent back corrected into the step they are at now (a case
        resubmitted to the district and since approved is no longer "corrected" at the city)."""
        resubmitted = Exists(
            ApplicationEvent.objects.filter(
                application=OuterRef("pk"), action=Action.RESUBMIT, to_status=OuterRef("status")
            )
        )
        return qs.filter(resubmitted) if value else qs.exclude(resubmitted)

    def filter_q(self, qs, name, value: str):
        value = value.strip()
        return qs.filter(
            Q(enterprise__name__contains=value) | Q(enterprise__credit_code=value.upper())
        )

    def filter_sort(self, qs, name, value: str):
        return qs.order_by(*SORTS.get(value, SORTS["due"]))
