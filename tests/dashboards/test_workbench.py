"""Each role's 工作台: every figure is the count of the list it links to, in the user's scope."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.workflow import Action, Level, Status
from dashboards.projection import summary_rebuild
from finance.models import PayableShare
from finance.services import payables_create_for_application
from policies.models import Calculation, Clause, Policy
from policies.rules import rule_version_on
from portal.accounts.models import Role
from reviews.models import CaseReview, NoticeBatch, NoticeEntry
from tests.factories.accounts import UserFactory
from tests.factories.applications import CITY_CLAUSE, DISTRICT_CLAUSE, ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory, enterprise_with_user
from tests.factories.finance import CLAUSE_155_2, determined_award

pytestmark = pytest.mark.usefixtures("library")

DAY = dt.timedelta(days=1)


def _case(district: str, status: str, *, code: str = DISTRICT_CLAUSE, **fields):
    return ApplicationFactory(
        enterprise=EnterpriseFactory(district_code=district),
        clause=Clause.objects.get(code=code),
        status=status,
        **fields,
    )


def _claim(application, reviewer, level: str) -> None:
    CaseReview.objects.create(
        application=application, status=application.status, level=level, assignee=reviewer
    )


def _resubmitted(application) -> None:
    ApplicationEvent.objects.create(
        application=application,
        action=Action.RESUBMIT,
        from_status=Status.RETURNED,
        to_status=application.status,
    )


def _proposal(enterprise, clause_code: str = "zzw-2022-155/2"):
    clause = Clause.objects.get(code=clause_code)
    calculation = Calculation.objects.create(
        clause=clause,
        rule_version=rule_version_on(clause),
        engine_version="1",
        facts={},
        result={},
        eligible=True,
        amount_fen=6_000_000,
        source=Calculation.Source.PROACTIVE,
    )
    return ApplicationFactory(
        enterprise=enterprise,
        clause=clause,
        status=Status.PROPOSED,
        calculation=calculation,
        estimated_amount_fen=6_000_000,
    )


def _shares(district: str, due: list[dt.date], *, clause_code: str = CLAUSE_155_2) -> None:
    """One determined award per due date, its shares (city and district) due then."""
    for day in due:
        award = determined_award(
            district_code=district, amount_fen=2_000_000, clause_code=clause_code
        )
        [payable] = payables_create_for_application(application=award)
        PayableShare.objects.filter(payable=payable).update(due_date=day)


def _payout_target(policy_code: str, day: dt.date) -> None:
    """The policy's 兑付时限 (155号第17条 writes one: all its money paid by a date)."""
    Policy.objects.filter(code=policy_code).update(
        payout_targets=[{"date": day.isoformat(), "scope": "应拨尽拨", "article": 17}]
    )


@pytest.fixture
def city(enterprise_user, district_reviewer, city_reviewer):
    """The same work in 金水区 and in 二七区, so a district's figures show only its half."""
    today = timezone.localdate()
    # the shares below are late by their own due dates only: 155号's target still ahead
    _payout_target("zzw-2022-155", today + 90 * DAY)
    for district in ("jinshui", "erqi"):
        _case(district, Status.DISTRICT_REVIEW, due_on=today - 3 * DAY)  # overdue
        _case(district, Status.DISTRICT_REVIEW, due_on=today)  # due soon
        far = _case(district, Status.DISTRICT_REVIEW, due_on=today + 40 * DAY)
        if district == "jinshui":
            _claim(far, district_reviewer, Level.DISTRICT)
        _resubmitted(_case(district, Status.DISTRICT_REVIEW, due_on=today + 20 * DAY))
        _case(
            district,
            Status.RETURNED,
            returned_from=Status.DISTRICT_REVIEW,
            correction_due=today + 5 * DAY,
        )
        EnterpriseFactory(district_code=district, pending=True)  # to verify
        # the city's desk
        late = _case(district, Status.CITY_REVIEW, code=CITY_CLAUSE, due_on=today - DAY)
        _claim(late, city_reviewer, Level.CITY)
        _resubmitted(_case(district, Status.CITY_REVIEW, code=CITY_CLAUSE, due_on=today))
        # money: one share set overdue, one due tomorrow, one next month
        _shares(district, [today - 2 * DAY, today + DAY, today + 30 * DAY])
    # due next month, but its policy's target (all paid by last month) has passed: 拨付超期 too
    _payout_target("zz-2023-23", today - 30 * DAY)
    _shares("jinshui", [today + 30 * DAY], clause_code="zz-2023-23/1")
    # the enterprise's own work: a return to answer, a proposal to confirm
    own = enterprise_with_user(enterprise_user, district_code="jinshui")
    ApplicationFactory(
        enterprise=own,
        status=Status.RETURNED,
        returned_from=Status.DISTRICT_REVIEW,
        correction_due=today + 2 * DAY,
    )
    _proposal(own)
    # a public notice whose period ended yesterday, not closed yet
    noticed = _case("jinshui", Status.IN_NOTICE, code=CITY_CLAUSE, approved_amount_fen=100)
    batch = NoticeBatch.objects.create(
        title="公示（已期满）",
        opens_on=today - 10 * DAY,
        closes_on=today - DAY,
        window_days=5,
        created_by=city_reviewer,
    )
    NoticeEntry.objects.create(batch=batch, application=noticed, amount_fen=100)
    summary_rebuild()
    return today


