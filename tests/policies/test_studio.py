"""The policy studio (issue 20, item 3): 政策管理员 builds a policy with three clauses of different
shapes in the browser's pages, test cases refuse a wrong publish, and an enterprise then sees the
published clauses in 为我推荐 and applies with a form built from the definition's facts."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from policies.models import Clause, ClauseDraft, ClauseRuleVersion, Policy
from policies.studio import draft_build
from portal.accounts.models import Role
from portal.core.models import AuditRecord
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import enterprise_with_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def _policy_form(**over):
    data = {
        "doc_number": "郑政〔2026〕99号",
        "title": "郑州市支持制造业高质量发展若干措施",
        "issuer": "郑州市人民政府",
        "level": "city",
        "issued_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        "effective_from": (TODAY - dt.timedelta(days=30)).isoformat(),
        "effective_to": (TODAY + dt.timedelta(days=700)).isoformat(),
        "original_text": "一、对规模以上工业企业给予10万元奖励。",
    }
    return data | over


def _clause_base(article: int, title: str) -> dict:
    return {
        "article": str(article), "title": title, "category": "奖励", "redemption_mode": "申报审核",
        "review_path": "district_then_city", "responsible_department": "市工业和信息化局",
        "opens": (TODAY - dt.timedelta(days=5)).isoformat(),
        "closes": (TODAY + dt.timedelta(days=60)).isoformat(),
        "original_text": f"第{article}条 {title}。", "materials": "信用承诺书\n财务报表",
        "guide": "按原文申报。", "mode": "form", "money_unit": "万元",
    }  # fmt: skip


FIXED = _clause_base(1, "规上工业企业奖励") | {
    "fact1_src": "above_scale",
    "cond1_fact": "1", "cond1_op": "是",
    "shape": "fixed", "amount": "10",
    "test1_why": "规上企业", "test1_f1": "是", "test1_amount": "10万",
    "test2_why": "非规上企业", "test2_f1": "否", "test2_amount": "0",
}  # fmt: skip
TIERS = _clause_base(2, "营业收入分档奖励") | {
    "fact1_src": "revenue_year",
    "shape": "tiers", "of": "1",
    "tier1_op": "达到", "tier1_value": "1", "tier1_unit": "亿元", "tier1_amount": "20",
    "tier2_op": "达到", "tier2_value": "５", "tier2_unit": "亿元", "tier2_amount": "50",  # full width
    "test1_why": "营收1.2亿元", "test1_f1": "1.2亿", "test1_amount": "200000",
    "test2_why": "营收5亿元", "test2_f1": "500000000", "test2_amount": "50万",
}  # fmt: skip
PERCENT = _clause_base(3, "研发设备投资补助") | {
    "fact1_src": "above_scale",
    "fact2_src": "new", "fact2_label": "研发设备投资额", "fact2_type": "金额", "fact2_unit": "元",
    "cond1_fact": "1", "cond1_op": "是",
    "cond2_fact": "2", "cond2_op": "以上", "cond2_value": "100", "cond2_unit": "万元",
    "shape": "percent", "of": "2", "rate": "10", "cap": "100",
    "test1_why": "投资300万元×10%", "test1_f1": "是", "test1_f2": "300万", "test1_amount": "30万",
    "test2_why": "投资2000万元，封顶100万元", "test2_f1": "是", "test2_f2": "2000万",
    "test2_amount": "100万",
}  # fmt: skip


@pytest.fixture
def officer_client(client, policy_admin, reauth):
    client.force_login(policy_admin)
    reauth(client)
    return client


def _new_policy(client, **over) -> Policy:
    response = client.post(reverse("policies:studio_policy_new"), _policy_form(**over))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Policy.objects.get(doc_number=_policy_form(**over)["doc_number"])


def _publish(client, policy, data, note="市政府常务会议纪要2026第3号"):
    url = reverse("policies:studio_clause_new", args=[policy.code])
    return client.post(url, data | {"action": "publish", "note": note})


def test_officer_publishes_three_clauses_and_an_enterprise_applies(
    client, policy_admin, enterprise_user, django_capture_on_commit_callbacks, reauth
):
    client.force_login(policy_admin)
    reauth(client)
    assert "政策编辑器" in client.get("/").content.decode()
    policy = _new_policy(client)
    assert policy.status == Policy.Status.DRAFT
    assert client.get(reverse("policies:studio_policy", args=[policy.code])).status_code == 200

    # a wrong expected amount: refused, saying which test case and why; the draft is kept
    wrong = FIXED | {"test1_amount": "8万"}
    page = _publish(client, policy, wrong).content.decode()
    assert (
        "未发布" in page
        and "第1个测试用例（规上企业）：应得80000.00元，按定义算得100000.00元" in page
    )
    assert not Clause.objects.filter(policy=policy).exists()
    draft = ClauseDraft.objects.get(policy=policy, article=1)
    assert draft.form["test1_amount"] == "8万" and draft.published_version is None

    # corrected on the draft's own page and published
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    page = client.get(url).content.decode()
    assert "规模以上工业企业的，给予10万元奖励。" in page  # the rule as a Chinese sentence
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FIXED | {"action": "publish", "note": "市政府常务会议纪要"})
        assert response.status_code == 302
        for data in (TIERS, PERCENT):
            assert _publish(client, policy, data).status_code == 302
    policy.refresh_from_db()
    assert policy.status == Policy.Status.IN_FORCE
    versions = ClauseRuleVersion.objects.filter(clause__policy=policy)
    assert versions.count() == 3 and all(
        v.definition and v.created_by == policy_admin for v in versions
    )
    tiers = versions.get(clause__article=2).definition["formula"]
    assert [t["value"] for t in tiers["tiers"]] == ["1亿", "5亿"]  # full-width 5 read as 5
    page = client.get(reverse("policies:studio_clause", args=[policy.code, 3])).content.decode()
    assert "研发设备投资额≥100万元" in page and "最高100万元" in page
    audit = AuditRecord.objects.filter(kind="policies.clause_published")
    assert audit.count() == 3 and all(a.actor == policy_admin.username for a in audit)

    # in the library and the calculator
    library = client.get(reverse("policies:list")).content.decode()
    assert policy.doc_number in library
    calc = client.get(reverse("policies:calculator") + f"?policy={policy.code}").content.decode()
    assert "研发设备投资额" in calc

    # the enterprise: figures on file, 为我推荐, and an application through the pages
    enterprise = enterprise_with_user(enterprise_user, district_code="jinshui", above_scale=True)
    client.force_login(enterprise_user)
    response = client.post(
        reverse("enterprises:indicators"),
        {"name": "revenue", "period": str(LAST_YEAR), "value": "120000000"},
    )
    assert response.status_code in (200, 302)
    page = client.get(reverse("enterprises:recommendations")).content.decode()
    assert "规上工业企业奖励" in page and "营业收入分档奖励" in page
    assert "200,000.00" in page  # tiers: 1.2亿 reaches 1亿

    percent = Clause.objects.get(policy=policy, article=3)
    response = client.post(
        reverse("applications:new"),
        {"clause": percent.pk, "period": str(TODAY.year), "subject": "研发设备购置项目"},
    )
    application = Application.objects.get(enterprise=enterprise)
    assert response.url == reverse("applications:edit", args=[application.pk])
    form = client.get(response.url).content.decode()
    assert "研发设备投资额" in form  # the form is built from the definition's facts
    client.post(response.url, {"above_scale": "on", percent_fact(percent): "3000000"})
    application.refresh_from_db()
    assert application.estimated_amount_fen == 300_000_00


def percent_fact(clause: Clause) -> str:
    version = clause.versions.order_by("-number").first()
    return next(f["name"] for f in version.definition["facts"] if f["label"] == "研发设备投资额")


def test_republishing_makes_a_new_version_and_unchanged_is_refused(officer_client):
    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, FIXED).status_code == 302
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    page = officer_client.post(url, FIXED | {"action": "publish", "note": "再次"}).content.decode()
    assert "条款定义没有变化" in page
    changed = FIXED | {"amount": "12", "test1_amount": "12万", "action": "publish", "note": "调整"}
    assert officer_client.post(url, changed).status_code == 302
    numbers = list(Clause.objects.get(policy=policy).versions.values_list("number", flat=True))
    assert sorted(numbers) == [1, 2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "十万"}, "计算公式：奖励金额：应为数字"),
        ({"fact1_src": "new", "fact1_label": "", "fact1_type": "是否"}, "第1个事实：请填写中文名称"),
        ({"cond2_fact": "4", "cond2_op": "以上", "cond2_value": "1"}, "适用条件：第2个条件：所选的事实4未填写"),
        ({"article": "abc"}, "条号：请填写1至999的数字"),
        ({"test1_amount": "-5"}, "第1个测试用例：应得金额"),
        ({"test1_f1": "也许"}, "第1个测试用例：「规模以上工业企业」请填“是”或“否”"),
    ],
)  # fmt: skip
def test_bad_input_gives_a_chinese_message_naming_the_part_and_publishes_nothing(
    officer_client, change, message
):
    policy = _new_policy(officer_client)
    page = _publish(officer_client, policy, FIXED | change).content.decode()
    assert message in page
    assert not ClauseRuleVersion.objects.filter(clause__policy=policy).exists()
    assert ClauseDraft.objects.get(policy=policy).form  # what was typed is kept


def test_publishing_needs_a_note_and_a_test_case(officer_client):
    policy = _new_policy(officer_client)
    page = _publish(officer_client, policy, FIXED, note="").content.decode()
    assert "发布说明：请填写发布依据" in page
    no_tests = {k: v for k, v in FIXED.items() if not k.startswith("test")}
    page = _publish(officer_client, policy, no_tests).content.decode()
    assert "请至少写一个测试用例" in page
    assert not Clause.objects.filter(policy=policy).exists()


def test_yaml_mode_keeps_bad_yaml_and_says_so_in_chinese(officer_client):
    policy = _new_policy(officer_client)
    data = _clause_base(4, "级差奖励") | {"mode": "yaml", "yaml": "facts: [unclosed"}
    page = _publish(officer_client, policy, data).content.decode()
    assert "条款定义（YAML）" in page and "格式有误" in page
    assert ClauseDraft.objects.get(policy=policy).form["yaml"] == "facts: [unclosed"
    good = """
