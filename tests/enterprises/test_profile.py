"""Profile, bank account and members: who may change what, and the record it leaves."""

import datetime as dt

import pytest
from django.urls import reverse

from enterprises import services
from enterprises.models import EnterpriseEvent, EnterpriseMember
from portal.accounts.models import Role, User
from portal.core.errors import DomainError, PermissionRefused
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import EnterpriseMemberFactory, enterprise_with_user

pytestmark = pytest.mark.django_db
T = EnterpriseEvent.Type


def test_update_records_which_fields_changed(enterprise, enterprise_user):
    services.enterprise_update_profile(
        enterprise=enterprise,
        actor=enterprise_user,
        data={
            "contact_name": "新联系人",
            "contact_mobile": "13700000000",
            "legal_representative": "张三",
        },
    )
    event = enterprise.events.get(type=T.PROFILE_UPDATED)
    assert event.actor == enterprise_user
    assert set(event.data["changed"]) == {"contact_name", "contact_mobile"}
    assert event.data["changed"]["contact_name"] == {"from": "李四", "to": "新联系人"}
    assert "联系人" in event.note


def test_bank_change_is_its_own_event_and_name_must_match(enterprise, enterprise_user):
    with pytest.raises(DomainError) as exc:
        services.enterprise_update_profile(
            enterprise=enterprise, actor=enterprise_user, data={"bank_account_name": "别人公司"}
        )
    assert "须与企业名称" in exc.value.errors["bank_account_name"]
    services.enterprise_update_profile(
        enterprise=enterprise, actor=enterprise_user, data={"bank_account": "6222 0000 1111 2222"}
    )
    enterprise.refresh_from_db()
    assert enterprise.bank_account == "6222000011112222"
    event = enterprise.events.get(type=T.BANK_UPDATED)
    assert event.data["changed"]["bank_account"]["to"] == "6222000011112222"
    assert not enterprise.events.filter(type=T.PROFILE_UPDATED).exists()


def test_no_change_writes_no_event(enterprise, enterprise_user):
    services.enterprise_update_profile(
        enterprise=enterprise, actor=enterprise_user, data={"contact_name": enterprise.contact_name}
    )
    assert not enterprise.events.exists()


def test_name_is_fixed_after_verification_but_editable_before(enterprise, enterprise_user):
    with pytest.raises(DomainError) as exc:
        services.enterprise_update_profile(
            enterprise=enterprise,
            actor=enterprise_user,
            data={"name": "郑州改名有限公司", "bank_account_name": "郑州改名有限公司"},
        )
    assert "区县工信局" in exc.value.errors["name"]
    enterprise.refresh_from_db()
    assert enterprise.name != "郑州改名有限公司"


def test_pending_enterprise_may_rename_with_its_account_name(pending_enterprise):
    owner = pending_enterprise.members.get().user
    services.enterprise_update_profile(
        enterprise=pending_enterprise,
        actor=owner,
        data={"name": "郑州改名(河南)有限公司", "bank_account_name": "郑州改名（河南）有限公司"},
    )
    pending_enterprise.refresh_from_db()
    assert (
        pending_enterprise.name
        == pending_enterprise.bank_account_name
        == "郑州改名（河南）有限公司"
    )


def test_only_members_edit_and_only_the_primary_edits_the_bank(enterprise, other_user):
    with pytest.raises(PermissionRefused):
        services.enterprise_update_profile(
            enterprise=enterprise, actor=other_user, data={"contact_name": "x"}
        )
    clerk = EnterpriseMemberFactory(enterprise=enterprise, is_primary=False).user
    services.enterprise_update_profile(
        enterprise=enterprise, actor=clerk, data={"contact_name": "王"}
    )
    with pytest.raises(DomainError) as exc:
        services.enterprise_update_profile(
            enterprise=enterprise, actor=clerk, data={"bank_account": "99998888777766"}
        )
    assert "主账号" in exc.value.errors["bank_account"]


