"""The demo's city: generated cases over every district, policy and state beside the named
logins, loaded once, with work on the demo reviewers' desks and messages in their centres."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from stdnum.cn import uscc

from applications.models import Application, Notification
from applications.workflow import Status
from dashboards.models import CaseFact
from demo.city import MARK, demo_city_load, enterprise_name
from demo.services import demo_users_load
from enterprises.models import Enterprise
from policies.models import Policy
from portal.accounts.models import District, User
from reviews.models import CaseReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(library):
    demo_users_load()
    return demo_city_load(enterprises=120, cases=900, say=lambda _m: None)


def test_the_city_spreads_over_districts_policies_and_states(city):
    generated = Application.objects.filter(facts__has_key=MARK)
    assert generated.count() == city["cases"] == 900
    assert set(generated.values_list("district_id", flat=True)) == set(
        District.objects.filter(active=True).values_list("pk", flat=True)
    )
    assert generated.values("clause__policy").distinct().count() == Policy.objects.count()
    assert set(generated.values_list("status", flat=True)) == set(Status.values)
    assert CaseFact.objects.count() == 900  # the dashboards' summary was rebuilt
    firms = Enterprise.objects.filter(applications__in=generated).distinct()
    assert all(uscc.is_valid(e.credit_code) for e in firms)
    assert len({e.name for e in firms}) == firms.count()
    assert "生成" not in enterprise_name(7) and enterprise_name(7).endswith("有限公司")


def test_the_demo_reviewers_hold_cases_and_have_messages(city, client):
    jinshui = User.objects.get(username="jinshui")
    assert CaseReview.objects.filter(assignee=jinshui).exists()
    returned = Application.objects.filter(facts__has_key=MARK, status=Status.RETURNED)
    assert set(returned.values_list("returned_from", flat=True)) == {
        Status.DISTRICT_REVIEW,
        Status.CITY_REVIEW,
    }
    assert city["reminded"] > 0
    assert Notification.objects.filter(user__username="shicz").exists()  # payment digest
    client.force_login(User.objects.get(username="shigxj"))
    shown = {f.label: f.count for f in client.get(reverse("home")).context["bench"].figures}
    assert shown["队列中"] > 0 and shown["我认领的"] > 0 and shown["补正后重新提交"] > 0


def test_load_demo_makes_the_city_once(library):
    call_command("load_demo", "--cases", "200", "--enterprises", "40", stdout=_Quiet())
    assert Application.objects.filter(facts__has_key=MARK).count() == 200
    call_command("load_demo", "--cases", "200", "--enterprises", "40", stdout=_Quiet())
    assert Application.objects.filter(facts__has_key=MARK).count() == 200
    assert demo_city_load(say=lambda _m: None) is None


class _Quiet:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def test_generating_again_adds_to_the_city_without_a_second_case_per_award(city):
    from demo.city import generate

    generate(enterprises=120, cases=300, months=6, seed=7, say=lambda _m: None)
    assert Application.objects.filter(facts__has_key=MARK).count() == 1200