facts:
  - {name: level, label: 认定等级, type: 选项, choices: {city: 市级, province: 省级}}
formula: {type: table, fact: level, amounts: {city: 10万, province: 30万}}
tests:
  - {facts: {level: province}, amount: 30万}
"""
    url = reverse("policies:studio_clause", args=[policy.code, 4])
    response = officer_client.post(url, data | {"yaml": good, "action": "publish", "note": "纪要"})
    assert response.status_code == 302, re.findall(r"<li>(.*?)</li>", response.content.decode())
    assert (
        Clause.objects.get(policy=policy, article=4).versions.get().definition["formula"]["type"]
        == "table"
    )


def test_policy_form_errors_and_formula_names_are_stored_as_text(officer_client):
    response = officer_client.post(
        reverse("policies:studio_policy_new"), _policy_form(issued_on="２０２６-01-01", title="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "政策标题：该字段是必填项。" in page
    assert not Policy.objects.exists()
    # full-width digits typed with a Chinese input method are read as the date they say
    _new_policy(officer_client, doc_number="全角〔2026〕1号", issued_on="２０２６-01-01")
    assert Policy.objects.get(doc_number="全角〔2026〕1号").issued_on == dt.date(2026, 1, 1)
    policy = _new_policy(officer_client, title='=HYPERLINK("http://evil","点我")')
    assert policy.title.startswith("=HYPERLINK(")
    from portal.core.excel import is_formula_like

    assert is_formula_like(policy.title)
    from policies.importing import policy_export_yaml

    assert "=HYPERLINK(" in policy_export_yaml(code=policy.code)


@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.LEADER]
)
def test_only_policy_officers_reach_the_studio(client, role):
    user = UserFactory(
        username=f"u_{role}",
        role=role,
        district_code="jinshui" if role == Role.DISTRICT_REVIEWER else "",
    )
    policy = Policy.objects.create(code="zc-2026-1", doc_number="x号", title="t", issuer="i", level="city",
                                   issued_on=TODAY, effective_from=TODAY, status="draft")  # fmt: skip
    client.force_login(user)
    for url in (
        reverse("policies:studio"), reverse("policies:studio_policy_new"),
        reverse("policies:studio_policy", args=[policy.code]),
        reverse("policies:studio_clause_new", args=[policy.code]),
    ):  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, FIXED | {"action": "publish", "note": "x"}).status_code == 403
    assert not ClauseDraft.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("policies:studio"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_draft_build_renders_steps_in_chinese():
    policy = Policy(code="zc-2026-9", doc_number="d", effective_from=TODAY)
    data = _clause_base(5, "增量奖励") | {
        "fact1_src": "new", "fact1_label": "营业收入增量", "fact1_type": "金额",
        "shape": "steps", "of": "1", "step": "1000", "step_unit": "万元", "per_step": "2",
        "cap": "100", "test1_f1": "3500万", "test1_amount": "6万",
    }  # fmt: skip
    built = draft_build(policy, data)
    assert not [p for p in built.problems if "测试" in p], built.problems
    assert built.sentence == "营业收入增量每增加1000万元奖励2万元，最高100万元。"
    assert built.tests[0].ok


def test_a_draft_policy_is_not_public(client, officer_client):
    policy = _new_policy(officer_client)
    assert officer_client.get(reverse("policies:detail", args=[policy.code])).status_code == 200
    client.logout()
    assert client.get(reverse("policies:detail", args=[policy.code])).status_code == 404
    assert policy.doc_number not in client.get(reverse("policies:list")).content.decode()


def test_a_published_clause_shows_the_impact_of_the_draft_on_stored_calculations(officer_client):
    from policies.models import Calculation
    from policies.services import award_calculate

    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, FIXED).status_code == 302
    clause = Clause.objects.get(policy=policy)
    award_calculate(
        code=clause.code, facts={"above_scale": True}, source=Calculation.Source.CALCULATOR
    )
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    officer_client.post(url, FIXED | {"amount": "12", "test1_amount": "12万", "action": "save"})
    page = officer_client.get(url).content.decode()
    assert "影响预览：现行第1版与当前草稿" in page
    assert "100,000.00" in page and "120,000.00" in page and "20,000.00" in page
    assert clause.versions.count() == 1  # saving a draft publishes nothing


def test_publishing_asks_for_the_password_again_and_keeps_the_draft(client, policy_admin, reauth):
    client.force_login(policy_admin)
    policy = _new_policy(client)
    response = _publish(client, policy, FIXED)  # a new clause: saved, to be published from its page
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    assert response.status_code == 302 and response.url == url
    response = client.post(url, FIXED | {"action": "publish", "note": "纪要"})
    assert response.status_code == 302 and "/accounts/reauth/" in response.url
    assert not Clause.objects.filter(policy=policy).exists()
    assert ClauseDraft.objects.get(policy=policy).form["note"] == "纪要"
    reauth(client)
    assert client.post(url, FIXED | {"action": "publish", "note": "纪要"}).status_code == 302
    assert Clause.objects.get(policy=policy).versions.count() == 1


def test_a_clause_without_its_text_is_not_published(officer_client):
    policy = _new_policy(officer_client)
    page = _publish(
        officer_client, policy, FIXED | {"original_text": "", "quote": ""}
    ).content.decode()
    assert "条款原文：请填写条款原文" in page and "quote" not in page.split("<form")[0]
    assert not Clause.objects.filter(policy=policy).exists()


LEVELS = _clause_base(7, "专精特新企业认定奖励") | {
    "shape": "levels", "level_label": "认定等级", "ladder": "1",
    "level1_name": "市级", "level1_amount": "10",
    "level2_name": "省级", "level2_amount": "30",
    "level3_name": "国家级", "level3_amount": "100",
    "test1_why": "首次认定省级", "test1_level": "省级", "test1_amount": "30万",
    "test2_why": "已获市级、省级，升国家级补差额", "test2_level": "国家级",
    "test2_prev": "市级、省级", "test2_amount": "70万",
}  # fmt: skip


def test_levels_with_a_ladder_are_built_without_yaml(officer_client):
    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, LEVELS).status_code == 302
    definition = Clause.objects.get(policy=policy).versions.get().definition
    assert definition["formula"]["type"] == "difference"
    page = officer_client.get(
        reverse("policies:studio_clause", args=[policy.code, 7])
    ).content.decode()
    assert (
        "按认定等级给予：市级10万元、省级30万元、国家级100万元，扣减已获较低等级奖励（级差）"
        in page
    )
    bad = LEVELS | {"test1_level": "区级", "level2_name": ""}
    page = _publish(officer_client, policy, bad).content.decode()
    assert "计算方式：按等级：第2个等级：请填写等级名称" in page


def test_an_unknown_level_in_a_test_case_is_named(officer_client):
    policy = _new_policy(officer_client)
    page = _publish(officer_client, policy, LEVELS | {"test1_level": "区级"}).content.decode()
    assert "第1个测试用例：等级「区级」不在等级中（市级、省级、国家级）" in page
    assert not Clause.objects.filter(policy=policy).exists()


def test_a_formula_like_name_stays_text_in_a_workbook(officer_client):
    """Every workbook is written by portal.core.excel: the stored name is a text cell there."""
    import io

    from openpyxl import load_workbook

    from portal.core.excel import Sheet, write_workbook

    policy = _new_policy(officer_client, doc_number='=HYPERLINK("http://evil","文号")')
    assert policy.doc_number == '=HYPERLINK("http://evil","文号")'
    data = write_workbook(Sheet("政策", ["文号", "标题"], [(policy.doc_number, policy.title)]))
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.value == policy.doc_number and cell.data_type == "s"


# -- a published clause keeps its article (its code) ---------------------------------------------
def _one_clause(policy) -> Clause:
    clauses = list(Clause.objects.filter(policy=policy))
    assert len(clauses) == 1, [c.code for c in clauses]
    return clauses[0]


def test_renumbering_a_published_clause_keeps_its_article_and_makes_no_second_clause(
    officer_client,
):
    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, FIXED).status_code == 302
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    page = officer_client.get(url).content.decode()
    assert "条号不能修改" in page and 'name="article" value="1" readonly' in page

    # a renumbered draft saved: the article stays, and the officer is told why
    renumbered = FIXED | {"article": "5", "amount": "12", "test1_amount": "12万"}
    response = officer_client.post(url, renumbered | {"action": "save"}, follow=True)
    assert "第1条已发布，企业可能已按本条申报，条号不能修改" in response.content.decode()
    assert ClauseDraft.objects.get(policy=policy).form["article"] == "1"

    # published: a new version of the same clause, never a clause for article 5
    response = officer_client.post(url, renumbered | {"action": "publish", "note": "调整金额"})
    assert response.status_code == 302
    clause = _one_clause(policy)
    assert clause.code == f"{policy.code}/1" and clause.versions.count() == 2
    assert ClauseDraft.objects.get(policy=policy).article == 1


def test_a_draft_renumbered_before_the_fix_is_refused_with_a_chinese_message(officer_client):
    """A draft stored with another article (saved before the article was locked) is not
    published onto a new clause: refused, the published clause and its cases stay as they are."""
    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, FIXED).status_code == 302
    draft = ClauseDraft.objects.get(policy=policy)
    draft.form = draft.form | {"article": "5", "amount": "12", "test1_amount": "12万"}
    draft.save()
    from policies.studio import clause_draft_publish
    from portal.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        clause_draft_publish(draft=draft, actor=None, note="调整")
    assert "第1条已发布，企业可能已按本条申报，条号不能改为第5条" in refused.value.message
    clause = _one_clause(policy)
    assert clause.code == f"{policy.code}/1" and clause.versions.count() == 1
    assert ClauseDraft.objects.get(pk=draft.pk).article == 1


def test_a_new_draft_does_not_take_over_a_clause_published_without_a_draft(officer_client):
    policy = _new_policy(officer_client)
    assert _publish(officer_client, policy, FIXED).status_code == 302
    ClauseDraft.objects.filter(policy=policy).delete()  # as a clause imported from a file has none
    changed = FIXED | {"amount": "12", "test1_amount": "12万"}
    page = _publish(officer_client, policy, changed).content.decode()
    assert "条号：第1条已发布，不能由另一份草稿覆盖，请改用其他条号" in page
    assert _one_clause(policy).versions.count() == 1


# -- messages in Chinese words, not the format's keys ---------------------------------------------
KEYS_NOT_SHOWN = (
    "needed_if", "choices", "per_period_items", "paid_per", "subject", "fixed_period", "groups",
    "stacks_with", "matters", "caps", "per_year", "label",
)  # fmt: skip
KEYED_ERRORS = """
facts:
  - {name: level, label: 认定等级, type: 选项}
  - {name: revenue, label: 营业收入, type: 金额, needed_if: missing_fact}