def test_primary_invites_a_member_and_the_event_says_so(enterprise, enterprise_user):
    user = services.member_invite(
        enterprise=enterprise,
        actor=enterprise_user,
        username="caiwu",
        name="财务小王",
        mobile="13611112222",
        password="Caiwu@2026!",
    )
    assert user.role == Role.ENTERPRISE and user.check_password("Caiwu@2026!")
    assert EnterpriseMember.objects.get(user=user).enterprise == enterprise
    event = enterprise.events.get(type=T.MEMBER_INVITED)
    assert event.actor == enterprise_user and event.data["username"] == "caiwu"


def test_invite_refused_for_non_primary_and_bad_input_writes_nothing(enterprise, enterprise_user):
    clerk = EnterpriseMemberFactory(enterprise=enterprise, is_primary=False).user
    with pytest.raises(PermissionRefused):
        services.member_invite(
            enterprise=enterprise,
            actor=clerk,
            username="x1",
            name="x",
            mobile="13611112222",
            password="Caiwu@2026!",
        )
    users = User.objects.count()
    with pytest.raises(DomainError) as exc:
        services.member_invite(
            enterprise=enterprise,
            actor=enterprise_user,
            username=enterprise_user.username,
            name="",
            mobile="123",
            password="1",
        )
    assert set(exc.value.errors) >= {"username", "name", "mobile", "password"}
    assert User.objects.count() == users


