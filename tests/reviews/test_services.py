"""Reviewer decisions through the services: allowed and refused per role, scope and rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.workflow import Action, Status
from portal.accounts.models import Role
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.workdays import add_workdays
from reviews import selectors, services
from reviews.models import MaterialCheck
from tests.factories.accounts import UserFactory
from tests.factories.reviews import all_checks, approve, pass_all

pytestmark = pytest.mark.django_db


def test_submitted_case_gets_district_due_date_in_working_days(case):
    assert case.status == Status.DISTRICT_REVIEW
    assert case.due_on == add_workdays(timezone.localdate(), 5)


def test_district_approve_moves_to_city_with_trace(case, district_reviewer):
    approve(case, district_reviewer)
    case.refresh_from_db()
    assert case.status == Status.CITY_REVIEW
    assert case.due_on == add_workdays(timezone.localdate(), 10)
    event = case.events.get(action=Action.DISTRICT_APPROVE)
    assert event.data["ceiling"] == "300000.00"
    assert event.data["recommended_amount_fen"] == 30_000_000
    assert event.data["engine"]["steps"]


@pytest.mark.parametrize(
    "who", ["other_district_reviewer", "city_reviewer", "leader", "enterprise_user"]
)
def test_only_the_district_reviewer_of_the_enterprise_may_approve_at_district(case, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionRefused):
        services.review_approve(application=case, user=user)


def test_city_approve_and_the_same_person_never_acts_at_both_levels(
    case, district_reviewer, city_reviewer
):
    approve(case, district_reviewer)
    with pytest.raises(PermissionRefused):  # a district reviewer cannot act at city level
        services.review_approve(application=case, user=district_reviewer)
    approve(case, city_reviewer)
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert case.approved_amount_fen == 30_000_000
    assert case.events.get(action=Action.CITY_APPROVE).data["approved_amount_fen"] == 30_000_000


def test_amount_above_the_ceiling_is_refused(case, district_reviewer):
    pass_all(case, district_reviewer)
    with pytest.raises(DomainError, match="超过按核实数据测算的上限"):
        services.review_approve(application=case, user=district_reviewer, amount="300000.01")


def test_less_than_the_ceiling_needs_a_coded_reason(case, district_reviewer, city_reviewer):
    approve(case, district_reviewer)
    pass_all(case, city_reviewer)
    with pytest.raises(DomainError, match="核减原因"):
        services.review_approve(application=case, user=city_reviewer, amount="250000")
    with pytest.raises(DomainError, match="其他"):
        services.review_approve(
            application=case, user=city_reviewer, amount="250000", reason_code="other"
        )
    services.review_approve(
        application=case, user=city_reviewer, amount="250000", reason_code="partial_investment"
    )
    case.refresh_from_db()
    assert case.approved_amount == Decimal("250000.00")
    event = case.events.get(action=Action.CITY_APPROVE)
    assert event.data["reduction"]["label"] == "部分投资不予认定"
    assert "核减 50000.00 元" in event.comment


def test_reviewer_corrects_a_fact_and_the_engine_recomputes(case, district_reviewer):
    checks = all_checks(case)
    for check in checks:
        if check["target"] == "contract_investment":
            check["verified_value"] = "600000000"  # 6亿: a lower band
    services.review_checks_record(application=case, user=district_reviewer, checks=checks)
    services.review_approve(application=case, user=district_reviewer)
    event = case.events.get(action=Action.DISTRICT_APPROVE)
    assert event.data["corrected_facts"] == {
        "contract_investment": {"declared": "1200000000", "verified": "600000000"}
    }
    assert Decimal(event.data["ceiling"]) < Decimal("300000")
    check = MaterialCheck.objects.get(application=case, target="contract_investment")
    assert (check.declared_value, check.verified_value) == ("1200000000", "600000000")


def test_return_needs_a_failed_item_and_lists_them_all(case, district_reviewer, clause):
    with pytest.raises(DomainError, match="至少有一项审核不通过"):
        services.review_return(application=case, user=district_reviewer)
    pass_all(case, district_reviewer)
    with pytest.raises(DomainError, match="至少有一项审核不通过"):
        services.review_return(application=case, user=district_reviewer)
    failed = {clause.materials[2]: "合同缺少盖章页", "contract_investment": "与合同不符"}
    services.review_checks_record(
        application=case, user=district_reviewer, checks=all_checks(case, failed=failed)
    )
    with pytest.raises(DomainError, match="未通过"):  # failed items block approval
        services.review_approve(application=case, user=district_reviewer)
    services.review_return(application=case, user=district_reviewer)
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert {c.target: c.message for c in case.corrections.all()} == failed
    assert case.correction_due == add_workdays(timezone.localdate(), 10)
    assert case.due_on == case.correction_due


def test_failed_check_needs_a_comment(case, district_reviewer):
    checks = [{"kind": "fact", "target": "contract_investment", "passed": False, "comment": ""}]
    with pytest.raises(DomainError, match="须写明理由"):
        services.review_checks_record(application=case, user=district_reviewer, checks=checks)


def test_reject_needs_a_reason(case, district_reviewer):
    with pytest.raises(DomainError, match="理由"):
        services.review_reject(application=case, user=district_reviewer, reason=" ")
    services.review_reject(application=case, user=district_reviewer, reason="项目未在一季度开工")
    case.refresh_from_db()
    assert case.status == Status.REJECTED


def test_credit_block_stops_approval(case, district_reviewer, enterprise):
    pass_all(case, district_reviewer)
    enterprise.credit_blocked_until = timezone.localdate() + dt.timedelta(days=30)
    enterprise.credit_block_reason = "列入失信被执行人名单"
    enterprise.save()
    case.refresh_from_db()
    with pytest.raises(DomainError, match=r"限制申报期.*失信被执行人"):
        services.review_approve(application=case, user=district_reviewer)


def test_budget_hook_refuses_city_approval(case, district_reviewer, city_reviewer):
    from portal.core import links

    with links.BUDGET_CHECK.override(no_budget):
        approve(case, district_reviewer)  # the district does not commit money: no budget check
        with pytest.raises(DomainError, match="预算校验未通过：本年度资金已用完"):
            approve(case, city_reviewer)


def no_budget(*, application, amount):
    return False, "本年度资金已用完"


def test_city_approval_applies_stacking_against_other_awards(
    enterprise, enterprise_user, city_clause, city_reviewer
):
    from tests.factories.reviews import submitted_case

    first = submitted_case(enterprise_user, city_clause, period="2023")
    approve(first, city_reviewer)
    second = submitted_case(enterprise_user, city_clause, period="2024")
    other_city = UserFactory(username="city_two", role=Role.CITY_REVIEWER)
    approve(second, other_city)
    event = second.events.get(action=Action.CITY_APPROVE)
    assert event.data["other_awards"] and "stacking" in event.data


def test_claim_and_assign(case, district_reviewer, other_district_reviewer):
    colleague = UserFactory(
        username="jinshui2", role=Role.DISTRICT_REVIEWER, district_code="jinshui"
    )
    services.review_claim(application=case, user=district_reviewer)
    assert selectors.assignee_of(case) == district_reviewer
    with pytest.raises(DomainError, match="已由"):
        services.review_claim(application=case, user=colleague)
    with pytest.raises(DomainError, match="不是该案件当前环节"):
        services.review_assign(
            application=case, user=district_reviewer, assignee=other_district_reviewer
        )
    services.review_assign(application=case, user=district_reviewer, assignee=colleague)
    case.review.refresh_from_db()
    assert selectors.assignee_of(case) == colleague
    assert case.events.filter(action="assigned").exists()


def test_batch_assign_refuses_cases_out_of_scope(case, other_district_reviewer):
    colleague = UserFactory(username="erqi2", role=Role.DISTRICT_REVIEWER, district_code="erqi")
    with pytest.raises(NotFound):
        services.review_assign_batch(
            application_ids=[case.pk], user=other_district_reviewer, assignee=colleague
        )


def test_conflict_declaration_keeps_a_reviewer_away_until_a_second_reviewer_allows(
    case, district_reviewer, enterprise
):
    colleague = UserFactory(
        username="jinshui2", role=Role.DISTRICT_REVIEWER, district_code="jinshui"
    )
    services.conflict_declare(
        user=district_reviewer, credit_code=enterprise.credit_code, relationship="配偶任该企业财务"
    )
    assert case not in selectors.queue_scope(district_reviewer)
    assert case in selectors.queue_scope(colleague)
    with pytest.raises(PermissionRefused, match="利害关系"):
        services.review_claim(application=case, user=district_reviewer)
    with pytest.raises(PermissionRefused, match="另一名"):
        services.conflict_override_approve(
            application=case, reviewer=district_reviewer, approver=district_reviewer, reason="x"
        )
    with pytest.raises(DomainError, match="须回避"):
        services.review_assign(application=case, user=colleague, assignee=district_reviewer)
    services.conflict_override_approve(
        application=case, reviewer=district_reviewer, approver=colleague, reason="仅核对材料"
    )
    event = ApplicationEvent.objects.get(application=case, action="conflict_override")
    assert event.actor == colleague and "仅核对材料" in event.comment
    assert case in selectors.queue_scope(district_reviewer)
    approve(case, district_reviewer)


def test_lapse_overdue_corrections(case, district_reviewer, clause):
    failed = {clause.materials[0]: "缺少盖章"}
    services.review_checks_record(
        application=case, user=district_reviewer, checks=all_checks(case, failed=failed)
    )
    services.review_return(application=case, user=district_reviewer)
    case.refresh_from_db()
    assert services.corrections_lapse(today=case.correction_due) == []
    assert services.corrections_lapse(today=case.correction_due + dt.timedelta(days=1)) == [case.pk]
    case.refresh_from_db()
    assert case.status == Status.LAPSED
    assert case.events.get(action=Action.LAPSE).actor.username == "system"


def test_deadline_reminders_are_sent_once_a_day(case, district_reviewer):
    from applications.models import Notification

    head = UserFactory(
        username="jinshui_head",
        role=Role.DISTRICT_REVIEWER,
        district_code="jinshui",
        is_staff=True,
    )
    services.review_claim(application=case, user=district_reviewer)
    late = case.due_on + dt.timedelta(days=3)
    assert services.deadline_reminders_send(today=late) == 1
    assert services.deadline_reminders_send(today=late) == 0
    assert Notification.objects.filter(user=district_reviewer, title__contains="逾期").count() == 1
    assert Notification.objects.filter(user=head, title__contains="逾期").count() == 1