def listed(client, url: str) -> int:
    """How many rows the list page at ``url`` says it holds."""
    response = client.get(url)
    assert response.status_code == 200, url
    context, path = response.context, url.split("?")[0]
    if path == reverse("reviews:queue"):
        assert not context["page"].count_is_estimate
        return context["page"].count
    if path == reverse("applications:list"):
        return context["page"].paginator.count
    if path == reverse("proactive:proposals"):
        return len(context["rows"])
    if path == reverse("finance:shares"):
        return context["totals"]["count"]
    if path == reverse("dashboards:cases"):
        count = context["count"]
        return len(context["rows"]) if count is None else count
    if path == reverse("enterprises:verification_queue"):
        return len(context["queue"])
    if path == reverse("reviews:notices"):
        return context["batches"].paginator.count
    raise AssertionError(f"no list known at {url}")


def figures(client, user) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {f.label: (f.count, f.url) for f in response.context["bench"].figures}


def _roles(enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance):
    district_leader = UserFactory(username="js_leader", role=Role.LEADER, district_code="jinshui")
    city_leader = UserFactory(username="city_leader", role=Role.LEADER)
    return {
        "enterprise": enterprise_user,
        "district_reviewer": district_reviewer,
        "city_reviewer": city_reviewer,
        "city_finance": city_finance,
        "district_finance": district_finance,
        "district_leader": district_leader,
        "leader": city_leader,
    }


def test_every_figure_is_the_count_of_the_list_it_opens(
    client, city, enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance
):
    users = _roles(
        enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance
    )
    for role, user in users.items():
        shown = figures(client, user)
        assert shown, role
        assert any(count for count, _url in shown.values()), role  # the city has work for all
        for label, (count, url) in shown.items():
            assert listed(client, url) == count, f"{role} {label} {url}"


def test_district_users_count_only_their_district(
    client, city, enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance
):
    reviewer = figures(client, district_reviewer)
    assert reviewer["已逾期"][0] == 1  # not 二七区's overdue case
    assert reviewer["2个工作日内到期"][0] == 1
    assert reviewer["我认领的"][0] == 1
    assert reviewer["补正后重新提交"][0] == 1
    assert reviewer["等待企业补正"][0] == 2  # 金水区's and the enterprise user's own
    assert reviewer["待核验企业"][0] == 1

    city_desk = figures(client, city_reviewer)
    assert city_desk["已逾期"][0] == 2  # both districts
    assert city_desk["我认领的"][0] == 2
    assert city_desk["补正后重新提交"][0] == 2
    assert city_desk["公示期满待办结"][0] == 1

    bureau = figures(client, district_finance)  # 金水区财政局: its own district shares
    city_bureau = figures(client, city_finance)  # 市财政局: the city shares of both
    assert bureau["已逾期未支付"][0] == 1
    assert city_bureau["已逾期未支付"][0] == 2
    assert bureau["3个工作日内到期"][0] == 1
    assert bureau["以后到期"][0] == 1

    users = _roles(
        enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance
    )
    district_leader = figures(client, users["district_leader"])
    city_leader = figures(client, users["leader"])
    assert district_leader["审核超期"][0] == 2  # 金水区: a district and a city case
    assert city_leader["审核超期"][0] == 4
    # one share set overdue by its due date in each district, and 金水区's award overdue only
    # against its policy's payout target (due next month)
    assert district_leader["拨付超期"][0] == 2
    assert city_leader["拨付超期"][0] == 3
    assert district_leader["拨付即将到期"][0] == 1  # due tomorrow, its policy's target ahead

    mine = figures(client, enterprise_user)
    assert mine["待补正"][0] == 1
    assert mine["免申即享待确认"][0] == 1


