"""Every URL that takes an object id, for every role, with an object outside that role's scope.

The rule: never a 200 that shows the object (its enterprise's name, credit code, bank account,
the material's bytes, or any file download), never a 500, and a POST changes nothing. Roles
that may legitimately read an object (``IN_SCOPE``) are only held to "no 500".

``RULES`` names, for every parametrised URL of the resolver, which out-of-scope object to
use; ``PUBLIC`` lists the ones that are public on purpose. A new URL with an id parameter and
no entry makes ``test_every_parametrised_url_has_a_rule`` fail: add a rule, do not skip it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from applications.models import Application, ApplicationEvent, CorrectionItem, Material
from enterprises.models import Enterprise, EnterpriseEvent, Indicator
from finance.models import LedgerEntry, PayableShare, PaymentBatch, PaymentBatchItem
from policies.models import ClauseDraft
from portal.accounts.models import ApiToken
from portal.accounts.tokens import api_token_issue
from proactive.models import MatchRun
from reviews.models import CaseReview, MaterialCheck, Objection
from tests.reauth import reauthenticate
from tests.security.world import (
    FOREIGN_BANK_ACCOUNT,
    FOREIGN_NAME,
    FOREIGN_OBJECTOR_PHONE,
    MATERIAL_MARKER,
    PENDING_NAME,
    ROLES,
    RULE_CLAUSE,
    World,
    build_world,
)

# --- the resolver -----------------------------------------------------------------------


def _walk(patterns, namespace: str = "", params: frozenset = frozenset()) -> Iterator:
    for p in patterns:
        groups = params | frozenset(p.pattern.regex.groupindex)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, ns, groups)
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {p.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), groups


def parametrised_urls() -> dict[str, frozenset]:
    return {name: groups for name, groups in _walk(get_resolver().url_patterns) if groups}


# --- what is out of scope, and who may see it anyway ------------------------------------

CITY_CASE_READERS = {"city_reviewer", "city_finance", "leader", "sys_admin"}
CITY_ENTERPRISE_READERS = {"city_reviewer", "city_finance", "leader", "policy_admin", "sys_admin"}
# finance.permissions.READ_ALL_ROLES at city level (a district leader is held to its district)
FINANCE_OVERSIGHT = {"leader", "sys_admin"}

# kind -> (roles that may legitimately read it, its fingerprints)
KINDS: dict[str, tuple[set[str], Callable[[World], list[bytes]]]] = {}


def _enterprise_fp(w: World) -> list[bytes]:
    return [FOREIGN_NAME.encode(), w.foreign.credit_code.encode(), FOREIGN_BANK_ACCOUNT.encode()]


KINDS = {
    # another district's (二七区) case of another enterprise, in district review
    "case": (CITY_CASE_READERS, lambda w: [*_enterprise_fp(w), MATERIAL_MARKER]),
    "enterprise": (CITY_ENTERPRISE_READERS, _enterprise_fp),
    "pending_enterprise": (
        CITY_ENTERPRISE_READERS,
        lambda w: [PENDING_NAME.encode(), w.pending.credit_code.encode()],
    ),
    # the indicator of another enterprise (the URL acts on "my" enterprise)
    "indicator": (set(), _enterprise_fp),
    # 二七区财政局's share and batch: not the city's, not 金水区's
    "share": (FINANCE_OVERSIGHT, _enterprise_fp),
    "clawback": ({"sys_admin"}, _enterprise_fp),
    "run": ({"policy_admin", "sys_admin"}, _enterprise_fp),
    # another enterprise's 免申即享 proposal: only its own users act on it
    "proposal": (set(), _enterprise_fp),
    # an entry of a notice that has closed: no longer public, for anybody
    "closed_notice_entry": (set(), _enterprise_fp),
    # an objection to the 二七区 case (with the objector's phone): city reviewers triage it
    "objection": (
        CITY_CASE_READERS,
        lambda w: [*_enterprise_fp(w), FOREIGN_OBJECTOR_PHONE.encode()],
    ),
    # the rule editor: policy admins only; any 200 for another role is a leak
    "rule_editor": ({"policy_admin", "sys_admin"}, lambda w: []),
    # the foreign enterprise user's API token: only its owner lists or revokes it
    "api_token": (set(), lambda w: [FOREIGN_TOKEN_NAME.encode()]),
}
FOREIGN_TOKEN_NAME = "外企对接令牌"


def api_token(w, role):
    return [{"token_id": ApiToken.objects.get(name=FOREIGN_TOKEN_NAME).pk}]


@dataclass(frozen=True)
class Rule:
    kind: str
    kwargs: Callable[[World, str], list[dict]]


def case(w, role):
    return [{"pk": w.case.pk}]


def case_check(w, role):
    check = MaterialCheck.objects.filter(application=w.case).first()
    return [{"pk": w.case.pk, "check_id": check.pk if check else 1}]


def material(w, role):
    mine = [{"pk": w.own_case.pk, "material_id": w.material.pk}] if role == "enterprise" else []
    return [{"pk": w.case.pk, "material_id": w.material.pk}, *mine]


def enterprise(w, role):
    return [{"enterprise_id": w.foreign.pk}]


def pending(w, role):
    return [{"enterprise_id": w.pending.pk}]


def share(w, role):
    return [{"share_id": w.share.pk}]


def batch(w, role):
    return [{"batch_id": w.batch.pk}]


def batch_share(w, role):
    return [{"batch_id": w.batch.pk, "share_id": w.share.pk}]


def run(w, role):
    return [{"pk": w.run.pk}]


def objection(w, role):
    return [{"objection_id": w.objection.pk}]


def proposal(w, role):
    return [{"pk": w.proposal.pk}]


def case_document(w, role):
    return [{"pk": w.case.pk, "kind": kind} for kind in ("receipt", "payment-notice")]


def case_rating(w, role):
    """A 差评 of the 二七区 case, to be followed up by 二七区工信局 only."""
    import datetime as dt

    from applications.models import ServiceRating

    rating, _ = ServiceRating.objects.get_or_create(
        application=w.case,
        defaults={
            "enterprise_id": w.case.enterprise_id,
            "user": w.case.created_by,
            "level": 1,
            "comment": "差评",
            "outcome": "rejected",
            "office_level": "district",
            "office_district_id": w.case.district_id,
            "office_name": "二七区工信局",
            "follow_up_due": dt.date(2030, 1, 1),
        },
    )
    return [{"rating_id": rating.pk}]


RULES: dict[str, Rule] = {
    # applications (pages and API)
    "applications:detail": Rule("case", case),
    "applications:edit": Rule("case", case),
    "applications:material_upload": Rule("case", case),
    "applications:material": Rule("case", material),
    "applications:submit": Rule("case", case),
    "applications:withdraw": Rule("case", case),
    "applications:resubmit": Rule("case", case),
    "api-application-detail": Rule("case", case),
    "api-application-materials": Rule("case", case),
    "api-application-submit": Rule("case", case),
    "api-application-withdraw": Rule("case", case),
    "api-application-resubmit": Rule("case", case),
    "api-application-events": Rule("case", case),
    "applications:document": Rule("case", case_document),
    "applications:rate": Rule("case", case),
    "api-application-document": Rule("case", case_document),
    "api-application-rating": Rule("case", case),
    "reviews:rating_follow_up": Rule("case", case_rating),
    # reviews
    "reviews:case": Rule("case", case),
    "reviews:claim": Rule("case", case),
    "reviews:subject": Rule("case", case),
    "reviews:assign": Rule("case", case),
    "reviews:checks": Rule("case", case),
    "reviews:return": Rule("case", case),
    "reviews:approve": Rule("case", case),
    "reviews:reject": Rule("case", case),
    "reviews:override": Rule("case", case),
    "reviews:confirm_raise": Rule("case", case_check),
    "api-review-case": Rule("case", case),
    "api-review-claim": Rule("case", case),
    "api-review-subject": Rule("case", case),
    "api-review-assign": Rule("case", case),
    "api-review-checks": Rule("case", case),
    "api-review-approve": Rule("case", case),
    "api-review-return": Rule("case", case),
    "api-review-reject": Rule("case", case),
    "api-review-raise-confirm": Rule("case", case_check),
    "reviews:notice_object": Rule(
        "closed_notice_entry", lambda w, r: [{"entry_id": w.closed_entry.pk}]
    ),
    "api-review-objection": Rule(
        "closed_notice_entry", lambda w, r: [{"entry_id": w.closed_entry.pk}]
    ),
    # the notice holding the objected 二七区 case: only city reviewers close a notice
    "reviews:notice_close": Rule(
        "objection", lambda w, r: [{"batch_id": w.objection.entry.batch_id}]
    ),
    "reviews:objection_accept": Rule("objection", objection),
    "reviews:objection_dismiss": Rule("objection", objection),
    "api-review-objection-accept": Rule("objection", objection),
    "api-review-objection-dismiss": Rule("objection", objection),
    # enterprises
    "enterprises:detail": Rule("enterprise", enterprise),
    "enterprises:verify": Rule("pending_enterprise", pending),
    "enterprises:reject": Rule("pending_enterprise", pending),
    "enterprises:indicator_delete": Rule(
        "indicator", lambda w, r: [{"indicator_id": w.indicator.pk}]
    ),
    "api-enterprise-detail": Rule("enterprise", enterprise),
    "api-enterprise-verify": Rule("pending_enterprise", pending),
    "api-enterprise-reject": Rule("pending_enterprise", pending),
    "api-enterprise-indicators": Rule("enterprise", enterprise),
    "api-enterprise-facts": Rule("enterprise", enterprise),
    # finance
    "finance:milestone_confirm": Rule("share", share),
    "finance:payee_reverify": Rule("share", share),
    "finance:batch": Rule("share", batch),
    "finance:batch_export": Rule("share", batch),
    "finance:batch_upload_return": Rule("share", batch),
    "finance:batch_mark_paid": Rule("share", batch_share),
    "finance:batch_mark_failed": Rule("share", batch_share),
    "finance:clawback_repayment": Rule("clawback", lambda w, r: [{"clawback_id": w.clawback.pk}]),
    "api-finance-batch": Rule("share", batch),
    "api-finance-payee-reverify": Rule("share", share),
    "api-finance-mark-paid": Rule("share", batch_share),
    "api-finance-mark-failed": Rule("share", batch_share),
    # 免申即享
    "proactive:run": Rule("run", run),
    "proactive:run_resume": Rule("run", run),
    "proactive:run_export": Rule("run", run),
    "api-proactive-run": Rule("run", run),
    "api-proactive-resume": Rule("run", run),
    "api-proactive-run-proposals": Rule("run", run),
    "api-proactive-run-outreach": Rule("run", run),
    "proactive:proposal_confirm": Rule("proposal", proposal),
    "proactive:proposal_decline": Rule("proposal", proposal),
    "api-proactive-confirm": Rule("proposal", proposal),
    "api-proactive-decline": Rule("proposal", proposal),
    # policies: the rule editor is the only non-public policy page with a parameter
    "policies:clause_edit": Rule("rule_editor", lambda w, r: [{"code": RULE_CLAUSE}]),
    # the policy studio: policy admins only (the policy of the rule editor's clause)
    "policies:studio_policy": Rule(
        "rule_editor", lambda w, r: [{"code": RULE_CLAUSE.split("/")[0]}]
    ),
    "policies:studio_clause_new": Rule(
        "rule_editor", lambda w, r: [{"code": RULE_CLAUSE.split("/")[0]}]
    ),
    "policies:studio_clause": Rule(
        "rule_editor", lambda w, r: [{"code": RULE_CLAUSE.split("/")[0], "article": 2}]
    ),
    "policies:studio_clause_open": Rule(
        "rule_editor", lambda w, r: [{"code": RULE_CLAUSE.split("/")[0], "article": 2}]
    ),
    "policies:studio_export": Rule(
        "rule_editor", lambda w, r: [{"code": RULE_CLAUSE.split("/")[0]}]
    ),
    # API tokens
    "accounts:token_revoke": Rule("api_token", api_token),
    "api-token-revoke": Rule("api_token", api_token),
}

# Parametrised URLs that are public on purpose (still requested: never a 500).
PUBLIC: dict[str, tuple[str, Callable[[World], dict]]] = {
    "policies:detail": ("政策库：政策原文公开", lambda w: {"code": "zzw-2022-155"}),
    "policies:clause": ("政策库：条款与申兑指南公开", lambda w: {"code": RULE_CLAUSE}),
    "api-policy-detail": ("政策库 API：公开", lambda w: {"code": "zzw-2022-155"}),
    "api-clause-detail": ("政策库 API：公开", lambda w: {"code": RULE_CLAUSE}),
    "proactive:template": (
        "空白导入模板，参数是数据来源代码而非对象（视图本身限管理员）",
        lambda w: {"source": "tax"},
    ),
}
# Django admin: every view requires is_staff, and only the system administrator has it.
ADMIN_NAMESPACE = "admin"


def test_every_parametrised_url_has_a_rule():
    names = parametrised_urls()
    missing = sorted(
        n
        for n in names
        if n not in RULES and n not in PUBLIC and not n.startswith(f"{ADMIN_NAMESPACE}:")
    )
    assert not missing, (
        "URL patterns with an id parameter and no access rule in "
        f"tests/security/test_access_matrix.py (add one to RULES or PUBLIC): {missing}"
    )
    stale = sorted(n for n in [*RULES, *PUBLIC] if n not in names)
    assert not stale, f"rules for URLs that no longer exist: {stale}"
    assert all(rule.kind in KINDS for rule in RULES.values())


# --- requests ---------------------------------------------------------------------------


def snapshot(w: World) -> tuple:
    """What an out-of-scope request must not change."""
    foreign_cases = Application.objects.filter(enterprise__in=[w.foreign, w.pending])
    return (
        sorted(foreign_cases.values_list("pk", "status", "approved_amount_fen")),
        sorted(
            Enterprise.objects.filter(pk__in=[w.foreign.pk, w.pending.pk]).values_list(
                "pk", "verification_status", "name", "bank_account"
            )
        ),
        Indicator.objects.filter(pk=w.indicator.pk).exists(),
        sorted(
            PayableShare.objects.values_list(
                "pk", "status", "batch_id", "due_date", "payee_bank_account"
            )
        ),
        PaymentBatch.objects.count(),
        sorted(PaymentBatchItem.objects.values_list("pk", "result")),
        sorted(MatchRun.objects.values_list("pk", "status")),
        sorted(ApiToken.objects.values_list("pk", "revoked_at")),
        sorted(Objection.objects.values_list("pk", "status")),
        *(
            m.objects.count()
            for m in (
                ApplicationEvent,
                EnterpriseEvent,
                Material,
                CorrectionItem,
                CaseReview,
                MaterialCheck,
                Objection,
                LedgerEntry,
                ClauseDraft,
            )
        ),
    )


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _leak(response, fingerprints: list[bytes]) -> str:
    if response.status_code != 200:
        return ""
    if "attachment" in response.get("Content-Disposition", ""):
        return "a file download"
    if not fingerprints:
        return "a 200 on a page this role may not open"
    body = _body(response)
    found = [fp.decode(errors="replace") for fp in fingerprints if fp in body]
    return f"the body shows {found}" if found else ""


def _request(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, {})


def _check(w: World, client: Client, role: str, url: str, kind: str, baseline: tuple) -> list[str]:
    """``baseline`` is the state before any request: each one is rolled back afterwards."""
    in_scope_roles, fingerprint = KINDS[kind]
    in_scope = role in in_scope_roles
    problems = []
    for method in ("GET", "POST"):
        with transaction.atomic():  # a POST that went through is undone for the next role
            response = _request(client, method, url)
            if response.status_code >= 500:
                problems.append(f"{role} {method} {url}: {response.status_code}")
            elif not in_scope:
                leak = _leak(response, fingerprint(w))
                if leak:
                    problems.append(f"{role} {method} {url}: 200 with {leak}")
                if method == "POST" and snapshot(w) != baseline:
                    problems.append(
                        f"{role} {method} {url}: {response.status_code} and state changed"
                    )
            transaction.set_rollback(True)
    return problems


def _client(w: World, role: str) -> Client:
    """Logged in and re-authenticated, so the scope checks behind the re-auth gate (mark
    paid, bank return, publish a rule) are exercised too."""
    client = Client(raise_request_exception=False)
    if w.users[role] is not None:
        client.force_login(w.users[role])
        reauthenticate(client)
    return client


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    return private_world(settings, tmp_path)


def private_world(settings, tmp_path) -> World:
    """The small city, its materials stored under ``tmp_path``."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    w = build_world()
    owner = w.foreign.members.get().user
    api_token_issue(user=owner, name=FOREIGN_TOKEN_NAME, days=1, verified=True)
    return w


