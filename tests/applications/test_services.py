"""The enterprise's path through a case: draft, materials, submit, return, resubmit, withdraw."""

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, Material, Notification
from applications.workflow import Action, Status
from portal.core.errors import DomainError, PermissionRefused
from portal.core.workdays import add_workdays
from tests.applications.conftest import ready_draft
from tests.factories.applications import EXE_BYTES, GOOD_FACTS, pdf, subject_for


def test_draft_estimate_is_stored(draft):
    assert draft.calculation is not None
    assert draft.calculation.source == "application"
    assert draft.estimated_amount_fen == draft.calculation.amount_fen


def test_update_draft_recomputes(draft, enterprise_user):
    saved = services.application_update_draft(
        application=draft, user=enterprise_user, facts={"signed_and_started_q1_2023": True}
    )
    assert "contract_investment" in saved.errors
    draft.refresh_from_db()
    assert (draft.calculation, draft.estimated_amount_fen) == (None, 0)


def test_submit_records_commitment(submitted, enterprise_user):
    submitted.refresh_from_db()
    assert submitted.status == Status.DISTRICT_REVIEW
    assert submitted.commitment_user == enterprise_user
    assert submitted.commitment_signed_at and submitted.submitted_at
    assert "郑重承诺" in submitted.commitment_text


def test_submit_needs_commitment(draft, enterprise_user):
    with pytest.raises(DomainError) as exc:
        services.application_submit(
            application=draft, user=enterprise_user, commitment_accepted=False
        )
    assert "commitment" in exc.value.errors


def test_duplicate_refused_naming_the_case(submitted, enterprise_user, clause):
    with pytest.raises(DomainError, match=submitted.number):
        services.application_create_draft(
            user=enterprise_user,
            clause=clause,
            period="2023",
            subject=subject_for(clause),
            facts={},
        )


def test_withdrawn_case_can_be_filed_again(draft, enterprise_user, clause):
    services.application_withdraw(
        application=draft, user=enterprise_user, reason="数据有误，重新申报"
    )
    again = services.application_create_draft(
        user=enterprise_user, clause=clause, period="2023", subject=subject_for(clause)
    )
    assert again.pk != draft.pk


def test_submit_outside_window_refused(draft, enterprise_user, clause):
    clause.application_closes = timezone.localdate() - dt.timedelta(days=1)
    clause.save()
    with pytest.raises(DomainError, match="不在申报期内"):
        services.application_submit(
            application=draft, user=enterprise_user, commitment_accepted=True
        )


def test_create_outside_window_refused(enterprise, enterprise_user, clause):
    clause.application_opens = timezone.localdate() + dt.timedelta(days=1)
    clause.save()
    with pytest.raises(DomainError, match="不在申报期内"):
        services.application_create_draft(
            user=enterprise_user, clause=clause, period="2023", subject=subject_for(clause)
        )


def test_submit_without_a_material_refused(enterprise, enterprise_user, clause):
    application = services.application_create_draft(
        user=enterprise_user,
        clause=clause,
        period="2023",
        subject=subject_for(clause),
        facts=GOOD_FACTS[clause.code],
    )
    for item in clause.materials[1:]:
        services.material_upload(
            application=application, user=enterprise_user, item=item, file=pdf()
        )
    with pytest.raises(DomainError) as exc:
        services.application_submit(
            application=application, user=enterprise_user, commitment_accepted=True
        )
    assert clause.materials[0] in exc.value.errors["detail"]


def test_submit_refused_for_credit_blocked_enterprise(draft, enterprise, enterprise_user):
    enterprise.credit_blocked_until = timezone.localdate() + dt.timedelta(days=30)
    enterprise.credit_block_reason = "失信联合惩戒"
    enterprise.save()
    with pytest.raises(DomainError, match="限制申报"):
        services.application_submit(
            application=draft, user=enterprise_user, commitment_accepted=True
        )


def test_exe_renamed_to_pdf_refused(draft, enterprise_user, clause):
    with pytest.raises(DomainError, match="可执行程序"):
        services.material_upload(
            application=draft,
            user=enterprise_user,
            item=clause.materials[0],
            file=pdf("申报表.pdf", EXE_BYTES),
        )