def test_profile_page_shows_everything(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    body = client.get(reverse("enterprises:profile")).content.decode()
    for text in (
        enterprise.name,
        enterprise.credit_code,
        enterprise.bank_account,
        "已核验",
        "可以申报",
        "添加企业用户",
        "34 通用设备制造业",
        "经营指标",
    ):
        assert text in body


def test_profile_edit_page_saves_and_shows_errors(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("enterprises:profile_edit")
    page = client.get(url).content.decode()
    assert "不能自行修改" not in page or "disabled" in page
    data = {
        "name": "ignored",
        "district": enterprise.district.pk,
        "industry_division": "39",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_mobile": "1380013800",
        "bank_name": enterprise.bank_name,
        "bank_account": enterprise.bank_account,
        "bank_account_name": "不一致公司",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "11位中国大陆手机号码" in body and "须与企业名称" in body
    enterprise.refresh_from_db()
    assert enterprise.industry_division == "34" and not enterprise.events.exists()
    data.update(contact_mobile="13800138001", bank_account_name=enterprise.name)
    response = client.post(url, data, follow=True)
    assert "企业信息已保存" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.industry_division == "39" and enterprise.name != "ignored"
    assert enterprise.events.filter(type=T.PROFILE_UPDATED).exists()


def test_invite_on_the_page(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("enterprises:member_invite")
    bad = client.post(
        url,
        {
            "username": "cw",
            "name": "小王",
            "mobile": "1",
            "password1": "Caiwu@2026!",
            "password2": "Caiwu@2026!",
        },
    )
    assert bad.status_code == 400 and "11位" in bad.content.decode()
    ok = client.post(
        url,
        {
            "username": "cw",
            "name": "小王",
            "mobile": "13611112222",
            "password1": "Caiwu@2026!",
            "password2": "Caiwu@2026!",
        },
        follow=True,
    )
    assert "已添加企业用户 cw" in ok.content.decode()


def test_api_me_get_and_patch(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    data = client.get("/api/v1/enterprises/me/").json()
    assert data["credit_code"] == enterprise.credit_code and data["can_submit"] is True
    response = client.patch(
        "/api/v1/enterprises/me/", {"contact_mobile": "abc"}, content_type="application/json"
    )
    assert response.status_code == 400 and "11位" in response.json()["errors"]["contact_mobile"]
    response = client.patch(
        "/api/v1/enterprises/me/", {"above_scale": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["above_scale"] is False


def test_credit_block_by_admin_blocks_submission_with_reason(
    enterprise, sys_admin, enterprise_user
):
    with pytest.raises(PermissionRefused):
        services.enterprise_set_credit_block(
            enterprise=enterprise, actor=enterprise_user, until=dt.date(2099, 1, 1), reason="x"
        )
    with pytest.raises(DomainError):
        services.enterprise_set_credit_block(
            enterprise=enterprise, actor=sys_admin, until=dt.date(2099, 1, 1), reason=""
        )
    services.enterprise_set_credit_block(
        enterprise=enterprise,
        actor=sys_admin,
        until=dt.date(2099, 1, 1),
        reason="奖补资金追回未完成",
    )
    enterprise.refresh_from_db()
    ok, reason = services.enterprise_can_submit(enterprise, on=dt.date(2098, 6, 1))
    assert not ok and "奖补资金追回未完成" in reason and "2099年01月01日" in reason
    assert services.enterprise_can_submit(enterprise, on=dt.date(2099, 1, 2))[0] is True
    services.enterprise_set_credit_block(enterprise=enterprise, actor=sys_admin, until=None)
    types = list(enterprise.events.values_list("type", flat=True))
    assert types == [T.CREDIT_BLOCK_SET, T.CREDIT_BLOCK_CLEARED]


@pytest.mark.parametrize(
    ("traits", "ok", "words"),
    [
        ({}, True, "可以申报"),
        ({"pending": True}, False, "金水区工信局核验"),
        ({"rejected": True}, False, "营业执照名称与填报名称不一致"),
    ],
)
def test_can_submit_reasons(traits, ok, words):
    enterprise = enterprise_with_user(UserFactory(role=Role.ENTERPRISE), **traits)
    allowed, reason = services.enterprise_can_submit(enterprise)
    assert allowed is ok and words in reason


def test_admin_sets_the_credit_block_through_the_service(client, enterprise, sys_admin):
    client.force_login(sys_admin)
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    assert client.get(url).status_code == 200
    member = enterprise.members.get()
    inline = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "0",
        "members-0-id": str(member.pk),
        "members-0-enterprise": str(enterprise.pk),
    }
    form = {"credit_blocked_until": "2099-01-01", "credit_block_reason": ""}
    response = client.post(url, {**form, **inline})
    assert response.status_code == 200 and "须填写限制原因" in response.content.decode()
    form["credit_block_reason"] = "失信被执行人"
    assert client.post(url, {**form, **inline}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.credit_blocked_until == dt.date(2099, 1, 1)
    assert enterprise.events.get().actor == sys_admin
    event_url = reverse(
        "admin:enterprises_enterpriseevent_change", args=[enterprise.events.get().pk]
    )
    page = client.get(event_url)
    assert page.status_code == 200 and b'name="_save"' not in page.content


def test_a_district_move_leaves_an_event_on_each_case_and_moves_the_dashboard(
    library, pending_enterprise, django_capture_on_commit_callbacks
):
    from applications.models import Application
    from dashboards.models import CaseFact
    from portal.accounts.models import District
    from tests.factories.applications import ApplicationFactory

    user = pending_enterprise.members.get().user
    cases = [ApplicationFactory(enterprise=pending_enterprise, period=p) for p in ("2023", "2024")]
    jinshui, erqi = (District.objects.get(code=c) for c in ("jinshui", "erqi"))
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update_profile(
            enterprise=pending_enterprise, actor=user, data={"district": erqi}
        )
    for case in Application.objects.filter(pk__in=[c.pk for c in cases]):
        assert case.district == erqi
        event = case.events.get(action="district_moved")
        assert event.actor == user and event.created_at is not None
        assert event.data["from"] == {"id": jinshui.pk, "name": jinshui.name}
        assert event.data["to"] == {"id": erqi.pk, "name": erqi.name}
        assert event.action_label == "所属区县变更"
        assert jinshui.name in event.comment and erqi.name in event.comment
        assert CaseFact.objects.get(pk=case.pk).district_id == erqi.pk  # at once, not nightly
