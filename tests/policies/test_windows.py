"""申报时间 from one source (#18 item 3): the pages, the calculator, 为我推荐 and the application
service all read a clause's window through ``policies.windows.clause_window``; the demo opens
its own dated batch instead of moving the dates the policy text gives."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import selectors as app_selectors
from applications import services as app_services
from demo.enterprises import demo_enterprises_load
from demo.services import demo_batch_name, demo_users_load, demo_windows_open
from policies.loading import policy_library_load
from policies.models import ApplicationBatch, Clause
from portal.core.errors import DomainError

pytestmark = pytest.mark.django_db

CLAUSE_155 = "zzw-2022-155/2"
CLAUSE_23 = "zz-2023-23/5"  # 23号 ran to 2026-11-26


@pytest.fixture
def demo():
    """The library, the demo logins and enterprises, and the demo's 155号 batch."""
    policy_library_load()
    demo_users_load()
    enterprises = demo_enterprises_load()
    demo_windows_open()
    return enterprises[0]


def _qiye(demo):
    return demo.members.get(is_primary=True).user


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_demo_opens_its_own_batch_and_leaves_the_texts_dates(demo):
    clause = Clause.objects.get(code=CLAUSE_155)
    assert (clause.application_opens, clause.application_closes) == (
        dt.date(2023, 4, 15),
        dt.date(2023, 6, 30),
    )
    batch = clause.batches.get()
    assert batch.is_demo and batch.name == demo_batch_name(timezone.localdate())
    window = clause.window_on()
    assert window.is_open and window.is_demo and window.after_policy_end
    assert window.current.name == batch.name
    demo_windows_open()  # idempotent
    assert clause.batches.count() == 1


def test_loading_the_library_again_restores_the_texts_window(demo):
    Clause.objects.filter(code=CLAUSE_155).update(
        application_opens=dt.date(2026, 11, 7), application_closes=dt.date(2027, 3, 7)
    )
    policy_library_load()
    clause = Clause.objects.get(code=CLAUSE_155)
    assert clause.application_opens == dt.date(2023, 4, 15)


def test_policy_list_says_the_policy_ended_and_the_demo_batch_is_open(client, demo):
    body = client.get(reverse("policies:list")).content.decode()
    row = next(r for r in body.split("<tr>") if "郑政文〔2022〕155号" in r)
    assert "已失效" in row  # the policy's own period, from the text
    assert "正在申报" in row and "演示批次" in row  # ... and the batch that is open
    other = next(r for r in body.split("<tr>") if "郑政办〔2022〕51号" in r)
    assert "已截止" in other and "正在申报" not in other


def test_open_now_filter_follows_the_batches(client, demo):
    body = client.get(reverse("policies:list"), {"open_now": "1"}).content.decode()
    assert "郑政文〔2022〕155号" in body and "郑政办〔2022〕51号" not in body


def test_clause_page_tells_the_texts_window_from_the_demo_batch(client, demo):
    html = client.get(reverse("policies:clause", args=[CLAUSE_155])).content.decode()
    text = _text(html)
    assert "原申报时间2023年4月15日至2023年6月30日" in text
    assert "本次申报批次" + demo_batch_name(timezone.localdate()) in text
    assert "正在申报" in text and "演示批次" in text
    assert "在政策有效期结束后开设" in text and "不是政策原文规定的申报时间" in text
    assert "政策有效期2022年12月24日至2023年12月31日（已结束）" in text


def test_policy_page_states_each_clause_from_its_window(client, demo):
    text = _text(client.get(reverse("policies:detail", args=["zzw-2022-155"])).content.decode())
    assert "演示环境另开了" in text and "正在申报" in text


