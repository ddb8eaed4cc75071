"""The policy studio's 从政策文件导入 (issue 20): a policy officer uploads a policy file (the
``import_policy`` format), sees a preview (policy, clauses, each rule as a Chinese sentence, its
test cases run), confirms after re-authenticating, and the clauses are in the library, audited;
a bad file changes nothing and says why in Chinese words; other roles are refused."""

from __future__ import annotations

import copy
import html
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies.models import Clause, ClauseRuleVersion, Policy
from policies.studio_import import MAX_BYTES
from portal.accounts.models import Role
from portal.core.audit import AuditRecord
from tests.factories.accounts import UserFactory
from tests.policies.test_policy_import import POLICY
from tests.reauth import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/policies/studio/import/"


def _file(data: dict | str | bytes, name: str = "政策.yaml") -> SimpleUploadedFile:
    if isinstance(data, dict):
        data = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    content = data.encode("utf-8") if isinstance(data, str) else data
    return SimpleUploadedFile(name, content, content_type="application/x-yaml")


def _counts() -> tuple[int, int, int]:
    return Policy.objects.count(), Clause.objects.count(), ClauseRuleVersion.objects.count()


def _errors(page: str) -> str:
    box = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
    return box.group(1) if box else ""


@pytest.fixture
def officer(client, policy_admin):
    client.force_login(policy_admin)
    return client


def test_a_good_file_is_previewed_then_imported_after_reauth(
    officer, policy_admin, django_capture_on_commit_callbacks
):
    assert reverse("policies:studio_import") == URL
    assert URL in officer.get(reverse("policies:studio")).content.decode()
    response = officer.post(URL, {"file": _file(POLICY)})
    page = response.content.decode()
    assert response.status_code == 200 and not _errors(page)
    assert "测试〔2024〕7号" in page and "将新建此政策" in page
    assert "第3条" in page and "设备投资补助" in page
    assert "规模以上工业企业的，按设备投资额的10%给予奖励，最高100万元。" in page
    assert "1个，全部通过" in page and "新条款" in page and "确认导入" in page
    assert _counts() == (0, 0, 0)  # the preview writes nothing

    text = re.search(r'<textarea name="text" hidden>(.*?)</textarea>', page, re.S).group(1)
    confirm = {"action": "confirm", "file_name": "政策.yaml", "text": html.unescape(text)}
    response = officer.post(URL, confirm)  # not re-authenticated yet: asked for the password
    assert response.status_code == 302 and "/accounts/reauth/" in response.url
    assert _counts() == (0, 0, 0)

    # the password, then the "continue" page carries the file's text as it was confirmed
    page = officer.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": "/"})
    page = page.content.decode()
    assert "导入政策" in page and "政策.yaml" in page
    kept = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert html.unescape(kept["text"]) == confirm["text"] and kept["action"] == "confirm"
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(URL, {k: html.unescape(v) for k, v in kept.items()})
    assert response.status_code == 302 and response.url == reverse(
        "policies:detail", args=["tst-2024-7"]
    )
    clause = Clause.objects.get(code="tst-2024-7/3")
    assert clause.versions.get().created_by == policy_admin
    record = AuditRecord.objects.get(kind="policies.policy_imported")
    assert record.actor == policy_admin.username and "政策.yaml" in record.data["source"]
    detail = officer.get(response.url).content.decode()
    assert "已导入政策 测试〔2024〕7号：1个条款，新建规则版本1个" in detail
    assert "设备投资补助" in detail
    library = officer.get(reverse("policies:list")).content.decode()
    assert "测试〔2024〕7号" in library

    # the same file again: the preview says nothing changes
    page = officer.post(URL, {"file": _file(POLICY)}).content.decode()
    assert "政策库中已有此政策" in page and "无变化" in page


# "billion laughs": nine levels of nine aliases, a few hundred bytes standing for 9**9 values
LAUGHS = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


def _failing_test() -> dict:
    data = copy.deepcopy(POLICY)
    data["clauses"][0]["definition"]["tests"] = [
        {"why": "投资500万", "facts": {"qualified": True, "equipment": "5000000"}, "amount": "40万"}
    ]
    return data


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_file(POLICY, name="政策.txt"), "不是政策文件：请上传 .yaml 或 .yml 文件"),
        (_file(b"a: 1\n" + b"#" * MAX_BYTES), "超过1MB"),
        (_file(yaml.safe_dump(POLICY, allow_unicode=True).encode("gbk")), "不是UTF-8编码"),
        (_file("code: [unclosed\ntitle: x\n"), "第2行格式有误（不是有效的YAML）"),
        (_file("- 只是一个列表\n"), "应为一项政策"),
        (_file(""), "是空的"),
        (_file(LAUGHS), "锚点 &amp; 与引用 * 用得过多"),
        (_file("code: &me [x, *me]\n"), "嵌套层数过多"),  # a list inside itself: endless
        (
            _file(_failing_test()),
            "第1个测试用例（投资500万）：应得400000.00元，按定义算得500000.00元",
        ),
    ],
    ids=["type", "size", "encoding", "yaml", "list", "empty", "aliases", "self", "test-case"],
)
def test_a_bad_file_changes_nothing_and_says_why_in_chinese(officer, upload, message):
    response = officer.post(URL, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in _errors(page) and "未作任何修改" in page
    assert "确认导入" not in page
    assert _counts() == (0, 0, 0)


def test_no_file_chosen_is_said_in_chinese(officer):
    assert "请选择政策文件" in _errors(officer.post(URL, {}).content.decode())


def test_a_confirmed_text_is_validated_again_and_nothing_is_written(officer, reauth):
    reauth(officer)
    text = yaml.safe_dump(_failing_test(), allow_unicode=True)
    page = officer.post(URL, {"action": "confirm", "file_name": "x.yaml", "text": text})
    assert "应得400000.00元，按定义算得500000.00元" in _errors(page.content.decode())
    assert _counts() == (0, 0, 0)
    assert not AuditRecord.objects.filter(kind="policies.policy_imported").exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER])
