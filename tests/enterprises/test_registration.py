"""Registration: service, page and API. Bad input changes nothing."""

import pytest
from django.urls import reverse

from enterprises import services
from enterprises.models import Enterprise, EnterpriseEvent, EnterpriseMember
from portal.accounts.models import District, Role, User
from portal.core.errors import DomainError
from tests.factories.enterprises import (
    EnterpriseFactory,
    valid_credit_code,
    with_wrong_check_digit,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Qiye@2026!x"


def enterprise_data(**overrides):
    data = {
        "credit_code": valid_credit_code(777),
        "name": "郑州注册测试有限公司",
        "district": District.objects.get(code="jinshui"),
        "industry_division": "34",
        "above_scale": True,
        "legal_representative": "王五",
        "contact_name": "赵六",
        "contact_mobile": "13912345678",
        "bank_name": "中国银行郑州金水支行",
        "bank_account": "6217 0000 1000 2000",
        "bank_account_name": "郑州注册测试有限公司",
    }
    data.update(overrides)
    return data


def form_data(**overrides):
    data = {k: v for k, v in enterprise_data().items() if k != "district"}
    data.update(
        district=District.objects.get(code="jinshui").pk,
        above_scale="on",
        username="newco",
        password1=PASSWORD,
        password2=PASSWORD,
    )
    data.update(overrides)
    return data


def counts():
    return (User.objects.count(), Enterprise.objects.count(), EnterpriseEvent.objects.count())


def test_register_creates_pending_enterprise_primary_user_and_event():
    enterprise = services.enterprise_register(
        user_data={"username": "newco", "password": PASSWORD}, enterprise_data=enterprise_data()
    )
    assert enterprise.verification_status == Enterprise.Status.PENDING
    assert enterprise.industry_section == "C"
    assert enterprise.bank_account == "6217000010002000"  # spaces dropped
    member = EnterpriseMember.objects.get(enterprise=enterprise)
    assert member.is_primary and member.user.username == "newco"
    assert member.user.role == Role.ENTERPRISE and member.user.check_password(PASSWORD)
    assert member.user.name == "赵六" and member.user.mobile == "13912345678"
    event = enterprise.events.get()
    assert event.type == EnterpriseEvent.Type.REGISTERED
    assert (event.actor, event.from_status, event.to_status) == (member.user, "", "pending")
    assert event.created_at.tzinfo is not None


def test_duplicate_credit_code_is_refused_in_chinese_and_nothing_is_written():
    existing = EnterpriseFactory()
    before = counts()
    with pytest.raises(DomainError) as exc:
        services.enterprise_register(
            user_data={"username": "dup", "password": PASSWORD},
            enterprise_data=enterprise_data(credit_code=existing.credit_code.lower()),
        )
    assert "已经注册" in exc.value.errors["credit_code"]
    assert counts() == before


def test_every_bad_field_is_reported_at_once_and_nothing_is_written():
    before = counts()
    with pytest.raises(DomainError) as exc:
        services.enterprise_register(
            user_data={"username": "bad user!", "password": "123"},
            enterprise_data=enterprise_data(
                credit_code=with_wrong_check_digit(valid_credit_code(778)),
                contact_mobile="123",
                bank_account_name="别的公司",
            ),
        )
    errors = exc.value.errors
    assert "校验位" in errors["credit_code"]
    assert "11位" in errors["contact_mobile"]
    assert "须与企业名称" in errors["bank_account_name"]
    assert "username" in errors and "password" in errors
    assert counts() == before


def test_registration_page_is_public_and_chinese(client):
    response = client.get(reverse("enterprises:register"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "企业注册" in body and "统一社会信用代码" in body and "对公银行账户" in body
    assert "金水区" in body and "34 通用设备制造业" in body


def test_registration_page_logs_in_and_shows_waiting_status(client):
    response = client.post(reverse("enterprises:register"), form_data(), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("enterprises:profile")
    assert "注册成功" in body and "待核验" in body
    assert "金水区工信局核验" in body and "核验通过后才能申报" in body
    assert client.session["_auth_user_id"] == str(User.objects.get(username="newco").pk)


def test_registration_page_shows_field_errors_and_writes_nothing(client):
    existing = EnterpriseFactory()
    before = counts()
    response = client.post(
        reverse("enterprises:register"),
        form_data(
            credit_code=existing.credit_code,
            contact_mobile="12345",
            bank_account="12ab",
            bank_account_name="另一家公司",
            password2="different",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "已经注册" in body
    assert "11位中国大陆手机号码" in body
    assert "8至30位数字" in body
    assert "须与企业名称" in body
    assert "两次输入的密码不一致" in body
    assert counts() == before
    assert "_auth_user_id" not in client.session


def test_registration_page_reports_a_wrong_check_digit(client):
    wrong = with_wrong_check_digit(valid_credit_code(779))
    response = client.post(reverse("enterprises:register"), form_data(credit_code=wrong))
    assert "校验位" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_weak_password_is_refused_in_chinese(client):
    response = client.post(
        reverse("enterprises:register"), form_data(password1="12345678", password2="12345678")
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Enterprise.objects.exists()
    assert "密码" in body and ("常见" in body or "纯数字" in body or "全部为数字" in body)


def test_logged_in_user_is_sent_away_from_registration(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(reverse("enterprises:register"))
    assert response.status_code == 302


def test_api_register_is_anonymous_and_returns_the_pending_enterprise(client):
    payload = {k: v for k, v in enterprise_data().items() if k != "district"}
    payload.update(district="jinshui", username="apico", password=PASSWORD)
    response = client.post(
        "/api/v1/enterprises/register/", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["verification_status"] == "pending" and data["district"]["name"] == "金水区"
    assert data["can_submit"] is False and "核验" in data["can_submit_reason"]
    assert "password" not in data


def test_api_register_errors_are_per_field(client):
    existing = EnterpriseFactory()
    payload = {k: v for k, v in enterprise_data().items() if k != "district"}
    payload.update(
        district="nowhere", username="apico", password=PASSWORD, credit_code=existing.credit_code
    )
    response = client.post(
        "/api/v1/enterprises/register/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nowhere" in response.json()["errors"]["district"]
    payload["district"] = "jinshui"
    response = client.post(
        "/api/v1/enterprises/register/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "已经注册" in response.json()["errors"]["credit_code"]
    assert Enterprise.objects.count() == 1


# --- issue 17 item 6: registration is no oracle for staff names, and the page is throttled ---


def _api_payload(username: str, code: int) -> dict:
    payload = {k: v for k, v in enterprise_data().items() if k != "district"}
    payload.update(
        district="jinshui",
        username=username,
        password=PASSWORD,
        credit_code=valid_credit_code(code),
    )
    return payload


def test_a_staff_name_answers_like_a_reserved_name_nobody_holds(client, city_reviewer):
    assert not User.objects.filter(username__iexact="caizheng").exists()  # reserved, unheld
    answers = []
    for n, name in enumerate([city_reviewer.username, city_reviewer.username.upper(), "caizheng"]):
        api = client.post(
            "/api/v1/enterprises/register/", _api_payload(name, 800 + n), "application/json"
        )
        page = client.post(reverse("enterprises:register"), form_data(username=name))
        answers.append((api.status_code, api.json()["errors"]["username"]))
        answers.append((page.status_code, page.context["form"].errors["username"][0]))
    assert len(set(answers)) == 2  # the API's answer and the page's, each the same for all
    assert {status for status, _ in answers} == {400, 200}
    assert not User.objects.filter(username__iexact="caizheng").exists()
    assert User.objects.filter(username__iexact=city_reviewer.username).count() == 1


def test_the_registration_page_is_throttled_with_the_api(client, monkeypatch):
    from portal.core.throttling import SharedScopedRateThrottle

    monkeypatch.setattr(SharedScopedRateThrottle, "THROTTLE_RATES", {"anon_register": "3/hour"})
    for _ in range(2):
        bad = client.post(reverse("enterprises:register"), form_data(password2="different"))
        assert bad.status_code == 200
    api = client.post("/api/v1/enterprises/register/", {}, "application/json")
    assert api.status_code == 400  # the third request of the hour, through the API
    refused = client.post(reverse("enterprises:register"), form_data(username="late"))
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert not User.objects.filter(username="late").exists()
    assert client.post("/api/v1/enterprises/register/", {}, "application/json").status_code == 429