@pytest.mark.parametrize(
    ("opens", "closes", "state"),
    [(-5, 20, "正在申报"), (10, 40, "即将开始"), (-40, -10, "已截止")],
)
def test_page_state_and_application_service_agree(client, demo, opens, closes, state):
    """A batch on a 23号 clause (policy ended 2026-11-26): the clause page, the application
    service and the new-application form say the same thing."""
    today = timezone.localdate()
    clause = Clause.objects.get(code=CLAUSE_23)
    ApplicationBatch.objects.create(
        clause=clause,
        name="2026年度第二批",
        opens_on=today + dt.timedelta(days=opens),
        closes_on=today + dt.timedelta(days=closes),
    )
    if today <= clause.policy.effective_to:  # the test only means something once 23号 ended
        pytest.skip("23号 is still in force on this date")
    text = _text(client.get(reverse("policies:clause", args=[CLAUSE_23])).content.decode())
    assert f"当前：{state}" in text and "2026年度第二批" in text
    open_clauses, _ = app_selectors.clauses_for_application()
    user = _qiye(demo)
    if state == "正在申报":
        assert clause in open_clauses
        app_services.application_create_draft(user=user, clause=clause, period="2025")
    else:
        assert clause not in open_clauses
        with pytest.raises(DomainError) as refused:
            app_services.application_create_draft(user=user, clause=clause, period="2025")
        assert "2026年度第二批" in str(refused.value.errors) and state in str(refused.value.errors)


def test_application_service_accepts_the_demo_batch_the_pages_show(demo):
    clause = Clause.objects.get(code=CLAUSE_155)
    draft = app_services.application_create_draft(user=_qiye(demo), clause=clause, period="2023")
    assert not any("不在申报期" in p for p in app_selectors.submit_problems(draft))


def test_calculator_says_ended_policy_with_open_demo_batch(client, demo):
    client.force_login(_qiye(demo))
    body = client.get(reverse("policies:calculator"), {"policy": "zzw-2022-155"}).content.decode()
    option = re.search(r"<option value=\"zzw-2022-155\"[^>]*>([^<]*)</option>", body).group(1)
    assert "政策已到期" in option and "正在申报" in option and "演示批次" in option
    assert "已失效）" not in option
    assert "可按本批次申报" in _text(body)


def test_recommendation_that_fits_leads_to_the_application_form(client, demo):
    client.force_login(_qiye(demo))
    body = client.get(reverse("enterprises:recommendations")).content.decode()
    clause = Clause.objects.get(code=CLAUSE_155)
    link = f"{reverse('applications:new')}?clause={clause.pk}"
    assert f'href="{link}"' in body and "立即申报" in body
    form = client.get(link).content.decode()
    assert re.search(rf'<option value="{clause.pk}"[^>]*selected', form)


def test_recommendation_missing_data_links_to_the_indicator_field(client, demo):
    demo.indicators.filter(name="revenue", period="2023Q1").delete()
    client.force_login(_qiye(demo))
    body = client.get(reverse("enterprises:recommendations")).content.decode()
    section = body.split("还缺数据")[1].split("不符合条件")[0]
    link = re.search(r'<a href="([^"]*name=revenue[^"]*period=2023Q1[^"]*)">([^<]+)</a>', section)
    assert link, section
    url, label = link.group(1).replace("&amp;", "&"), link.group(2)
    assert url.endswith("#id_value") and "营业收入" in label and "revenue" not in label
    assert "revenue_q1_2023" not in section
    page = client.get(url).content.decode()
    assert re.search(r'<option value="revenue"[^>]*selected', page)
    assert 'value="2023Q1"' in page


def test_api_gives_the_same_window_as_the_pages(client, demo):
    client.force_login(_qiye(demo))
    body = client.get(reverse("api-clause-detail", args=[CLAUSE_155])).json()
    window = body["application_window"]
    assert window["state"] == "open" and window["label"] == "正在申报"
    assert window["batch"]["is_demo"] and window["after_policy_end"]
    assert window["batch"]["name"] == demo_batch_name(timezone.localdate())
    assert body["application_opens"] == "2023-04-15"  # the text's own dates, unmoved
    closed = client.get(reverse("api-clause-detail", args=["zzb-2022-51/2"])).json()
    assert closed["application_window"]["state"] == "closed"
    assert closed["application_window"]["batch"]["from_policy_text"]


def test_new_application_page_says_which_batch_takes_the_application(client, demo):
    client.force_login(_qiye(demo))
    text = _text(client.get(reverse("applications:new")).content.decode())
    name = demo_batch_name(timezone.localdate())
    assert f"郑政文〔2022〕155号的条款按“{name}”受理" in text
    assert text.count(f"按“{name}”受理") == 1
    assert "已截止：原申报时间（政策文件规定），2023年11月27日至2026年11月26日" in text


