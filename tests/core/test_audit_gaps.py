"""Issue 17 item 7: acts that left no audit record now leave one; the audit table also refuses
TRUNCATE on PostgreSQL."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.accounts.models import District, Role
from portal.core.audit import audit_append, audit_verify
from portal.core.models import AuditRecord, WorkdayOverride
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def records(kind: str):
    return AuditRecord.objects.filter(kind=kind).order_by("seq")


def test_admin_changes_are_audited_with_the_administrator(client, sys_admin):
    client.force_login(sys_admin)
    target = UserFactory(username="to_promote", role=Role.ENTERPRISE)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        role=Role.CITY_REVIEWER,
        date_joined_0=target.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=target.date_joined.strftime("%H:%M:%S"),
        district="",
        is_active="on",
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password_changed_at", None)
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.role == Role.CITY_REVIEWER

    jinshui = District.objects.get(code="jinshui")
    client.post(
        reverse("admin:accounts_district_change", args=[jinshui.pk]),
        {"code": jinshui.code, "name": "金水区", "kind": jinshui.kind, "sort_order": 7},
    )
    changed = list(records("admin.change"))
    refs = {r.object_ref for r in changed}
    assert f"accounts.user:{target.pk}" in refs and f"accounts.district:{jinshui.pk}" in refs
    assert all(r.actor == sys_admin.username for r in changed)
    user_record = next(r for r in changed if r.object_ref == f"accounts.user:{target.pk}")
    assert "角色" in user_record.summary or "role" in str(user_record.data)
    assert audit_verify().ok


def test_admin_bulk_delete_is_audited_per_object(client, sys_admin):
    days = [
        WorkdayOverride.objects.create(day=dt.date(2031, 1, d), is_workday=True) for d in (4, 5)
    ]
    client.force_login(sys_admin)
    response = client.post(
        reverse("admin:core_workdayoverride_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302
    assert not WorkdayOverride.objects.exists()
    deleted = records("admin.delete")
    assert {r.object_ref for r in deleted} == {f"core.workdayoverride:{d.pk}" for d in days}
    assert {r.actor for r in deleted} == {sys_admin.username}


def test_password_change_is_audited(client, enterprise_user, password):
    client.force_login(enterprise_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "N3w!Passw0rd",
            "new_password2": "N3w!Passw0rd",
        },
    )
    assert response.status_code == 302
    [record] = records("auth.password_changed")
    assert record.actor == enterprise_user.username
    assert "N3w!Passw0rd" not in str(record.data)


def test_conflict_declaration_is_audited(client, district_reviewer):
    client.force_login(district_reviewer)
    response = client.post(
        reverse("reviews:conflicts"),
        {"credit_code": "91410100MA44XXXX1X", "relationship": "配偶任该企业财务负责人"},
    )
    assert response.status_code == 302
    [record] = records("reviews.conflict_declared")
    assert record.actor == district_reviewer.username
    assert record.data["credit_code"] == "91410100MA44XXXX1X"


def test_audit_download_is_audited(client, sys_admin):
    client.force_login(sys_admin)
    response = client.get(reverse("reviews:audit") + "?format=xlsx&case=HQ2026")
    assert response.status_code == 200
    [record] = records("export.audit")
    assert record.actor == sys_admin.username and "HQ2026" in str(record.data)


@pytest.mark.usefixtures("library")
def test_bank_list_download_is_audited(client, city_finance):
    from finance.services import payables_create_for_application, payment_batch_create
    from tests.factories.finance import determined_award

    app = determined_award(amount_fen=10_000_001, district_code="jinshui")
    payables_create_for_application(application=app)
    client.force_login(city_finance)
    client.post(reverse("finance:batches"), {"note": "第一批"})
    from finance.models import PaymentBatch

    batch = PaymentBatch.objects.get()
    assert payment_batch_create  # the service exists (the page above used it)
    response = client.get(reverse("finance:batch_export", args=[batch.pk]))
    assert response.status_code == 200
    [record] = records("export.bank_list")
    assert record.actor == city_finance.username
    assert record.object_ref == f"finance.PaymentBatch:{batch.pk}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_truncate_on_the_audit_table():
    audit_append(kind="test")
    table = AuditRecord._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'TRUNCATE "{table}"')
    assert AuditRecord.objects.filter(kind="test").exists()
