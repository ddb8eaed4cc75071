"""The hash-chained audit log: every event and login recorded, any edit or gap detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from enterprises.models import EnterpriseEvent
from portal.core.audit import audit_append, audit_catch_up, audit_verify
from portal.core.models import AuditRecord
from tests.factories.enterprises import enterprise_with_user


def event_of(enterprise) -> EnterpriseEvent:
    return EnterpriseEvent.objects.create(
        enterprise=enterprise, type=EnterpriseEvent.Type.REGISTERED, note="注册"
    )


pytestmark = pytest.mark.django_db


def test_chain_of_appends_verifies():
    for i in range(5):
        audit_append(kind="test", actor="tester", data={"i": i, "amount": "60000.00"})
    report = audit_verify()
    assert report.ok and report.checked == 5


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL refuses the edit itself")
def test_an_edited_record_is_detected():
    for i in range(3):
        audit_append(kind="test", data={"i": i})
    AuditRecord.objects.filter(seq=2).update(data={"i": 99})
    report = audit_verify()
    assert not report.ok and "第 2 条" in report.problem and report.checked == 1


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL refuses the delete itself"
)
def test_a_missing_record_is_detected_and_the_command_fails():
    for i in range(3):
        audit_append(kind="test", data={"i": i})
    AuditRecord.objects.filter(seq=2).delete()
    assert "缺失" in audit_verify().problem
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
@pytest.mark.parametrize("model", [AuditRecord, EnterpriseEvent])
def test_postgresql_refuses_update_and_delete_on_audit_and_event_tables(model):
    event_of(enterprise_with_user())
    audit_append(kind="test")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.update(created_at=model.objects.first().created_at)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.all().delete()


def test_events_are_copied_after_commit_once(django_capture_on_commit_callbacks):
    enterprise = enterprise_with_user()
    with django_capture_on_commit_callbacks(execute=True):
        event_of(enterprise)
        event_of(enterprise)
    copied = AuditRecord.objects.filter(kind="enterprises.enterpriseevent")
    assert copied.count() == EnterpriseEvent.objects.filter(enterprise=enterprise).count() > 0
    assert audit_catch_up(EnterpriseEvent) == 0  # nothing twice
    assert audit_verify().ok


def test_logins_and_failures_are_recorded(client, enterprise_user, password):
    client.post(reverse("accounts:login"), {"username": enterprise_user.username, "password": "x"})
    client.post(
        reverse("accounts:login"), {"username": enterprise_user.username, "password": password}
    )
    kinds = list(
        AuditRecord.objects.filter(actor=enterprise_user.username).values_list("kind", flat=True)
    )
    assert kinds == ["auth.login_failed", "auth.login"]
    call_command("verify_audit_chain")
