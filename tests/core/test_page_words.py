"""Every page speaks the users' words (issue 18 item 1).

Logs in as every demo role, visits the pages reachable from its menu (the menu's pages, the
links on them and on the pages they lead to), one case page per state for the enterprise and
for the reviewers, clause pages, the calculator with a result and with an error, the rule
editor and its impact preview, and the admin's index and lists; fails on any programmer's word
in what a person reads: the visible text and the title, placeholder, aria-label and alt
attributes (tags, scripts, styles and other attributes are not read).
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve

from applications.models import Application
from applications.workflow import Status
from demo.cases import demo_cases_load
from demo.enterprises import demo_enterprises_load
from demo.services import DEMO_LOGINS, demo_users_load, demo_windows_open
from enterprises.models import Enterprise
from policies import engine
from policies.loading import policy_library_load
from portal.accounts.models import User
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

# English a page may show: names people know as they are written
ALLOWED_WORDS = {"API", "Excel", "PDF", "kWh", "TOTP", "QR", "ID", "MB", "IP"}
ALLOWED_WORDS |= {"JPG", "PNG", "Word", "doc", "docx", "xls", "xlsx"}  # file kinds of uploads
ALLOWED_WORDS |= {"YAML", "yaml", "yml"}  # the policy file's format (政策编辑器, 政策文件导入)
ALLOWED_WORDS |= {"GB"}  # 国家标准 numbers: GB/T 4754-2017
ALLOWED_WORDS |= {"Authorization", "Token"}  # the API token page names the header to send
# login names are typed in English letters (the member list and the admin's header show them)
LOGIN_NAMES = {login.username for login in DEMO_LOGINS}

SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/accounts/logout", "/health/")
SKIP_SUFFIXES = (".xlsx", ".pdf", ".csv", ".txt", ".zip")
# pages that download or only act (a GET there is not a page of text)
SKIP_NAMES = {
    "applications:material",
    "enterprises:indicators_template",
    "reviews:queue_export",
    "dashboards:export",
    "finance:batch_export",
    "finance:batch_bank_file",
    "admin:logout",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:password_change",
    "admin:password_change_done",
}
PER_NAME = 4  # instances of one page kind (e.g. four case pages from a list)
DEPTH = 3  # menu page -> its links -> theirs

RESULT_ROWS = re.compile(r'(<table id="result_list">.*?<tbody>).*?(</tbody>)', re.S)
FILTER_CHOICES = re.compile(r'<nav id="changelist-filter".*?</nav>', re.S)  # stored values
ATTRS = ("title", "placeholder", "aria-label", "alt")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _read(html: str) -> tuple[str, list[str]]:
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split()), reader.links


def _policy_words() -> set[str]:
    """English the policies themselves use (工业APP, MEMS, AA级): the text is quoted as issued."""
    from policies.models import Clause, Policy

    texts = list(Policy.objects.values_list("title", "original_text"))
    texts += list(Clause.objects.values_list("title", "original_text"))
    return {w for pair in texts for t in pair for w in WORD.findall(t or "")}


def _codes() -> set[str]:
    """The engine's fact and parameter names."""
    names: set[str] = set()
    for code in engine.clause_codes():
        meta = engine.get_clause(code)
        names.update(s.name for s in meta.facts)
        names.update(s.name for s in meta.params)
    return names


PATTERNS = [
    (re.compile(r"\b(True|False|None)\b"), "Python 值"),
    (re.compile(r"\{\s*'|\[\s*'|\{\s*\"|'\s*:\s*'"), "dict/list 原样"),
    (re.compile(r">=|<=|!=|=="), "比较符"),
    (re.compile(r"\b[a-z]+-\d{4}-\d+(/\d+)?\b"), "条款代码"),
    (re.compile(r"\b[A-Za-z]+[A-Za-z0-9]*_[A-Za-z0-9_]+\b"), "字段代码"),
    (re.compile(r"\b[A-Z][A-Za-z]+\.[a-z_]+\b"), "模型字段"),
    (re.compile(r"#\d+"), "编号"),
    (re.compile(r"(?<![\d,.])\d{5,}(\.\d+)?\s*元"), "金额未分组"),
]
WORD = re.compile(r"(?<![A-Za-z0-9_.@-])[A-Za-z]{2,}(?![A-Za-z0-9_@-])")


def offences(text: str, *, codes: set[str], allowed: set[str] = frozenset()) -> list[str]:
    found = []
    for pattern, why in PATTERNS:
        for m in pattern.finditer(text):
            found.append(f"{why}: …{text[max(0, m.start() - 30) : m.end() + 30]}…")
    for m in WORD.finditer(text):
        word = m.group(0)
        if word in ALLOWED_WORDS or word in allowed:
            continue
        why = "字段代码" if word in codes else "英文"
        found.append(f"{why} {word!r}: …{text[max(0, m.start() - 30) : m.end() + 30]}…")
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo (every role's login, four enterprises, six cases, 155号 open; its returned case
    corrected and resubmitted) plus one case of qiye's in each state the demo no longer has;
    rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        policy_library_load()
        demo_users_load()
        demo_enterprises_load()
        demo_windows_open()
        demo_cases_load()
        _correct_and_resubmit(Application.objects.get(status=Status.RETURNED))  # 补正 round 2
        _pay_in_a_batch(Application.objects.get(status=Status.DETERMINED))  # finance's pages
        qiye = User.objects.get(username="qiye")
        enterprise = Enterprise.objects.get(members__user=qiye)
        seen = set(Application.objects.values_list("status", flat=True))
        for n, status in enumerate(s for s in Status if s not in seen):
            ApplicationFactory(
                enterprise=enterprise, status=status, period=str(2015 + n), created_by=qiye
            )
        yield {s: pk for pk, s in Application.objects.values_list("pk", "status")}
        transaction.set_rollback(True)


