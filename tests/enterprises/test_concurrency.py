"""Races on PostgreSQL: row locks and unique constraints leave exactly one winner."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from enterprises import services
from enterprises.models import Enterprise, EnterpriseEvent
from portal.accounts.models import District, Role
from portal.core.errors import DomainError
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import EnterpriseFactory, valid_credit_code

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks and concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run the calls at the same moment in separate threads (separate connections)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(next(iter(exc.errors)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_reviewers_verifying_at_once_record_one_transition():
    enterprise = EnterpriseFactory(pending=True)
    reviewers = [
        UserFactory(username=f"rev{i}", role=Role.DISTRICT_REVIEWER, district_code="jinshui")
        for i in range(2)
    ]
    outcomes = race(
        *(lambda r=r: services.enterprise_verify(enterprise=enterprise, actor=r) for r in reviewers)
    )
    assert outcomes == ["ok", "verification_status"]
    assert enterprise.events.filter(type=EnterpriseEvent.Type.VERIFIED).count() == 1


def test_two_registrations_of_one_credit_code_at_once_leave_one_enterprise():
    code = valid_credit_code(4242)

    def register(username):
        services.enterprise_register(
            user_data={"username": username, "password": "Qiye@2026!x"},
            enterprise_data={
                "credit_code": code,
                "name": "郑州并发测试有限公司",
                "district": District.objects.get(code="jinshui"),
                "industry_division": "34",
                "legal_representative": "甲",
                "contact_name": "乙",
                "contact_mobile": "13800138000",
                "bank_name": "中国银行",
                "bank_account": "62170000100012345",
                "bank_account_name": "郑州并发测试有限公司",
            },
        )

    outcomes = race(lambda: register("racer1"), lambda: register("racer2"))
    assert outcomes == ["credit_code", "ok"]
    assert Enterprise.objects.filter(credit_code=code).count() == 1
