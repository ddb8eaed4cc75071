"""Schemathesis over every operation of the served OpenAPI schema, as a user of every role.

The schema is fetched from the app itself (``/api/schema/``, in-process through WSGI: no
server). Two bounded, deterministic runs over every operation:

- ``test_api_inputs``: schemathesis' coverage phase (boundary values, missing and wrongly
  typed fields, every enum value) and the schema's examples, sent as the role(s) the
  operation is for (``OWNERS``), so the input reaches the validation and the services;
- ``test_api_roles``: generated valid and invalid requests as every role and anonymously.

Path ids are steered to real objects of a small city (``api_world.py``): each one in turn,
then one generated id. Every answer must be:

- never a server error: bad input gets a 400 with a Chinese message;
- documented: its status code, content type and body match the schema;
- never a 2xx for a change to another enterprise's data by a role outside its scope (the
  access matrix covers every id URL with empty bodies; this adds generated bodies).

Not checked: that the API refuses every value the schema calls invalid. DRF reads input
leniently on purpose (``0`` for a text field is ``"0"``, an empty optional form field is no
field, a bad ``page_size`` means the default), and none of that is an error.

Each call runs in a savepoint that is rolled back, so every example starts from the same city.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts.tokens import api_token_issue
from tests.conftest import PASSWORD
from tests.security.api_world import PathValues, build_api_world, path_values
from tests.security.world import ROLES, World

pytestmark = pytest.mark.schemathesis

SEED = 20260409
TOKENS: dict[str, str] = {}  # role -> API token key of the world's user
GENERATION = {"deterministic": True, "no-shrink": True, "database": "none"}
INPUTS = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": GENERATION,
        "phases": {"fuzzing": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
ROLES_CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {**GENERATION, "max-examples": 4},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
REAUTH_HEADER = "X-Reauth-Password"

# Who each operation is for (the longest matching path prefix wins).
OWNERS: dict[str, tuple[str, ...]] = {
    "/api/v1/applications/": ("enterprise",),
    "/api/v1/calculator/": ("enterprise",),
    "/api/v1/clauses/": ("enterprise",),
    "/api/v1/dashboards/": ("leader",),
    "/api/v1/enterprises/": ("district_reviewer",),
    "/api/v1/enterprises/me/": ("enterprise",),
    "/api/v1/enterprises/register/": ("anonymous",),
    "/api/v1/finance/": ("city_finance", "district_finance"),
    "/api/v1/me/": ("enterprise",),
    "/api/v1/notifications/": ("enterprise",),
    "/api/v1/policies/": ("enterprise",),
    "/api/v1/proactive/": ("policy_admin",),
    "/api/v1/proactive/proposals/": ("enterprise",),
    "/api/v1/reviews/": ("district_reviewer", "city_reviewer"),
    "/api/v1/reviews/notices/": ("city_reviewer",),
    "/api/v1/reviews/notices/entries/": ("enterprise",),
    "/api/v1/reviews/notices/public/": ("anonymous",),
    "/api/v1/tokens/": ("city_reviewer", "enterprise"),
}

# Loaded at collection (schemathesis' fixture-based lazy schema reads a pytest-internal name
# that pytest 9.2 no longer has); the request needs no database.
APP = WSGIHandler()
inputs_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP, config=INPUTS)
roles_schema = schemathesis.openapi.from_dict(
    copy.deepcopy(inputs_schema.raw_schema), config=ROLES_CONFIG
)
roles_schema.app = APP
SUPPRESSED = [
    HealthCheck.function_scoped_fixture,  # each call is rolled back on its own
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
]


def _longest_prefix(table: dict, path: str):
    matches = [prefix for prefix in table if path.startswith(prefix)]
    return table[max(matches, key=len)] if matches else None


def owners(path: str) -> tuple[str, ...]:
    return _longest_prefix(OWNERS, path) or ()


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """One city for the whole module, built in a transaction that is rolled back at the end;
    each test runs in a savepoint inside it (pytest-django's ``db``)."""
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            world = build_api_world()
            for role, user in world.users.items():
                if user is not None:
                    _, TOKENS[role] = api_token_issue(
                        user=user, name="schemathesis", days=1, verified=True
                    )
        # Django's WSGI handler closes "old" connections around each request, which inside
        # the open transaction would throw the city away (the test client does the same).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield world
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


@pytest.fixture(params=ROLES)
def role(request) -> str:
    return request.param


def steer_to_real_objects(case, values: dict[tuple[str, str], PathValues]) -> set:
    """Replace generated ids by real ones, taking the next real object of the operation in
    turn and keeping the generated value every ``len + 1``-th time (deterministic: the order
    of the examples is); returns the foreign enterprise's values used."""
    foreign = set()
    for name in list(case.path_parameters or {}):
        table = {prefix: v for (prefix, n), v in values.items() if n == name}
        known = _longest_prefix(table, case.path)
        if known is None:
            continue
        turn = _turns[(case.operation.label, name)]
        _turns[(case.operation.label, name)] += 1
        if turn % (len(known.values) + 1) < len(known.values):
            value = known.values[turn % (len(known.values) + 1)]
            case.path_parameters[name] = value
            if value in known.foreign:
                foreign.add(value)
    if case.headers and REAUTH_HEADER in case.headers and not foreign:
        case.headers[REAUTH_HEADER] = PASSWORD  # let the payment through re-authentication
    return foreign


_turns: Counter = Counter()


def call_and_check(case, world: World, role: str, foreign: set) -> None:
    user = world.users[role]
    headers = {} if user is None else {"Authorization": f"Token {TOKENS[role]}"}
    with transaction.atomic():
        try:
            response = case.call(headers=headers)
        finally:
            transaction.set_rollback(True)
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as exc:
        exc.add_note(f"as {role}")
        raise
    if foreign and case.method.upper() in WRITES:
        assert not 200 <= response.status_code < 300, (
            f"{role} {case.method.upper()} {case.formatted_path}: {response.status_code} "
            f"on another enterprise's data ({sorted(foreign)})"
        )


def test_every_operation_has_an_owner():
    operations = [result.ok() for result in inputs_schema.get_all_operations()]
    assert len(operations) > 50
    missing = sorted(op.label for op in operations if not owners(op.path))
    assert not missing, f"add the roles these operations are for to OWNERS: {missing}"


@inputs_schema.parametrize()
@settings(deadline=None, suppress_health_check=SUPPRESSED)
def test_api_inputs(case, api_world, db):
    foreign = steer_to_real_objects(case, path_values(api_world))
    for role in owners(case.path):
        call_and_check(case, api_world, role, foreign)


@roles_schema.parametrize()
@settings(deadline=None, suppress_health_check=SUPPRESSED)
def test_api_roles(case, api_world, role, db):
    foreign = steer_to_real_objects(case, path_values(api_world))
    call_and_check(case, api_world, role, foreign)
