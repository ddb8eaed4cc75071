"""Budgets: what is left of a year's budget, and the check the review app calls at approval.

Counted against a budget: every award of the policy (or clause) for that year that is
approved, in notice or determined (拟支持、公示中、已确定), at its approved amount, or at the
budget payer's share of it (split exactly as the payables will be). The year of an award is
the year of its application period (``"2023Q1"`` -> 2023).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from applications.models import Application
from applications.workflow import Status
from finance import splits
from finance.models import Budget
from portal.core.errors import DomainError
from portal.core.money import from_fen, to_fen

COMMITTED_STATUSES = (Status.APPROVED, Status.IN_NOTICE, Status.DETERMINED, Status.PAID)


def _portion(budget: Budget, amount_fen: int, clause) -> int:
    """The part of an award of ``amount_fen`` on ``clause`` that counts against ``budget``."""
    if budget.payer_level == Budget.Level.TOTAL:
        return amount_fen
    city, district = splits.split_city_district(amount_fen, clause.effective_funding_split)
    return city if budget.payer_level == Budget.Level.CITY else district


def _committed_fen(budget: Budget, *, exclude_pk: int | None = None) -> int:
    qs = Application.objects.filter(
        clause__policy_id=budget.policy_id,
        status__in=COMMITTED_STATUSES,
        approved_amount_fen__isnull=False,
        period__startswith=str(budget.year),
    ).select_related("clause__policy")
    if budget.clause_id:
        qs = qs.filter(clause_id=budget.clause_id)
    if budget.payer_level == Budget.Level.DISTRICT:
        qs = qs.filter(enterprise__district_id=budget.payer_district_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    # per award, not on the sum: the odd fen of each split lands where its payable puts it
    return sum(_portion(budget, a.approved_amount_fen, a.clause) for a in qs.iterator())


def _find(*, policy, clause, year, payer_level, payer_district) -> Budget:
    budget = Budget.objects.filter(
        policy=policy,
        clause=clause,
        year=year,
        payer_level=payer_level,
        payer_district=payer_district if payer_level == Budget.Level.DISTRICT else None,
    ).first()
    if budget is None:
        raise DomainError("未设置该预算。")
    return budget


def budget_remaining(
    *, policy, clause=None, year: int, payer_level: str, payer_district=None
) -> Decimal:
    """Budget minus everything committed against it, in yuan (negative when overrun)."""
    budget = _find(
        policy=policy,
        clause=clause,
        year=year,
        payer_level=payer_level,
        payer_district=payer_district,
    )
    return from_fen(budget.amount_fen - _committed_fen(budget))


def _year_of(application: Application) -> int | None:
    head = (application.period or "")[:4]
    return int(head) if head.isdigit() else None


def budget_check(*, application: Application, amount: Decimal) -> tuple[bool, str]:
    """May ``application`` be approved at ``amount`` (yuan) within every budget it falls under?

    Call it inside the approval's transaction: it locks the budget rows, so two approvals
    against the same budget at once are checked one after the other. No budget set: allowed.
    """
    year = _year_of(application)
    clause = application.clause
    if year is None:
        return True, ""
    amount_fen = to_fen(amount)
    with transaction.atomic():
        budgets = list(
            Budget.objects.select_for_update(of=("self",))
            .filter(policy_id=clause.policy_id, year=year)
            .filter(Q(clause__isnull=True) | Q(clause_id=clause.pk))
            .select_related("policy", "clause", "payer_district")
            .order_by("pk")
        )
        for budget in budgets:
            if budget.payer_level == Budget.Level.DISTRICT and (
                budget.payer_district_id != application.enterprise.district_id
            ):
                continue
            needed = _portion(budget, amount_fen, clause)
            left = budget.amount_fen - _committed_fen(budget, exclude_pk=application.pk)
            if needed > left:
                return False, _overrun(budget, needed, left)
    return True, ""


def _overrun(budget: Budget, needed: int, left: int) -> str:
    return (
        f"超出预算：{budget}预算{from_fen(budget.amount_fen):,.2f}元，"
        f"剩余{from_fen(max(left, 0)):,.2f}元，本次核定应计{from_fen(needed):,.2f}元。"
    )