def test_no_role_reaches_an_object_outside_its_scope(world):
    """One world, every (URL, role, method); all failures are listed together."""
    problems: list[str] = []
    clients = {role: _client(world, role) for role in ROLES}
    baseline = snapshot(world)
    for name, rule in sorted(RULES.items()):
        for role in ROLES:
            for kwargs in rule.kwargs(world, role):
                url = reverse(name, kwargs=kwargs)
                problems += _check(world, clients[role], role, url, rule.kind, baseline)
    assert not problems, "\n".join(problems)


def test_public_parametrised_pages_never_fail(world):
    problems = []
    for name, (_reason, kwargs) in sorted(PUBLIC.items()):
        url = reverse(name, kwargs=kwargs(world))
        for role in ROLES:
            response = _client(world, role).get(url)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_admin_object_pages_are_for_the_system_administrator_only(world):
    """Every parametrised admin URL: a redirect to the login for everyone but sys_admin."""
    names = [n for n in parametrised_urls() if n.startswith(f"{ADMIN_NAMESPACE}:")]
    problems = []
    clients = {role: _client(world, role) for role in ROLES}
    for name in sorted(names):
        groups = parametrised_urls()[name]
        kwargs = {
            g: (world.foreign.pk if g in ("object_id", "content_type_id") else "enterprises")
            for g in groups
        }
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a pattern whose parameters do not take these values
            continue
        for role in ROLES:
            response = clients[role].get(url)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: {response.status_code}")
            elif role != "sys_admin" and response.status_code == 200:
                problems.append(f"{role} GET {url}: 200")
    assert not problems, "\n".join(problems)


CONTROLS = [
    ("city_reviewer", "applications:detail", case),
    ("city_reviewer", "reviews:case", case),
    ("city_reviewer", "applications:material", material),
    ("city_reviewer", "enterprises:detail", enterprise),
    ("leader", "finance:batch", batch),
    ("policy_admin", "proactive:run", run),
]


def test_the_fingerprints_are_on_the_pages_of_roles_in_scope(world):
    """A control: the same request by a role in scope does show the fingerprint, so the
    matrix above would notice a leak rather than pass on a page that never shows it."""
    for role, name, kwargs in CONTROLS:
        url = reverse(name, kwargs=kwargs(world, role)[0])
        response = _client(world, role).get(url)
        assert response.status_code == 200, (role, url)
        body = _body(response)
        assert any(fp in body for fp in KINDS[RULES[name].kind][1](world)), (role, url)
