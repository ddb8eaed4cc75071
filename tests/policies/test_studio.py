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