@pytest.mark.parametrize("query", ["", "flag=outstanding"])  # the summary's figures; live ones
def test_the_overview_counts_pay_overdue_by_the_rule_of_its_list(client, city, query):
    """拨付超期 on the leader's overview: past the share's due date or its policy's payout
    target, whichever comes first; the same cases as the list it opens and the red rows."""
    jinshui_leader = UserFactory(username="js_leader", role=Role.LEADER, district_code="jinshui")
    city_leader = UserFactory(username="city_leader", role=Role.LEADER)
    for user, expected in ((jinshui_leader, 2), (city_leader, 3)):
        client.force_login(user)
        overview = client.get(f"{reverse('dashboards:overview')}?{query}").context["o"]
        assert overview.figures["pay_overdue"] == expected, user.username
        assert len(overview.breaches["pay_red"]) == expected
        assert listed(client, f"{reverse('dashboards:cases')}?flag=pay_overdue") == expected
        assert overview.figures["pay_soon"] == listed(
            client, f"{reverse('dashboards:cases')}?flag=pay_soon"
        )


def test_the_enterprise_home_lists_its_deadlines(client, city, enterprise_user):
    client.force_login(enterprise_user)
    body = client.get(reverse("home")).content.decode()
    due = city + 2 * DAY
    assert f"请于 {due:%Y-%m-%d} 前补正" in body
    assert "免申即享待确认" in body and "前确认" in body


def test_staff_have_a_message_centre_with_their_reminders(client, district_finance):
    from applications.services import notification_send

    notification_send(
        users=[district_finance], application=None, title="金水区财政局：兑付到期提醒", body="…"
    )
    client.force_login(district_finance)
    home = client.get(reverse("home"))
    body = home.content.decode()
    assert "金水区财政局：兑付到期提醒" in body and "1 条未读" in body
    assert reverse("applications:notifications") in [
        url for _entry, url, _count in home.context["role_nav"]
    ]
    centre = client.get(reverse("applications:notifications"))
    assert "金水区财政局：兑付到期提醒" in centre.content.decode()


def test_every_home_stays_within_its_query_budget(
    client,
    city,
    enterprise_user,
    district_reviewer,
    city_reviewer,
    city_finance,
    district_finance,
    django_assert_max_num_queries,
):
    users = _roles(
        enterprise_user, district_reviewer, city_reviewer, city_finance, district_finance
    )
    for user in users.values():
        client.force_login(user)
        client.get(reverse("home"))  # reference data cached, as on a warm server
        with django_assert_max_num_queries(14):  # a query per figure, rows, messages
            assert client.get(reverse("home")).status_code == 200


def test_the_overviews_deadline_links_open_the_cases_they_count(client, city):
    """The deadline counts are of the whole caseload whatever the month or stage chosen: the
    list each opens leaves those out too (with a month of no filing: 3, not 0)."""
    client.force_login(UserFactory(username="city_leader", role=Role.LEADER))
    response = client.get(reverse("dashboards:overview"), {"month": "2020-01", "stage": "rejected"})
    body = response.content.decode()
    for flag in ("review_overdue", "review_soon", "pay_overdue", "pay_soon"):
        [url] = re.findall(rf'href="([^"]*flag={flag})"', body)
        assert "month=" not in url and "stage=" not in url
        assert listed(client, html.unescape(url)) == response.context["o"].figures[flag], flag
    assert response.context["o"].figures["pay_overdue"] == 3