def test_other_roles_cannot_import(client, role, reauth):
    user = UserFactory(
        username=f"u_{role}",
        role=role,
        district_code="jinshui" if role == Role.DISTRICT_REVIEWER else "",
    )
    client.force_login(user)
    reauth(client)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": _file(POLICY)}).status_code == 403
    text = yaml.safe_dump(POLICY, allow_unicode=True)
    confirm = {"action": "confirm", "file_name": "x.yaml", "text": text}
    assert client.post(URL, confirm).status_code == 403
    assert _counts() == (0, 0, 0)


def test_anonymous_is_sent_to_login(client):
    response = client.post(URL, {"file": _file(POLICY)})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert _counts() == (0, 0, 0)


def test_a_clause_computed_by_the_programme_is_previewed_and_imported(officer, reauth):
    """A file may list a clause the engine computes in Python (no definition): the preview says
    so instead of a sentence, and the import loads it as the library loader does."""
    data = {
        "code": "zzw-2022-155", "doc_number": "郑政文〔2022〕155号", "title": "增产增效",
        "issuer": "郑州市人民政府", "level": "市", "issued_on": "2022-12-01",
        "clauses": [{"code": "zzw-2022-155/2", "article": 2, "title": "一季度增产增效奖励"}],
    }  # fmt: skip
    page = officer.post(URL, {"file": _file(data)}).content.decode()
    assert not _errors(page) and "按程序中已有的计算规则" in page and "新条款" in page
    assert "没有测试用例" not in page
    reauth(officer)
    text = yaml.safe_dump(data, allow_unicode=True)
    response = officer.post(URL, {"action": "confirm", "file_name": "a.yaml", "text": text})
    assert response.status_code == 302
    assert Clause.objects.get(code="zzw-2022-155/2").versions.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": ["市"]}, "层级「['市']」应为"),
        ({"interpreting_departments": 5}, "解释部门应为文字列表"),
        ({"supersedes": "文" * 101}, "废止/替代的文件不超过100个字"),
        ({"code": "tst-2024-" + "7" * 40}, "过长（不超过36个字符）"),
        ({"article": 40000}, "条款编码「tst-2024-7/40000」过长，或条号不在1至999之间"),
        ({"definition": {"stacking": {"paid_per": ["year"]}}}, "兑现频次应为"),
        ({"definition": {"combine": ["sum"]}}, "各项如何合并"),
        ({"definition": {"formula": {"type": ["percent"]}}}, "计算块类型「['percent']」不认识"),
        (
            {"definition": {"formula": {"type": "percent", "of": "equipment", "rate": None}}},
            "第1个条款（第3条）：计算公式：按比例块缺少：比例",
        ),
        (
            {
                "definition": {
                    "formula": {"type": "percent", "of": "equipment", "rate": None},
                    "tests": [],
                }
            },
            "第1个条款（第3条）：计算公式：按比例块缺少：比例",
        ),
    ],
    ids=[
        "level-list",
        "departments-int",
        "supersedes-long",
        "code-long",
        "article-large",
        "paid-per-list",
        "combine-list",
        "type-list",
        "rate-null",
        "rate-null-no-tests",
    ],
)
def test_a_value_of_an_unexpected_type_is_a_message_not_an_error_page(officer, change, message):
    data, change = copy.deepcopy(POLICY), copy.deepcopy(change)
    definition = change.pop("definition", None)
    data.update(change)
    if definition:
        data["clauses"][0]["definition"].update(definition)
    if "article" in change:  # the clause's article and code
        article = data.pop("article")
        data["clauses"][0].update(article=article, code=f"tst-2024-7/{article}")
    response = officer.post(URL, {"file": _file(data)})
    assert response.status_code == 200
    assert message in html.unescape(_errors(response.content.decode()))
    assert _counts() == (0, 0, 0)


def test_a_defined_clause_without_test_cases_is_said_so_in_the_preview(officer):
    data = copy.deepcopy(POLICY)
    data["clauses"][0]["definition"]["tests"] = []
    page = officer.post(URL, {"file": _file(data)}).content.decode()
    assert not _errors(page) and "没有测试用例" in page


def test_an_officer_downloads_a_policy_file_that_imports_back_unchanged(officer):
    """The library page offers officers the policy's file (a pattern for a new one); the download
    is audited; other roles get 403 and no link; the file imports back with nothing changed."""
    from django.test import Client

    from policies.importing import policy_import

    policy_import(data=POLICY)
    detail = officer.get(reverse("policies:detail", args=["tst-2024-7"])).content.decode()
    url = reverse("policies:studio_export", args=["tst-2024-7"])
    assert url in detail and "下载政策文件" in detail
    response = officer.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tst-2024-7.yaml"'
    text = response.content.decode()
    assert "设备投资补助" in text and "definition:" in text
    assert AuditRecord.objects.filter(kind="export.policy_file", object_ref="policy:tst-2024-7")
    preview = officer.post(URL, {"file": _file(text.encode())}).content.decode()
    assert not _errors(preview) and "无变化" in preview
    other = Client()
    other.force_login(UserFactory(role=Role.ENTERPRISE))
    assert other.get(url).status_code == 403
    assert url not in other.get(reverse("policies:detail", args=["tst-2024-7"])).content.decode()
    assert officer.get(reverse("policies:studio_export", args=["nope-2024-1"])).status_code == 404