formula: {type: percent, of: revenue, rate: 10%}
caps: {per_period_items: {both: {cap: 10万}}}
stacking: {paid_per: weekly, subject: person, fixed_period: 2022Q5, groups: a, stacks_with: b,
           matters: c}
tests:
  - {facts: {revenue: 100}, amount: 10}
"""


def _error_box(page: str) -> str:
    box = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
    assert box, page[:3000]
    return box.group(1)


def test_definition_messages_on_the_page_use_chinese_words_not_the_formats_keys(officer_client):
    policy = _new_policy(officer_client)
    data = _clause_base(6, "营业收入奖励") | {"mode": "yaml", "yaml": KEYED_ERRORS}
    box = _error_box(_publish(officer_client, policy, data).content.decode())
    for words in (
        "第1个事实「认定等级」：选项类事实需要列出选项",
        "事实「营业收入」：“何时需要填写”指向的事实「missing_fact」不存在",
        "“某几项政策期内累计最高”的「both」应写最高金额、“中文名称”和计入的子项名称",
        "叠加与兑现：兑现频次应为一次性、每年度一次、每季度一次、每半年一次、每个申报对象一次之一",
        "叠加与兑现：申报对象应为项目、产品、称号、活动、平台之一",
        "叠加与兑现：奖励期间应写作 2022、2022Q2 或 2022H1",
        "叠加与兑现：“从高不重复的组”应为列表",
        "叠加与兑现：“可叠加享受的条款”应为列表",
        "叠加与兑现：“奖励所针对的事项”应为列表",
    ):
        assert words in box, box
    shown = re.sub(r"「[^」]*」", "", box)  # what was typed (a fact's name) may be any word
    assert not [key for key in KEYS_NOT_SHOWN if re.search(rf"\b{key}\b", shown)], box
    assert not Clause.objects.filter(policy=policy).exists()


def test_an_unknown_key_typed_is_still_named_as_typed(officer_client):
    policy = _new_policy(officer_client)
    yaml_text = KEYED_ERRORS.replace("caps: {", "groups: [x]\ncaps: {per_month: 1万, ")
    data = _clause_base(6, "营业收入奖励") | {"mode": "yaml", "yaml": yaml_text}
    box = _error_box(_publish(officer_client, policy, data).content.decode())
    assert "不认识的项：groups" in box  # the officer must find what they typed
    assert "“上限”只能写每年最高、政策期内累计最高和某几项政策期内累计最高" in box
    assert "per_year" not in box and "per_period" not in box


def test_import_page_messages_use_chinese_words_too(officer_client):
    import yaml

    from tests.policies.test_policy_import import POLICY

    data = yaml.safe_load(yaml.safe_dump(POLICY, allow_unicode=True))
    definition = data["clauses"][0]["definition"]
    definition["stacking"] = {"paid_per": "weekly", "groups": "a"}
    definition["facts"][0]["needed_if"] = "nothing"
    data["funding_split"] = {"city": "一半"}
    upload = SimpleUploadedFile(
        "p.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "application/x-yaml"
    )
    page = officer_client.post(reverse("policies:studio_import"), {"file": upload})
    box = _error_box(page.content.decode())
    assert "兑现频次应为一次性" in box and "“从高不重复的组”应为列表" in box
    assert "资金分担应写作市级与区县级的分担比例" in box and "{city" not in box
    assert "第1个条款（第3条）：叠加与兑现" in box and "tst-2024-7/3" not in box
    shown = re.sub(r"「[^」]*」", "", box)
    assert not [key for key in KEYS_NOT_SHOWN if re.search(rf"\b{key}\b", shown)], box
    assert not Policy.objects.filter(code=POLICY["code"]).exists()


@pytest.mark.parametrize(
    "formula, said",
    [
        ("{type: [percent], of: x, rate: 10%}", "计算块类型「['percent']」不认识"),
        ("{type: percent, of: x, rate: null}", "按比例块缺少：比例"),
    ],
    ids=["type-list", "rate-null"],
)
def test_a_yaml_draft_the_compiler_cannot_read_still_opens_and_is_not_published(
    officer_client, formula, said
):
    policy = _new_policy(officer_client)
    yaml_text = (
        "facts:\n  - {name: x, label: 投资额, type: 金额}\n"
        f"formula: {formula}\ntests:\n  - {{facts: {{x: '100'}}, amount: 10}}\n"
    )
    data = _clause_base(8, "投资补助") | {"mode": "yaml", "yaml": yaml_text}
    response = _publish(officer_client, policy, data)
    assert response.status_code == 200
    assert said in html.unescape(_error_box(response.content.decode()))  # the engine says what
    url = reverse("policies:studio_clause", args=[policy.code, 8])
    assert officer_client.get(url).status_code == 200  # the saved draft still opens
    assert not Clause.objects.filter(policy=policy).exists()


# -- more shapes through the form: 增速每增加, 贴息, 多项相加 / 就高 -----------------------------------
GROWTH = _clause_base(11, "营业收入增速奖励") | {
    "fact1_src": "new", "fact1_label": "本年营业收入", "fact1_type": "金额",
    "fact2_src": "new", "fact2_label": "上年营业收入", "fact2_type": "金额",
    "shape": "growth_steps", "g_cur": "1", "g_prev": "2", "g_label": "营业收入",
    "g_op": "超过", "g_above": "10", "g_points": "1", "g_per_step": "2", "cap": "50",
    "test1_why": "增长13.5%，3个完整百分点", "test1_f1": "11350万", "test1_f2": "1亿",
    "test1_amount": "6万",
    "test2_why": "增长恰为10%，未超过", "test2_f1": "1.1亿", "test2_f2": "1亿", "test2_amount": "0",
    "test3_why": "增长40%，封顶50万元", "test3_f1": "1.4亿", "test3_f2": "1亿", "test3_amount": "50万",
}  # fmt: skip
GROWTH_ONE_FACT = _clause_base(12, "增速奖励（填报增速）") | {
    "fact1_src": "new", "fact1_label": "营业收入增速", "fact1_type": "百分比",
    "shape": "growth_steps", "g_pct": "1", "g_op": "达到", "g_above": "10", "g_points": "1",
    "g_per_step": "2", "cap": "100",
    "test1_why": "增速13.5%", "test1_f1": "13.5", "test1_amount": "6万",
    "test2_why": "增速恰为10%", "test2_f1": "10", "test2_amount": "0",
}  # fmt: skip
INTEREST = _clause_base(13, "贷款贴息") | {
    "fact1_src": "new", "fact1_label": "实际贷款利息", "fact1_type": "金额",
    "fact2_src": "new", "fact2_label": "贷款额", "fact2_type": "金额",
    "shape": "interest", "i_of": "1", "i_rate": "50", "i_loan": "2", "i_loan_cap": "1000",
    "cap": "22",
    "test1_why": "利息40万元的50%", "test1_f1": "40万", "test1_f2": "800万", "test1_amount": "20万",
    "test2_why": "贷款2000万元超上限，按一半计息后封顶", "test2_f1": "100万", "test2_f2": "2000万",
    "test2_amount": "22万",
}  # fmt: skip
SUM = _clause_base(14, "技术改造综合奖励") | {
    "fact1_src": "above_scale",
    "fact2_src": "new", "fact2_label": "设备投资额", "fact2_type": "金额",
    "fact3_src": "new", "fact3_label": "研发投入", "fact3_type": "金额",
    "shape": "sum", "cap": "120",
    "p1_shape": "fixed", "p1_label": "规上奖励", "p1_amount": "10",
    "p1_cond_fact": "1", "p1_cond_op": "是",
    "p2_shape": "percent", "p2_label": "设备补助", "p2_of": "2", "p2_rate": "10", "p2_cap": "100",
    "p2_cond_fact": "2", "p2_cond_op": "以上", "p2_cond_value": "100", "p2_cond_unit": "万元",
    "p3_shape": "tiers", "p3_label": "研发奖励", "p3_of": "3",
    "p3_tier1_op": "达到", "p3_tier1_value": "500", "p3_tier1_unit": "万元", "p3_tier1_amount": "20",
    "p3_tier2_op": "达到", "p3_tier2_value": "1000", "p3_tier2_unit": "万元", "p3_tier2_amount": "50",
    "test1_why": "三项都有", "test1_f1": "是", "test1_f2": "300万", "test1_f3": "600万",
    "test1_amount": "60万",
    "test2_why": "非规上，设备项封顶，合计封顶", "test2_f1": "否", "test2_f2": "2000万",
    "test2_f3": "2000万", "test2_amount": "120万",
}  # fmt: skip
HIGHEST = SUM | {
    "article": "15", "title": "技术改造奖励（就高）", "shape": "highest", "cap": "",
    "test1_why": "就高取设备补助", "test1_amount": "30万",
    "test2_why": "就高取封顶后的设备补助", "test2_amount": "100万",
}  # fmt: skip


def _fact(clause: Clause, label: str) -> str:
    version = clause.versions.order_by("-number").first()
    return next(f["name"] for f in version.definition["facts"] if f["label"] == label)


def _result(clause: Clause, **by_label):
    from policies.services import award_calculate

    facts = {_fact(clause, label): value for label, value in by_label.items()}
    return award_calculate(code=clause.code, facts=facts).result


def _amount(clause: Clause, **by_label) -> tuple:
    """(eligible, amount): the engine counts an amount of 0 as not eligible."""
    result = _result(clause, **by_label)
    return result.eligible, result.amount


def _built_and_published(client, data, sentence) -> Clause:
    """Built through the page: the sentence on the draft's page, every test case passing, and
    published (a wrong expected amount first refused, saying which case)."""
    policy = _new_policy(client)
    article = int(data["article"])
    wrong = data | {"test1_amount": "1万"}
    page = html.unescape(_publish(client, policy, wrong).content.decode())
    assert "未发布" in page and "第1个测试用例" in page and "应得10000.00元" in page, page
    url = reverse("policies:studio_clause", args=[policy.code, article])
    page = html.unescape(client.get(url).content.decode())
    assert sentence in page, re.findall(r'rule-sentence"><strong>(.*?)<', page)
    assert page.count("未通过") == 1  # only the wrong case
    response = client.post(url, data | {"action": "publish", "note": "市政府常务会议纪要"})
    assert response.status_code == 302, re.findall(r"<li>(.*?)</li>", response.content.decode())
    page = html.unescape(client.get(url).content.decode())
    assert sentence in page and "未通过" not in page and page.count("通过</span>") >= 2
    return Clause.objects.get(policy=policy, article=article)


def test_growth_steps_from_two_figures_is_built_without_yaml(officer_client):
    clause = _built_and_published(
        officer_client, GROWTH,
        "营业收入同比增速超过10%的，每增加1个百分点奖励2万元，最高50万元。",
    )  # fmt: skip
    formula = clause.versions.get().definition["formula"]
    assert formula["type"] == "growth_steps" and formula["above"] == "10%"
    cur, prev = "本年营业收入", "上年营业收入"
    # 超过10%、每增加1个百分点2万元：13.5% → 3 full points → 6万; 10.99% → 0 points
    assert _amount(clause, **{cur: "113500000", prev: "100000000"}) == (True, 60_000)
    assert _amount(clause, **{cur: "110990000", prev: "100000000"}) == (False, 0)
    assert _amount(clause, **{cur: "111000000", prev: "100000000"}) == (True, 20_000)
    # exactly 10% is not 超过10%: nothing, saying so; last year 0: growth cannot be computed
    exactly = _result(clause, **{cur: "110000000", prev: "100000000"})
    assert exactly.amount == 0 and "营业收入同比增长10%，未超过10%" in exactly.reasons
    zero = _result(clause, **{cur: "110000000", prev: "0"})
    assert zero.amount == 0 and any("上年同期为0" in r for r in zero.reasons), zero.reasons
    assert _amount(clause, **{cur: "500000000", prev: "100000000"}) == (True, 500_000)  # cap


def test_growth_steps_from_one_percent_fact(officer_client):
    clause = _built_and_published(
        officer_client, GROWTH_ONE_FACT,
        "营业收入增速达到10%的，每增加1个百分点奖励2万元，最高100万元。",
    )  # fmt: skip
    growth = "营业收入增速"
    assert _amount(clause, **{growth: "13.5"}) == (True, 60_000)
    reached = _result(clause, **{growth: "10"})  # 达到10%: met, but no full point above it
    assert reached.amount == 0 and "营业收入增速为10%，达到10%" in reached.reasons, reached.reasons
    below = _result(clause, **{growth: "9.9"})
    assert below.amount == 0 and "营业收入增速为9.9%，未达到10%" in below.reasons, below.reasons


def test_interest_with_a_loan_ceiling_is_built_without_yaml(officer_client):
    clause = _built_and_published(
        officer_client,
        INTEREST,
        "按实际贷款利息的50%给予贴息（贷款额超过1000万元的按比例计），最高22万元。",
    )
    interest, loan = "实际贷款利息", "贷款额"
    assert _amount(clause, **{interest: "300000", loan: "5000000"}) == (True, 150_000)
    # 贷款1500万元超过上限1000万元：利息60万元按1000/1500计为40万元，50%为20万元
    assert _amount(clause, **{interest: "600000", loan: "15000000"}) == (True, 200_000)
    assert _amount(clause, **{interest: "2000000", loan: "10000000"}) == (True, 220_000)  # cap


def test_sum_of_parts_with_their_own_conditions_and_caps(officer_client):
    clause = _built_and_published(
        officer_client, SUM,
        "规模以上工业企业的，给予10万元奖励；设备投资额≥100万元的，按10%给予奖励，"
        "最高100万元；研发投入达到500万元的奖励20万元，达到1000万元的奖励50万元（取最高一档）；"
        "以上各项相加，最高120万元。",
    )  # fmt: skip
    flag, kit, rd = "规模以上工业企业", "设备投资额", "研发投入"
    assert _amount(clause, **{flag: True, kit: "800000", rd: "0"}) == (True, 100_000)  # 只有规上
    assert _amount(clause, **{flag: False, kit: "3000000", rd: "12000000"}) == (True, 800_000)
    assert _amount(clause, **{flag: True, kit: "7000000", rd: "6000000"}) == (True, 1_000_000)
    assert _amount(clause, **{flag: True, kit: "20000000", rd: "20000000"})[1] == 1_200_000


def test_highest_of_parts_takes_one(officer_client):
    clause = _built_and_published(
        officer_client, HIGHEST,
        "就高取一项：规模以上工业企业的，给予10万元奖励；设备投资额≥100万元的，按10%"
        "给予奖励，最高100万元；研发投入达到500万元的奖励20万元，达到1000万元的奖励50万元"
        "（取最高一档）。",
    )  # fmt: skip
    flag, kit, rd = "规模以上工业企业", "设备投资额", "研发投入"
    assert _amount(clause, **{flag: True, kit: "800000", rd: "0"}) == (True, 100_000)
    assert _amount(clause, **{flag: True, kit: "3000000", rd: "12000000"}) == (True, 500_000)
    assert _amount(clause, **{flag: False, kit: "0", rd: "0"})[1] == 0


@pytest.mark.parametrize(
    ("data", "change", "field", "message"),
    [
        (GROWTH, {"g_per_step": ""}, "g_per_step", "计算公式：每档奖励：请填写数值"),
        (GROWTH, {"g_above": "十"}, "g_above", "计算公式：起算增速：应为数字（可写作 1000万、1.5亿、30%），写的是「十」"),
        (GROWTH, {"g_points": "-1"}, "g_points", "计算公式：每增加几个百分点：不能为负数，写的是「-1」"),
        (GROWTH, {"g_points": "0"}, "g_points", "计算公式：每增加几个百分点：应大于0"),
        (GROWTH, {"g_op": ""}, "g_op", "计算公式：起算增速：请选择“超过”或“达到”"),
        (GROWTH, {"g_cur": "", "g_prev": ""}, "g_cur", "计算公式：增速：请选择本年和上年两个数"),
        (GROWTH, {"g_pct": "1"}, "g_pct", "计算公式：增速：请二选一"),
        (GROWTH, {"g_prev": "1"}, "g_prev", "计算公式：增速的本年数和上年数应为两个不同的事实"),
        (INTEREST, {"i_rate": "五十"}, "i_rate", "计算公式：贴息比例：应为数字"),
        (INTEREST, {"i_loan_cap": ""}, "i_loan_cap", "计算公式：贷款额上限：请填写数值"),
        (INTEREST, {"i_of": ""}, "i_of", "计算公式：实际贷款利息（事实）：请选择事实"),
        (INTEREST, {"cap": "-22"}, "cap", "计算公式：最高金额：不能为负数，写的是「-22」"),
        (SUM, {"p1_amount": ""}, "p1_amount", "计算公式：第1项：奖励金额：请填写数值"),
        (SUM, {"p2_rate": "abc"}, "p2_rate", "计算公式：第2项：比例：应为数字（可写作 1000万、1.5亿、30%），写的是「abc」"),
        (SUM, {"p3_tier2_amount": "-50"}, "p3_tier2_amount", "计算公式：第3项：第2档奖励金额：不能为负数"),
        (SUM, {"p4_label": "补充奖励"}, "p4_shape", "计算公式：第4项：请选择这一项的计算方式（固定金额、按比例、每增加一档、分档奖励）"),
        (SUM, {"p2_shape": "", "p3_shape": "", **{k: "" for k in SUM if k.startswith(("p2_", "p3_"))}},
         "p1_shape", "计算公式：相加请至少填写两项"),
        (HIGHEST, {"p2_cond_op": "以下"}, "p2_cond_op", "计算公式：第2项：条件：请选择比较词（以上、达到、超过）"),
        (FIXED, {"cond2_fact": "4", "cond2_op": "以上", "cond2_value": "1"}, "cond2_fact",
         "适用条件：第2个条件：所选的事实4未填写"),
        (TIERS, {"tier2_amount": "-5"}, "tier2_amount", "计算公式：第2档奖励金额：不能为负数，写的是「-5」"),
        (PERCENT, {"fact2_type": ""}, "fact2_type", "第2个事实「研发设备投资额」：请选择类型"),
        (PERCENT, {"fact2_label": ""}, "fact2_label", "第2个事实：请填写中文名称"),
        (FIXED, {"test2_f1": "也许"}, "test2_f1", "第2个测试用例：「规模以上工业企业」请填“是”或“否”"),
        (FIXED, {"test1_amount": "十万"}, "test1_amount", "第1个测试用例：应得金额应为数字"),
        (LEVELS, {"level2_amount": "三十"}, "level2_amount", "第2个等级「省级」的金额：应为数字"),
        (LEVELS, {"test1_level": "区级"}, "test1_level", "第1个测试用例：等级「区级」不在等级中"),
        (FIXED, {"original_text": ""}, "original_text", "条款原文：请填写条款原文"),
    ],
    ids=[
        "growth-missing-amount", "growth-text", "growth-negative", "growth-zero-points",
        "growth-no-op", "growth-no-facts", "growth-both-ways", "growth-same-fact",
        "interest-text", "interest-ceiling-without-amount", "interest-no-fact", "interest-negative",
        "part-missing-amount", "part-text", "part-negative", "part-no-shape", "one-part",
        "part-condition-word", "condition-fact", "tier-negative", "fact-type", "fact-label",
        "test-yes-no", "test-amount", "level-amount", "test-level", "original-text",
    ],
)  # fmt: skip
def test_bad_input_is_said_next_to_its_field_and_kept(officer_client, data, change, field, message):
    policy = _new_policy(officer_client)
    page = html.unescape(_publish(officer_client, policy, data | change).content.decode())
    assert message in _error_box(page)
    if field:  # next to the field too, the field marked for screen readers
        said = re.search(rf'<p class="field-error" id="e-{field}">(.*?)</p>', page)
        assert said and message in said.group(1), page[page.find("计算方式") :][:3000]
        assert f'aria-describedby="e-{field}"' in page
        # the summary at the top links the message to its field (GOV.UK's error summary)
        links = re.findall(r'<a href="#([^"]+)" data-error-link>(.*?)</a>', _error_box(page))
        target = next((at for at, words in links if message in words), None)
        assert target, links
        tags = re.findall(rf'<(?:input|select|textarea)\b[^>]*\bid="{target}"[^>]*>', page)
        assert len(tags) == 1 and f'name="{field}"' in tags[0], (target, tags)
        assert all(page.count(f'id="{at}"') == 1 for at, _ in links), links  # none leads nowhere
    assert not ClauseRuleVersion.objects.filter(clause__policy=policy).exists()
    draft = ClauseDraft.objects.get(policy=policy)
    assert all(draft.form.get(k, "") == v for k, v in (data | change).items())  # nothing lost


def test_full_width_digits_in_the_new_shapes_are_read_as_digits(officer_client):
    policy = _new_policy(officer_client)
    typed = GROWTH | {"g_above": "１０", "g_per_step": "２"}
    assert _publish(officer_client, policy, typed).status_code == 302
    formula = Clause.objects.get(policy=policy).versions.get().definition["formula"]
    assert formula["above"] == "10%" and formula["per_step"] == "2万"
    assert ClauseDraft.objects.get(policy=policy).form["g_above"] == "１０"  # kept as typed


@pytest.mark.parametrize("data", [GROWTH, INTEREST, SUM, HIGHEST | {"p2_rate": "十"}])
def test_the_new_shapes_pages_speak_the_users_words(officer_client, data):
    from tests.core.test_page_words import _read, offences

    policy = _new_policy(officer_client)
    officer_client.post(reverse("policies:studio_clause_new", args=[policy.code]), data)
    url = reverse("policies:studio_clause", args=[policy.code, int(data["article"])])
    page = officer_client.get(url).content.decode()
    yaml_text = re.search(r'<textarea name="yaml"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "E+" not in yaml_text  # test cases' figures written out: 400000, never 4E+5
    text, _ = _read(page.replace(yaml_text, ""))  # the YAML mode shows the format's own words
    assert ("计算规则（按当前草稿）" in text) is (data["shape"] != "highest"), text[:2000]
    assert not offences(text, codes=set(), allowed={"YAML", "UTF"}), offences(text, codes=set())


# -- the time a clause took, from its draft's first save to its publish ----------------------------
class Clock:
    """``policies.studio._now`` moved by hand: no sleeping."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def forward(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def test_the_time_from_first_save_to_publish_is_measured_and_shown(
    officer_client, monkeypatch, django_capture_on_commit_callbacks
):
    clock = Clock()
    monkeypatch.setattr("policies.studio._now", clock)
    policy = _new_policy(officer_client)
    new = reverse("policies:studio_clause_new", args=[policy.code])
    assert officer_client.post(new, FIXED | {"amount": "8", "action": "save"}).status_code == 302
    url = reverse("policies:studio_clause", args=[policy.code, 1])
    clock.forward(minutes=20)
    officer_client.post(url, FIXED | {"action": "save"})  # later edits do not restart the clock
    clock.forward(minutes=17, seconds=20)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url, FIXED | {"action": "publish", "note": "纪要"})
    assert response.status_code == 302
    draft = ClauseDraft.objects.get(policy=policy)
    assert draft.built_in == dt.timedelta(minutes=37, seconds=20)
    record = AuditRecord.objects.get(kind="policies.clause_published")
    assert record.data["seconds_since_first_save"] == 37 * 60 + 20
    assert record.data["first_publish"] is True and "用时 37 分钟" in record.summary
    assert "本条款从起草到发布用时 37 分钟" in officer_client.get(url).content.decode()
    page = officer_client.get(reverse("policies:studio_policy", args=[policy.code]))
    assert "从起草到发布用时 37 分钟" in page.content.decode()

    # a new version later keeps the clause's first time; the audit says how long since
    clock.forward(days=2)
    changed = FIXED | {"amount": "12", "test1_amount": "12万", "action": "publish", "note": "调整"}
    assert officer_client.post(url, changed).status_code == 302
    draft.refresh_from_db()
    assert draft.built_in == dt.timedelta(minutes=37, seconds=20)