def _correct_and_resubmit(case: Application) -> None:
    """The enterprise answers every correction item (a new file, a changed figure) and resubmits:
    the reviewer's page then shows 本轮补正事项 with before and after."""
    from applications import services
    from tests.factories.applications import pdf

    user = case.created_by
    facts = dict(case.facts)
    for item in case.corrections.all():
        if item.kind == "material":
            services.material_upload(application=case, user=user, item=item.target, file=pdf())
        else:
            facts[item.target] = "1500000000"
    services.application_update_draft(application=case, user=user, facts=facts)
    services.application_resubmit(application=case, user=user)


def _pay_in_a_batch(case: Application) -> None:
    """The determined award's shares, the city's in a payment batch of 市财政局 (shicz)."""
    from finance.services.batches import payment_batch_create
    from finance.services.payables import payables_create_for_application

    payables_create_for_application(application=case)
    shares = [s for p in case.payables.all() for s in p.shares.all() if s.payer_level == "city"]
    payment_batch_create(actor=User.objects.get(username="shicz"), share_ids=[shares[0].pk])


def _name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _admin_list(name: str) -> bool:
    """The admin's index, app pages and lists (its edit forms are not read here)."""
    return name in ("admin:index", "admin:app_list") or name.endswith("_changelist")


def _crawl(client, starts: list[str], *, extra_allowed: set[str]) -> tuple[list[str], list[str]]:
    codes = _codes()
    queue = deque((url, 0) for url in starts)
    seen: set[str] = set()
    per_name: dict[str, int] = {}
    visited, problems = [], []
    while queue:
        url, depth = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if (
            url in seen
            or parts.path.startswith(SKIP_PREFIXES)
            or parts.path.endswith(SKIP_SUFFIXES)
        ):
            continue
        seen.add(url)
        name = _name(parts.path)
        if name is None or name in SKIP_NAMES:
            continue
        if name.startswith("admin:") and not _admin_list(name):
            continue
        if per_name.get(name, 0) >= PER_NAME and url not in starts:
            continue
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: 服务器错误 {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_name[name] = per_name.get(name, 0) + 1
        visited.append(url)
        html = response.content.decode()
        if name.startswith("admin:"):  # the admin's own words, not the records it lists
            html = RESULT_ROWS.sub(r"\1\2", html)
            html = FILTER_CHOICES.sub(lambda m: re.sub(r"<ul>.*?</ul>", "", m[0], flags=re.S), html)
        text, links = _read(html)
        problems += [f"{url}: {o}" for o in offences(text, codes=codes, allowed=extra_allowed)]
        if depth < DEPTH:
            queue.extend((link.split("#")[0], depth + 1) for link in links if link)
    return visited, problems


def _form_pages(client, role: str, cases: dict[str, int]) -> list[str]:
    """Pages reached by a form, checked here: calculator result and error, rule preview."""
    codes, problems = _codes(), []
    pages = []
    if role in ("qiye", "zhengce", "shigxj"):
        answers = {
            "result": {
                "policy": "zzw-2022-155",
                "signed_and_started_q1_2023": "on",
                "contract_investment": "1200000000",
            },
            "error": {"policy": "zzw-2022-155", "contract_investment": "一百万"},
        }
        for what, data in answers.items():
            response = client.post("/policies/calculator/", data)
            assert response.status_code == 200
            pages.append(f"/policies/calculator/ ({what})")
            text, _ = _read(response.content.decode())
            problems += [f"calculator {what}: {o}" for o in offences(text, codes=codes)]
    if role == "zhengce":  # the rule editor's impact preview, with the demo's cases in it
        for code in ("zzw-2022-155/5", "zzw-2022-155/12"):
            url = f"/policies/clauses/{code}/edit/"
            form = client.get(url).context["form"]
            data = {n: f.initial if f.initial is not None else "" for n, f in form.fields.items()}
            data.update(effective_from="2026-01-01", action="preview")
            response = client.post(url, data)
            assert response.status_code == 200 and response.context["impact"]
            pages.append(f"{url} (预览影响)")
            text, _ = _read(response.content.decode())
            problems += [f"{url} preview: {o}" for o in offences(text, codes=codes)]
    return pages, problems


ROLES = [login.username for login in DEMO_LOGINS]


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role_speaks_the_users_words(client, world, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    home = client.get("/")
    starts = ["/"] + [url for _entry, url, _count in home.context["role_nav"]]
    if user.role == "enterprise":
        starts += [f"/applications/{pk}/" for pk in world.values()]
    elif user.role in ("district_reviewer", "city_reviewer", "leader", "sys_admin"):
        starts += [f"/reviews/cases/{pk}/" for pk in world.values()]
    starts += ["/policies/clauses/zzw-2022-155/4/", "/policies/clauses/zzw-2022-155/5/"]
    if user.role == "policy_admin":
        starts += ["/policies/clauses/zzw-2022-155/4/edit/"]
    if user.is_superuser:
        starts += ["/admin/"]
    visited, problems = _crawl(client, starts, extra_allowed=_policy_words() | LOGIN_NAMES)
    forms, more = _form_pages(client, username, world)
    assert len(visited) > 5
    print(f"{username}: {len(visited) + len(forms)} pages", *visited, *forms, sep="\n  ")
    assert not problems + more, "\n".join(problems + more)
