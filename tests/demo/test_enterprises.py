"""The demo enterprises: valid, idempotent, attached to the demo logins, award-ready."""

import pytest
from stdnum.cn import uscc

from demo.enterprises import demo_enterprises_load
from demo.services import demo_users_load
from enterprises.facts import indicator_facts
from enterprises.models import Enterprise, EnterpriseEvent, EnterpriseMember, Indicator
from enterprises.selectors import verification_queue
from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_without_demo_users_still_loads():
    enterprises = demo_enterprises_load()
    assert len(enterprises) == 4
    assert not EnterpriseMember.objects.exists()


def test_demo_is_valid_idempotent_and_attached():
    demo_users_load()
    first = demo_enterprises_load()
    counts = (
        Enterprise.objects.count(),
        Indicator.objects.count(),
        EnterpriseEvent.objects.count(),
        EnterpriseMember.objects.count(),
    )
    second = demo_enterprises_load()
    assert [e.pk for e in first] == [e.pk for e in second]
    assert counts == (
        Enterprise.objects.count(),
        Indicator.objects.count(),
        EnterpriseEvent.objects.count(),
        EnterpriseMember.objects.count(),
    )
    for enterprise in first:
        assert uscc.is_valid(enterprise.credit_code)
        enterprise.full_clean()
    machine, electronics, materials, waiting = first
    assert machine.name == "郑州示范机械制造有限公司" and machine.district.name == "金水区"
    assert electronics.district.name == "二七区" and materials.district.name == "金水区"
    assert {e.verification_status for e in first[:3]} == {"verified"}
    assert User.objects.get(username="qiye").enterprise_membership.enterprise == machine
    assert User.objects.get(username="qiye2").enterprise_membership.enterprise == electronics
    assert User.objects.get(username="qiye").enterprise_membership.is_primary
    jinshui = User.objects.get(username="jinshui")
    assert list(verification_queue(jinshui)) == [waiting]
    facts = indicator_facts(machine)
    assert facts["revenue_q1_2022"] == "100000000.00" and facts["revenue_q1_2023"] == "135000000.00"
    assert facts["manufacturing"] and facts["above_scale"]
    assert machine.events.filter(type="verified", actor=jinshui).exists()