def test_the_studio_index_shows_the_median_time_per_clause(officer_client, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("policies.studio._now", clock)
    index = reverse("policies:studio")
    assert "每条款平均用时" not in officer_client.get(index).content.decode()  # none measured yet
    policy = _new_policy(officer_client)
    for data, minutes in ((FIXED, 10), (TIERS, 50), (PERCENT, 30)):
        article = int(data["article"])
        new = reverse("policies:studio_clause_new", args=[policy.code])
        officer_client.post(new, data | {"action": "save"})
        clock.forward(minutes=minutes)
        url = reverse("policies:studio_clause", args=[policy.code, article])
        assert (
            officer_client.post(url, data | {"action": "publish", "note": "纪要"}).status_code
            == 302
        )
    new = reverse("policies:studio_clause_new", args=[policy.code])
    officer_client.post(new, LEVELS | {"action": "save"})  # a draft not published: not counted
    ClauseDraft.objects.create(policy=policy, article=9)  # from before the time was kept: neither
    page = officer_client.get(index).content.decode()
    assert "每条款平均用时 30 分钟（从起草到首次发布，取 3 个已发布条款的中位数）" in page
    # an even count: the mean of the middle two
    ClauseDraft.objects.filter(article=9).update(built_in=dt.timedelta(seconds=40))
    page = officer_client.get(index).content.decode()
    assert "每条款平均用时 20 分钟" in page  # (10 + 30) / 2


def test_a_draft_from_before_the_migration_took_its_last_edit_as_its_start():
    """0008 fills ``created_at`` of the drafts already saved with their ``updated_at``."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("policies.migrations.0008_clause_draft_created_at")
    policy = Policy.objects.create(code="zc-2026-5", doc_number="旧号", title="t", issuer="i",
                                   level="city", issued_on=TODAY, effective_from=TODAY)  # fmt: skip
    draft = ClauseDraft.objects.create(policy=policy, article=1)
    ClauseDraft.objects.filter(pk=draft.pk).update(created_at=timezone.now() + dt.timedelta(days=1))
    migration.created_as_last_edited(apps, None)
    draft.refresh_from_db()
    assert draft.created_at == draft.updated_at and draft.built_in is None


def test_growth_from_the_enterprise_files_figures_is_named_without_its_year_note():
    """The growth of two indicators the enterprise file gives (为我推荐 estimates it): named by
    the indicator, its note in brackets left out."""
    policy = Policy(code="zc-2026-9", doc_number="d", effective_from=TODAY)
    data = GROWTH | {
        "fact1_src": "revenue_year", "fact1_label": "", "fact1_type": "",
        "fact2_src": "revenue_prev_year", "fact2_label": "", "fact2_type": "", "g_label": "",
    }  # fmt: skip
    built = draft_build(policy, data)
    assert not built.problems, built.problems
    assert built.sentence.startswith("营业收入同比增速超过10%的，每增加1个百分点")
    assert built.definition["formula"]["of"]["growth"] == ["revenue_year", "revenue_prev_year"]
    assert all(t.ok for t in built.tests)


def test_a_clause_imported_from_a_file_is_listed_and_edited_in_the_editor(
    officer_client, library, django_capture_on_commit_callbacks
):
    """A policy loaded from a file has clauses without drafts: the studio lists it with its
    clauses, opens one in the YAML mode from its definition in force (article locked, audited), a
    change publishes version 2 of the same clause, and a new clause takes the next free article.
    A clause the programme computes is not opened (its numbers are the rule editor's)."""
    from policies.importing import policy_import
    from portal.core.audit import AuditRecord
    from tests.policies.test_policy_import import POLICY

    policy_import(data=POLICY)
    policy = Policy.objects.get(code="tst-2024-7")
    index = officer_client.get(reverse("policies:studio")).content.decode()
    assert "测试〔2024〕7号" in index
    row = re.search(r"测试〔2024〕7号.*?</tr>", index, re.S).group(0)
    assert "<td>1</td>" in row  # one published clause, no draft
    page = officer_client.get(
        reverse("policies:studio_policy", args=[policy.code])
    ).content.decode()
    open_url = reverse("policies:studio_clause_open", args=[policy.code, 3])
    assert "设备投资补助" in page and open_url in page and "在编辑器中修改" in page
    assert officer_client.get(open_url).status_code == 405  # a change: POST only
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(open_url)
    assert response.status_code == 302
    draft = ClauseDraft.objects.get(policy=policy, article=3)
    assert draft.form["mode"] == "yaml" and "rate: 10%" in draft.form["yaml"]
    assert draft.published_version == policy.clauses.get().versions.get()
    assert AuditRecord.objects.filter(kind="policies.clause_draft_opened").count() == 1
    assert officer_client.post(open_url).status_code == 302  # again: the same draft
    assert ClauseDraft.objects.filter(policy=policy).count() == 1
    clause_url = reverse("policies:studio_clause", args=[policy.code, 3])
    editor = html.unescape(officer_client.get(clause_url).content.decode())
    assert "规模以上工业企业的，按设备投资额的10%给予奖励，最高100万元。" in editor  # its sentence
    assert "readonly" in editor  # the article of a published clause is locked
    form = dict(draft.form)
    form["yaml"] = (
        form["yaml"]
        .replace("rate: 10%", "rate: 12%")
        .replace("amount: '500000'", "amount: '600000'")
    )
    form.update(action="publish", note="测试修订")
    response = officer_client.post(clause_url, form)
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    clause = _one_clause(policy)
    assert [v.number for v in clause.versions.order_by("number")] == [1, 2]
    assert "12" in str(clause.versions.get(number=2).definition["formula"]["rate"])
    new = officer_client.get(reverse("policies:studio_clause_new", args=[policy.code]))
    assert 'value="4"' in new.content.decode()  # the next article after the imported 3
    library_policy = Policy.objects.get(code="zzw-2022-155")
    url = reverse("policies:studio_clause_open", args=[library_policy.code, 2])
    page = officer_client.post(url, follow=True).content.decode()
    assert (
        "政策库内置条款" in page and not ClauseDraft.objects.filter(policy=library_policy).exists()
    )
