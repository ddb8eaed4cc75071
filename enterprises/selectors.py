"""Reads: the enterprises a user may see, and the permission-checked fetch of one of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from enterprises.catalogue import CATALOGUE, IndicatorSpec, Period, parse_period
from enterprises.models import (
    Enterprise,
    EnterpriseEvent,
    EnterpriseMember,
    Indicator,
    IndicatorSource,
)
from portal.accounts.models import Role
from portal.core.errors import NotFound

CITY_WIDE_ROLES = frozenset({Role.CITY_REVIEWER, Role.POLICY_ADMIN, Role.SYS_ADMIN})
DISTRICT_OR_CITY_ROLES = frozenset({Role.FINANCE, Role.LEADER})  # no district = city level


def enterprise_for_user(user) -> Enterprise | None:
    """The enterprise an enterprise user belongs to (None for staff or an orphan login)."""
    if not user.is_authenticated or user.role != Role.ENTERPRISE:
        return None
    return Enterprise.objects.select_related("district").filter(members__user=user).first()


def enterprise_condition(user, prefix: str = "", district: str = "") -> Q | None:
    """Which enterprises ``user`` may read, as a condition on the enterprise (reached through
    ``prefix``, e.g. ``"enterprise__"`` from a case; ``district`` names a copy of the
    enterprise's district to test instead, e.g. the case's own): ``Q()`` for all of them,
    None for none. A plain condition, never a sub-select of enterprises per row."""
    if not user.is_authenticated or not user.is_active:
        return None
    role, district = user.role, district or f"{prefix}district_id"
    if role == Role.ENTERPRISE:
        return Q(**{f"{prefix}members__user": user})
    if role == Role.DISTRICT_REVIEWER:
        return Q(**{district: user.district_id}) if user.district_id else None
    if role in DISTRICT_OR_CITY_ROLES:
        return Q(**{district: user.district_id}) if user.district_id else Q()
    if role in CITY_WIDE_ROLES:
        return Q()
    return None


def enterprise_scope(user) -> QuerySet[Enterprise]:
    """Every enterprise ``user`` may read."""
    qs = Enterprise.objects.select_related("district")
    condition = enterprise_condition(user)
    return qs.none() if condition is None else qs.filter(condition)


def access_enterprise(user, enterprise_id: object) -> Enterprise:
    """One enterprise, if ``user`` may see it; otherwise NotFound (as if it did not exist)."""
    try:
        pk = int(str(enterprise_id))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    enterprise = enterprise_scope(user).filter(pk=pk).first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def enterprise_list(
    *, user, district: str = "", status: str = "", above_scale: bool | None = None, q: str = ""
) -> QuerySet[Enterprise]:
    qs = enterprise_scope(user)
    if district:
        qs = qs.filter(district__code=district)
    if status:
        qs = qs.filter(verification_status=status)
    if above_scale is not None:
        qs = qs.filter(above_scale=above_scale)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    return qs.order_by("district__sort_order", "name")


def verification_queue(user) -> QuerySet[Enterprise]:
    """Enterprises waiting for ``user`` to verify them: its district's pending ones, oldest first."""
    if not user.is_authenticated or user.role != Role.DISTRICT_REVIEWER or not user.district_id:
        return Enterprise.objects.none()
    return (
        Enterprise.objects.select_related("district")
        .filter(district_id=user.district_id, verification_status=Enterprise.Status.PENDING)
        .order_by("created_at", "id")
    )


def enterprise_events(enterprise: Enterprise) -> QuerySet[EnterpriseEvent]:
    return enterprise.events.select_related("actor").order_by("-created_at", "-id")


def enterprise_members(enterprise: Enterprise) -> QuerySet[EnterpriseMember]:
    return enterprise.members.select_related("user").order_by("-is_primary", "created_at")


def indicator_list(enterprise: Enterprise) -> QuerySet[Indicator]:
    return enterprise.indicators.select_related("import_batch", "updated_by")


def access_indicator(user, enterprise: Enterprise, indicator_id: object) -> Indicator:
    """One indicator of an enterprise the caller already reached through ``access_enterprise``."""
    try:
        pk = int(str(indicator_id))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    indicator = indicator_list(enterprise).filter(pk=pk).first()
    if indicator is None:
        raise NotFound()
    return indicator


@dataclass
class IndicatorRow:
    """One line of the indicator table: a period with its self-reported and imported figures."""

    period: Period
    own: Indicator | None = None
    imported: Indicator | None = None


def indicator_table(enterprise: Enterprise) -> list[tuple[IndicatorSpec, list[IndicatorRow]]]:
    """Indicators by name (catalogue order) and period (chronological), sources side by side."""
    by_name: dict[str, dict[str, IndicatorRow]] = {}
    for indicator in indicator_list(enterprise):
        rows = by_name.setdefault(indicator.name, {})
        row = rows.get(indicator.period)
        if row is None:
            row = rows[indicator.period] = IndicatorRow(parse_period(indicator.period))
        if indicator.source == IndicatorSource.SELF_REPORTED:
            row.own = indicator
        else:
            row.imported = indicator
    table = []
    for name, spec in CATALOGUE.items():
        if name in by_name:
            rows = sorted(by_name[name].values(), key=lambda r: r.period.sort_key(), reverse=True)
            table.append((spec, rows))
    return table
