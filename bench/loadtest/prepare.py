"""The load test's data set, written into its own (freshly migrated) database.

- one verified enterprise with one login per simulated enterprise user, spread over four
  districts; the simulated users apply under 155号第5条 (district, then city review) with
  its materials, each case in a new period (2024, 2025, ...);
- district reviewers for those districts and city reviewers;
- finance officers of the city bureau and of each district bureau, and a pool of
  determined 155号第2条 awards (shares for both bureaus) for them to batch and mark paid.

Every login has the same password (hashed once: hashing a thousand PBKDF2 passwords would
take minutes); each login and re-authentication still runs the real PBKDF2 check.
``accounts.json`` (written by ``run.py``) tells the locust users who they are.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from applications.models import ApplicationEvent
from applications.workflow import Status
from enterprises.models import Enterprise, EnterpriseMember
from finance.services import payables_create_for_application
from policies import engine
from policies.models import Clause
from portal.accounts.models import District, Role, User

PASSWORD = "Load@2026!test"  # noqa: S105 - the synthetic accounts of a throwaway database
APPLY_CLAUSE = "zzw-2022-155/5"  # 申报审核: district review, then city review
PAY_CLAUSE = "zzw-2022-155/12"  # city and district shares, 1:1; paid per year (one award a year)
GOOD_FACTS = {"signed_and_started_q1_2023": True, "contract_investment": "1200000000"}
DISTRICTS = 4


def _credit_code(n: int) -> str:
    first17 = f"91410105LT{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def _open(code: str) -> Clause:
    clause = Clause.objects.get(code=code)
    today = timezone.localdate()
    clause.application_opens = today - dt.timedelta(days=30)
    clause.application_closes = today + dt.timedelta(days=60)
    clause.save(update_fields=["application_opens", "application_closes"])
    return clause


def _users(prefix: str, count: int, role: str, hashed: str, district=None) -> list[str]:
    names = [f"{prefix}{i:04d}" for i in range(count)]
    User.objects.bulk_create(
        [
            User(
                username=name,
                name=name,
                role=role,
                district=district,
                password=hashed,
                password_changed_at=timezone.now(),
            )
            for name in names
        ]
    )
    return names


def _enterprises(count: int, districts: list[District], hashed: str) -> dict[str, list[str]]:
    by_district: dict[str, list[str]] = {d.code: [] for d in districts}
    names = _users("lt_ent_", count, Role.ENTERPRISE, hashed)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    enterprises = []
    for i, name in enumerate(names):
        district = districts[i % len(districts)]
        enterprises.append(
            Enterprise(
                credit_code=_credit_code(i),
                name=f"郑州压测{i:04d}智能装备有限公司",
                district=district,
                industry_section="C",
                industry_division="34",
                above_scale=True,
                legal_representative="张三",
                contact_name="李四",
                contact_mobile="13800138000",
                bank_name="中国银行郑州金水支行",
                bank_account=f"62170000{i:011d}",
                bank_account_name=f"郑州压测{i:04d}智能装备有限公司",
                verification_status=Enterprise.Status.VERIFIED,
                verified_at=timezone.now(),
            )
        )
        by_district[district.code].append(name)
    Enterprise.objects.bulk_create(enterprises)
    saved = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__startswith="91410105LT")
    }
    EnterpriseMember.objects.bulk_create(
        [
            EnterpriseMember(user=users[name], enterprise=saved[_credit_code(i)], is_primary=True)
            for i, name in enumerate(names)
        ]
    )
    return by_district


def _awards(count: int, clause: Clause, system: User) -> int:
    """Determined awards (as the notice closing leaves them) with their payables and shares."""
    from applications.models import Application

    enterprises = list(
        Enterprise.objects.filter(credit_code__startswith="91410105LT").order_by("pk")
    )
    made = 0
    for start in range(0, count, 200):
        with transaction.atomic():
            for k in range(start, min(count, start + 200)):
                enterprise = enterprises[k % len(enterprises)]
                application = Application.objects.create(
                    enterprise=enterprise,
                    clause=clause,
                    period=str(2000 + k // len(enterprises)),
                    status=Status.DETERMINED,
                    facts={},
                    approved_amount_fen=6_000_000,
                    estimated_amount_fen=6_000_000,
                    submitted_at=timezone.now(),
                    created_by=system,
                )
                ApplicationEvent.objects.create(
                    application=application,
                    action="determine",
                    from_status=Status.IN_NOTICE,
                    to_status=Status.DETERMINED,
                )
                payables_create_for_application(application=application)
                made += 1
    return made


def build(*, users: int, awards: int) -> dict:
    """Write the data set; returns what ``accounts.json`` holds."""
    hashed = make_password(PASSWORD)
    districts = list(District.objects.filter(active=True, kind=District.Kind.DISTRICT))[:DISTRICTS]
    apply_clause, pay_clause = _open(APPLY_CLAUSE), _open(PAY_CLAUSE)
    staff = max(2, users // 10)  # enough logins of each kind for any mix of simulated users
    enterprises = _enterprises(users, districts, hashed)
    reviewers = {
        d.code: _users(f"lt_rev_{d.code}_", staff, Role.DISTRICT_REVIEWER, hashed, d)
        for d in districts
    }
    city_reviewers = _users("lt_city_", staff, Role.CITY_REVIEWER, hashed)
    finance = {"city": _users("lt_fin_city_", staff, Role.FINANCE, hashed)}
    for d in districts:
        finance[d.code] = _users(f"lt_fin_{d.code}_", staff, Role.FINANCE, hashed, d)
    system = User.objects.create(username="lt_system", role=Role.SYS_ADMIN, is_active=False)
    made = _awards(awards, pay_clause, system)
    return {
        "password": PASSWORD,
        "apply_clause": APPLY_CLAUSE,
        "materials": list(apply_clause.materials or []),
        "facts": GOOD_FACTS,
        "fact_names": [spec.name for spec in engine.get_clause(APPLY_CLAUSE).facts],
        "enterprises": enterprises,
        "district_reviewers": reviewers,
        "city_reviewers": city_reviewers,
        "finance": finance,
        "awards": made,
    }
