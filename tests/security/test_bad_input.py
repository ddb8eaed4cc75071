"""Hostile input gives a clear answer, never a 500: digits other than 0-9 ("²", "٣", "１２"),
numbers no key reaches, NUL characters, absurd exponents, bidi controls.

The reported cases first, then a walk over every page of the site (and the API's lists) as
every role with each bad value in every parameter a page reads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.factories.applications import (
    DISTRICT_CLAUSE,
    GOOD_FACTS,
    ApplicationFactory,
    open_window,
)
from tests.factories.enterprises import enterprise_with_user

BAD = ["²", "٣", "１２", "9" * 30, "\x00", "a\x00b", "1e999999", "-1", "\u202e1", "NaN"]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clause(library):
    return open_window(DISTRICT_CLAUSE)


@pytest.fixture
def own_case(enterprise_user, clause):
    enterprise = enterprise_with_user(enterprise_user, district_code="jinshui")
    return ApplicationFactory(enterprise=enterprise, clause=clause)


# --- the reported cases -----------------------------------------------------------------


@pytest.mark.parametrize("value", BAD)
def test_notification_id_that_is_no_ascii_number(enterprise_user, own_case, value):
    client = _client(enterprise_user)
    response = client.post(reverse("applications:notifications"), {"id": value})
    assert response.status_code == (400 if "\x00" in value else 302)


@pytest.mark.parametrize("value", BAD)
def test_audit_case_number_with_other_digits(sys_admin, own_case, value):
    response = _client(sys_admin).get(reverse("reviews:audit"), {"case": f"HQ2026-{value}"})
    if "\x00" in value:  # refused before any view (RefuseNulMiddleware)
        assert response.status_code == 400
    else:
        assert response.status_code == 200 and response.context["page"].paginator.count == 0


@pytest.mark.parametrize("value", BAD)
def test_queue_page_that_is_no_page(district_reviewer, own_case, value):
    response = _client(district_reviewer).get(reverse("reviews:queue"), {"page": value})
    assert response.status_code == (400 if "\x00" in value else 200)


@pytest.mark.parametrize("value", BAD)
def test_clause_code_with_a_nul(enterprise_user, library, value):
    client = _client(enterprise_user)
    assert client.get(f"/policies/clauses/{value}/").status_code == 404
    assert client.get(f"/policies/clauses/{value}/edit/").status_code in (403, 404)
    response = client.get(f"/api/v1/clauses/{value}/")
    assert response.status_code == 404 and "errors" in response.json()


@pytest.mark.parametrize("value", ["1e999999", "-1e999999", "1E+400", "Infinity", "NaN"])
def test_calculator_refuses_absurd_numbers(enterprise_user, library, value):
    client = _client(enterprise_user)
    facts = {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": value}
    response = client.post(
        "/api/v1/calculator/",
        {"clause": DISTRICT_CLAUSE, "facts": facts},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "contract_investment" in str(response.json()["errors"])


@pytest.mark.parametrize(
    "facts",
    [
        {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": "12\x0000"},  # NUL
        {**GOOD_FACTS[DISTRICT_CLAUSE], "not_a_fact_of_this_clause": "1"},
        {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": {"nested": ["x"] * 3}},
        {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": "9" * 5000},
    ],
    ids=["nul", "foreign-key", "nested", "long"],
)
def test_draft_facts_are_the_clauses_facts_only(enterprise_user, own_case, facts):
    client = _client(enterprise_user)
    before = dict(own_case.facts)
    response = client.patch(
        f"/api/v1/applications/{own_case.pk}/", {"facts": facts}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    own_case.refresh_from_db()
    assert own_case.facts == before


def test_draft_with_an_absurd_exponent_is_an_error_on_the_fact(enterprise_user, own_case):
    client = _client(enterprise_user)
    facts = {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": "1e999999"}
    response = client.patch(
        f"/api/v1/applications/{own_case.pk}/", {"facts": facts}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "过大" in str(response.json()["errors"])


def test_a_draft_created_with_an_absurd_exponent_is_no_500(enterprise_user, clause):
    enterprise_with_user(enterprise_user, district_code="jinshui")
    facts = {**GOOD_FACTS[DISTRICT_CLAUSE], "contract_investment": "1e999999"}
    response = _client(enterprise_user).post(
        "/api/v1/applications/",
        {"clause": DISTRICT_CLAUSE, "period": "2023", "facts": facts},
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content


@pytest.mark.parametrize("period", ["20٢٣", "2023²", "²０23", "２０２³"])
def test_a_period_is_ascii_digits(enterprise_user, clause, period):
    enterprise_with_user(enterprise_user, district_code="jinshui")
    response = _client(enterprise_user).post(
        "/api/v1/applications/",
        {"clause": DISTRICT_CLAUSE, "period": period, "facts": {}},
        content_type="application/json",
    )
    assert response.status_code == 400 and "period" in response.json()["errors"]


def test_a_full_width_period_is_read_as_ascii(enterprise_user, clause):
    """What a Chinese input method types ("２０２３") is the same period, never a new one."""
    enterprise_with_user(enterprise_user, district_code="jinshui")
    response = _client(enterprise_user).post(
        "/api/v1/applications/",
        {"clause": DISTRICT_CLAUSE, "period": "２０２３", "subject": "项目A", "facts": {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["period"].isascii()


# --- account and phone numbers, names ---------------------------------------------------


def _register(**overrides):
    from enterprises import services
    from portal.accounts.models import District
    from tests.factories.enterprises import valid_credit_code

    data = {
        "credit_code": valid_credit_code(778),
        "name": "郑州注册测试有限公司",
        "district": District.objects.get(code="jinshui"),
        "industry_division": "34",
        "above_scale": True,
        "legal_representative": "王五",
        "contact_name": "赵六",
        "contact_mobile": "13912345678",
        "bank_name": "中国银行郑州金水支行",
        "bank_account": "6217000010002000",
        "bank_account_name": "郑州注册测试有限公司",
        **overrides,
    }
    return services.enterprise_register(
        user_data={"username": "newco", "password": "Qiye@2026!x"}, enterprise_data=data
    )


def test_full_width_account_and_phone_digits_are_stored_as_ascii(db):
    enterprise = _register(
        bank_account="６２１７ ０００ ０１０ ００２ ０００",
        contact_mobile="１３９１２３４５６７８",
        credit_code=valid_code_full_width(),
    )
    assert enterprise.bank_account == "6217000010002000"
    assert enterprise.contact_mobile == "13912345678"
    assert enterprise.credit_code.isascii()
    assert enterprise.members.get().user.mobile == "13912345678"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_account", "٦٢١٧٠٠٠٠١٠٠٠٢٠٠٠"),  # Arabic-Indic
        ("bank_account", "6217²00010002000"),
        ("contact_mobile", "١٣٩١٢٣٤٥٦٧٨"),
        ("contact_mobile", "1391234567²"),
    ],
)
def test_other_digits_in_account_and_phone_are_refused(db, field, value):
    from enterprises.models import Enterprise
    from portal.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        _register(**{field: value})
    assert field in exc.value.errors
    assert not Enterprise.objects.exists()


def test_direction_controls_are_stripped_from_names(db):
    enterprise = _register(
        name="郑州\u202e司公限有\u202c测试有限公司",
        contact_name="赵\u2066六\u2069",
        legal_representative="\u200f王五",
        bank_account_name="郑州\u202e司公限有\u202c测试有限公司",
    )
    assert enterprise.name == "郑州司公限有测试有限公司" == enterprise.bank_account_name
    assert (enterprise.contact_name, enterprise.legal_representative) == ("赵六", "王五")
    assert enterprise.members.get().user.name == "赵六"


def valid_code_full_width() -> str:
    import unicodedata

    from tests.factories.enterprises import valid_credit_code

    code = valid_credit_code(779)
    # the full-width form of each character (what a Chinese input method types)
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code)
    assert unicodedata.normalize("NFKC", wide) == code and wide != code
    return wide


# --- the walk: every page, every role, every bad value ----------------------------------

# every query parameter a page or API list of the portal reads
QUERY = ("page", "opage", "case", "q", "status", "district", "policy", "clause", "period",
         "after", "id", "sort", "month_from", "month_to", "amount_min", "amount_max", "stage",
         "flag", "year", "source", "enterprise", "actor", "action", "since", "until",
         "application", "assignee", "payer", "batch", "edit", "export", "format", "search",
         "ordering", "cursor", "level", "urgency", "due", "credit_code", "name")  # fmt: skip
# and the form fields posted to the pages
FORM = ("id", "facts", "amount", "reason", "comment", "name", "contact_name", "contact_mobile",
        "mobile", "bank_account", "bank_name", "credit_code", "period", "clause", "policy",
        "item", "value", "source", "cases", "assignee", "voucher_no", "paid_on", "due_date",
        "finding", "username", "district", "industry_division", "title", "opens_on",
        "window_days", "next")  # fmt: skip
WALK_BAD = ["²", "٣", "１２", "9" * 30, "\x00", "1e999999", "\u202e1", "-1"]
POST_BAD = ["²", "9" * 30, "\x00", "1e999999"]  # in every parameter at once: the four kinds
# pages that end or change the session itself
SESSION = {"accounts:logout", "accounts:login", "accounts:reauth", "accounts:otp",
           "accounts:password_change", "admin:logout", "admin:login"}  # fmt: skip


def _patterns() -> list[tuple[str, frozenset]]:
    from tests.security.test_access_matrix import _walk

    found = []
    for name, groups in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in SESSION or name.startswith("<unnamed"):
            continue
        found.append((name, groups))
    return sorted(found)


def _urls(name: str, groups: frozenset) -> list[str]:
    """The URL, or for a parametrised one, the URL with each bad value in its parameters
    (an int converter takes ASCII digits only: 30 of them)."""
    if not groups:
        return [reverse(name)]
    urls = []
    for value in WALK_BAD:
        try:
            urls.append(reverse(name, kwargs=dict.fromkeys(groups, value)))
        except NoReverseMatch:  # the converter does not take this value
            continue
    return urls


@pytest.fixture
def world(db, settings, tmp_path):
    from tests.security.world import build_world

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return build_world()


def test_no_page_answers_a_bad_value_with_a_500(world):
    """GET every page (and API URL) as every role, with each bad value in every query
    parameter, and POST each bad value in every form field; all 500s are listed together."""
    from tests.reauth import reauthenticate

    problems: list[str] = []
    patterns = _patterns()
    for role, user in world.users.items():
        client = _client(user)
        if user is not None:
            reauthenticate(client)
        for name, groups in patterns:
            for url in _urls(name, groups):
                plain = client.get(url)
                if plain.status_code >= 500:
                    problems.append(f"{role} GET {url!r}: {plain.status_code}")
                    continue
                if groups or plain.status_code not in (200, 405):
                    continue  # not this role's page: nothing behind it reads parameters
                values = POST_BAD if plain.status_code == 200 else []
                for value in values:
                    # every parameter at once, and the page alone (a filter form that finds
                    # one bad value invalid may never read the others)
                    for query in (dict.fromkeys(QUERY, value), {"page": value}):
                        response = client.get(url, query)
                        if response.status_code >= 500:
                            shown = "…" if len(query) > 1 else "page"
                            problems.append(
                                f"{role} GET {url}?{shown}={value!r}: {response.status_code}"
                            )
                for value in POST_BAD:
                    response = client.post(url, dict.fromkeys(FORM, value))
                    if response.status_code >= 500:
                        problems.append(f"{role} POST {url} …={value!r}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value", ["1e999999", "²", "9" * 30])
def test_the_rule_editor_refuses_absurd_parameters(library, policy_admin, value):
    """Every clause with parameters, every field of its editor: an error, never a 500."""
    from policies import selectors
    from policies.models import Clause

    client = _client(policy_admin)
    failed = []
    for clause in Clause.objects.order_by("code"):
        meta = selectors.clause_meta(clause.code)
        if meta is None or not meta.params:
            continue
        url = reverse("policies:clause_edit", args=[clause.code])
        fields = client.get(url).context["form"].fields
        response = client.post(
            url, {**dict.fromkeys(fields, value), "effective_from": "2030-01-01"}
        )
        if response.status_code != 200 or not response.context["form"].errors:
            failed.append((clause.code, response.status_code))
    assert not failed, failed


def test_ids_in_other_digits_find_nothing(enterprise_user, own_case):
    """int() reads "٣" and "１" as digits; an id is ASCII digits only, so the same case written
    in Arabic-Indic or full-width digits is not found (404), in the services and the API."""
    from applications.selectors import access_application
    from portal.core.errors import NotFound

    other_digits = str(own_case.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    full_width = str(own_case.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert access_application(enterprise_user, str(own_case.pk)) == own_case
    for value in (other_digits, full_width):
        with pytest.raises(NotFound):
            access_application(enterprise_user, value)
        response = _client(enterprise_user).get(f"/api/v1/applications/{value}/")
        assert response.status_code == 404