def test_upload_keeps_replaced_file_under_generated_name(draft, enterprise_user, clause):
    item = clause.materials[0]
    first = draft.materials.get(item=item, active=True)
    second = services.material_upload(
        application=draft, user=enterprise_user, item=item, file=pdf("新版.pdf")
    )
    first.refresh_from_db()
    assert (first.active, first.superseded_by) == (False, second)
    assert second.content_type == "application/pdf" and len(second.sha256) == 64
    assert "新版" not in second.file.name and second.file.name.endswith(".pdf")
    assert Material.objects.filter(application=draft, item=item).count() == 2


def test_other_enterprise_cannot_act(submitted, other_enterprise_user):
    with pytest.raises(PermissionRefused):
        services.application_withdraw(application=submitted, user=other_enterprise_user, reason="x")


def test_withdraw_records_reason(submitted, enterprise_user):
    services.application_withdraw(application=submitted, user=enterprise_user, reason="项目延期")
    event = submitted.events.get(action=Action.WITHDRAW)
    assert (event.comment, event.to_status) == ("项目延期", Status.WITHDRAWN)


def test_withdraw_needs_reason(submitted, enterprise_user):
    with pytest.raises(DomainError):
        services.application_withdraw(application=submitted, user=enterprise_user, reason="")


def _return_two_items(application, reviewer, clause):
    return services.application_return_for_correction(
        application=application,
        user=reviewer,
        items=[
            {"kind": "material", "target": clause.materials[2], "message": "合同缺少盖章页"},
            {"kind": "fact", "target": "contract_investment", "message": "合同投资额与合同不符"},
        ],
        due_days=10,
    )


def test_return_then_resubmit_only_when_both_items_fixed(
    submitted, enterprise_user, district_reviewer, clause
):
    application = _return_two_items(submitted, district_reviewer, clause)
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    assert application.correction_due == add_workdays(timezone.localdate(), 10)
    assert application.due_on == application.correction_due
    assert application.corrections.count() == 2
    note = Notification.objects.get(user=enterprise_user, title__contains="退回")
    assert "退回补正" in note.title and "合同缺少盖章页" in note.body

    with pytest.raises(DomainError, match="尚未处理"):
        services.application_resubmit(application=application, user=enterprise_user)
    services.material_upload(
        application=application,
        user=enterprise_user,
        item=clause.materials[2],
        file=pdf("盖章.pdf"),
    )
    with pytest.raises(DomainError, match="contract_investment"):
        services.application_resubmit(application=application, user=enterprise_user)
    facts = {**application.facts, "contract_investment": "1100000000"}
    services.application_update_draft(application=application, user=enterprise_user, facts=facts)
    services.application_resubmit(application=application, user=enterprise_user)

    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW
    assert not application.corrections.filter(resolved_at__isnull=True).exists()
    actions = list(application.events.exclude(to_status="").values_list("action", flat=True))
    assert actions == [Action.SUBMIT, Action.RETURN_FOR_CORRECTION, Action.RESUBMIT]
    resubmit = application.events.get(action=Action.RESUBMIT)
    assert len(resubmit.data["resolved"]) == 2


def test_return_needs_items(submitted, district_reviewer):
    with pytest.raises(DomainError, match="至少"):
        services.application_return_for_correction(
            application=submitted, user=district_reviewer, items=[]
        )


def test_notification_email_sent_on_commit(
    submitted,
    enterprise_user,
    district_reviewer,
    clause,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    enterprise_user.email = "ent@example.com"
    enterprise_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _return_two_items(submitted, district_reviewer, clause)
    assert len(mailoutbox) == 1 and "退回补正" in mailoutbox[0].subject
    assert Notification.objects.get(user=enterprise_user, title__contains="退回").emailed_at


def test_only_enterprise_users_create(district_reviewer, clause):
    with pytest.raises(PermissionRefused):
        services.application_create_draft(user=district_reviewer, clause=clause, period="2023")


def test_city_only_clause_goes_to_city(enterprise, enterprise_user, city_clause):
    application = ready_draft(enterprise_user, city_clause)
    services.application_submit(
        application=application, user=enterprise_user, commitment_accepted=True
    )
    assert Application.objects.get(pk=application.pk).status == Status.CITY_REVIEW