def test_every_clause_page_row_agrees_with_the_application_service(client, demo):
    """Over the whole library: the state each policy page shows for a clause is the state
    ``clauses_for_application`` (the new-application form) and ``window_open_on`` use."""
    open_clauses, closed = app_selectors.clauses_for_application()
    today = timezone.localdate()
    for clause in open_clauses + closed:
        html = client.get(reverse("policies:clause", args=[clause.code])).content.decode()
        shown = re.search(r"当前：(正在申报|即将开始|已截止)", _text(html)).group(1)
        assert (shown == "正在申报") == (clause in open_clauses) == clause.window_open_on(today)


def test_opening_a_batch_is_audited_and_bad_dates_are_refused(
    demo, django_capture_on_commit_callbacks
):
    from policies.services import application_batch_open
    from portal.core.models import AuditRecord

    clause = Clause.objects.get(code=CLAUSE_23)
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        application_batch_open(
            clause=clause, name="第二批", opens_on=today, closes_on=today - dt.timedelta(days=1)
        )
    assert "截止日期不能早于开始日期" in refused.value.errors["closes_on"]
    assert not clause.batches.exists()
    user = _qiye(demo)  # any user: the service records who opened it
    with django_capture_on_commit_callbacks(execute=True):
        batch = application_batch_open(
            clause=clause, name="第二批", opens_on=today, closes_on=None, actor=user
        )
    record = AuditRecord.objects.get(kind="policies.application_batch", object_id=batch.pk)
    assert record.actor == user.username and "第二批" in record.summary
    assert clause.window_on(today).is_open
    with django_capture_on_commit_callbacks(execute=True):  # the same again: nothing recorded
        application_batch_open(
            clause=clause, name="第二批", opens_on=today, closes_on=None, actor=user
        )
    assert (
        AuditRecord.objects.filter(kind="policies.application_batch", object_id=batch.pk).count()
        == 1
    )


def _form_values(html: str) -> dict[str, str]:
    """The values a browser would post from the admin change form (inputs, selects, textareas)."""
    from html.parser import HTMLParser

    values: dict[str, str] = {}

    class Form(HTMLParser):
        select = textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "file"):
                values[name] = a.get("value") or ""
            elif tag == "input" and name and a.get("type") == "checkbox" and "checked" in a:
                values[name] = "on"
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                values[self.select] = a.get("value") or ""
            elif tag == "textarea" and name:
                self.textarea = name
                values[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                values[self.textarea] += data

    Form(convert_charrefs=True).feed(html)
    return values


def test_a_batch_opened_in_the_admin_is_audited(
    client, demo, sys_admin, django_capture_on_commit_callbacks
):
    from portal.core.models import AuditRecord

    clause = Clause.objects.get(code=CLAUSE_23)
    client.force_login(sys_admin)
    url = reverse("admin:policies_clause_change", args=[clause.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _form_values(page.content.decode())
    data = {k: v for k, v in data.items() if not k.startswith("batches-__prefix__")}
    today = timezone.localdate()
    data.update(
        {
            "batches-TOTAL_FORMS": "1",
            "batches-0-name": "2027年度第一批",
            "batches-0-opens_on": str(today),
            "batches-0-closes_on": str(today - dt.timedelta(days=1)),
            "batches-0-note": "",
        }
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "截止日期不能早于开始日期" in refused.content.decode()
    data["batches-0-closes_on"] = str(today + dt.timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, data)
        assert saved.status_code == 302, (
            saved.context["adminform"].form.errors,
            [f.formset.errors for f in saved.context["inline_admin_formsets"]],
        )
    batch = clause.batches.get()
    record = AuditRecord.objects.get(kind="policies.application_batch", object_id=batch.pk)
    assert record.actor == sys_admin.username
    assert clause.window_on(today).is_open


def test_calculator_starts_from_a_policy_that_takes_applications_now(client, demo):
    client.force_login(_qiye(demo))
    body = client.get(reverse("policies:calculator")).content.decode()
    assert re.search(r'<option value="zzw-2022-155" selected>', body)


def test_a_row_missing_only_what_the_application_form_asks_leads_to_the_form(client, demo):
    client.force_login(_qiye(demo))
    body = client.get(reverse("enterprises:recommendations")).content.decode()
    section = body.split("还缺数据")[1].split("不符合条件")[0]
    row = next(r for r in section.split("<tr>") if "第5条" in r and "155号" in r)
    clause = Clause.objects.get(code="zzw-2022-155/5")
    assert "申报时在申报表中填写" in row and "合同投资额" in row
    assert f"?clause={clause.pk}" in row and "立即申报" in row
