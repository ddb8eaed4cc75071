"""Generated cases at scale, for load tests and dashboards demos (never for production data).

Bulk inserts, chunk by chunk: enterprises, cases spread over policies, districts, months and
states, their timeline events, and for determined awards the payable, its city/district
shares, ledger rows and payments. Every generated case carries ``facts["_generated"]``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils import timezone

from applications.models import Application, ApplicationEvent, award_period_of
from applications.workflow import Action, Level, Status
from enterprises.models import Enterprise
from finance import splits
from finance.models import LedgerEntry, Payable, PayableShare, PayerLevel
from policies.models import Clause
from portal.accounts.models import District, Role, User
from portal.core.errors import DomainError

MARK = "_generated"
CREDIT_PREFIX = "9141GEN"  # 7 + 11 digits = 18
STATUS_WEIGHTS = {
    Status.DRAFT: 4,
    Status.PROPOSED: 3,
    Status.SUBMITTED: 2,
    Status.DISTRICT_REVIEW: 7,
    Status.CITY_REVIEW: 6,
    Status.RETURNED: 4,
    Status.APPROVED: 3,
    Status.IN_NOTICE: 2,
    Status.DETERMINED: 48,
    Status.REJECTED: 12,
    Status.WITHDRAWN: 5,
    Status.LAPSED: 4,
}
REVIEW = (Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW)


def real_data_present() -> bool:
    return Application.objects.exclude(facts__has_key=MARK).exists()


@contextlib.contextmanager
def _own_timestamps(model) -> Iterator[None]:
    """Let bulk_create keep the generated created_at/updated_at (auto_now* would overwrite)."""
    fields = [model._meta.get_field(n) for n in ("created_at", "updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, add


def generate(
    *,
    enterprises: int,
    cases: int,
    months: int = 36,
    seed: int = 2026,
    chunk: int = 20_000,
    say: Callable[[str], None] = print,
) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    districts = list(District.objects.filter(active=True).values_list("pk", flat=True))
    clauses = list(Clause.objects.select_related("policy"))
    if not districts or not clauses:
        raise DomainError("缺少区县或政策条款基础数据，请先执行 migrate 和 load_policies。")
    system = _system_user()
    ent_rows = _enterprises(rng, enterprises, districts)
    say(f"enterprises: {len(ent_rows)}")
    today = timezone.localdate()
    first_month = _add_months(today.replace(day=1), -(months - 1))
    clause_weights = [rng.choice((1, 2, 3, 5, 8)) for _ in clauses]
    taken: set[tuple[int, int, str]] = set()
    totals = {"cases": 0, "events": 0, "payables": 0, "shares": 0}
    made = 0
    while made < cases:
        size = min(chunk, cases - made)
        counts = _chunk(
            rng, size, ent_rows, clauses, clause_weights, first_month, months, today, system, taken
        )
        for key, value in counts.items():
            totals[key] += value
        made += size
        say(f"cases: {made}/{cases}")
    return totals


def _system_user() -> User:
    user, _ = User.objects.get_or_create(
        username="gen_system", defaults={"name": "数据生成", "role": Role.SYS_ADMIN}
    )
    return user


def _enterprises(rng: random.Random, n: int, districts: list[int]) -> list[tuple[int, int]]:
    existing = list(
        Enterprise.objects.filter(credit_code__startswith=CREDIT_PREFIX).values_list(
            "pk", "district_id"
        )
    )
    start = len(existing)
    weights = [rng.choice((1, 2, 3, 4, 6)) for _ in districts]
    rows = []
    for i in range(start, n):
        name = f"郑州生成{i:05d}科技有限公司"
        rows.append(
            Enterprise(
                credit_code=f"{CREDIT_PREFIX}{i:011d}",
                name=name,
                district_id=rng.choices(districts, weights)[0],
                industry_section="C",
                industry_division=rng.choice(("34", "35", "38", "39", "26")),
                above_scale=rng.random() < 0.6,
                legal_representative="张三",
                contact_name="李四",
                contact_mobile="13800138000",
                bank_name="中国银行郑州金水支行",
                bank_account=f"62170000{i:011d}",
                bank_account_name=name,
                verification_status=Enterprise.Status.VERIFIED,
            )
        )
    for start_at in range(0, len(rows), 5000):
        Enterprise.objects.bulk_create(rows[start_at : start_at + 5000])
    return existing + [(e.pk, e.district_id) for e in rows]


def _add_months(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)


def _path(status: str, city_only: bool) -> list[tuple[str, str, str]]:
    """The timeline (action, from, to) that leads to ``status``."""
    first = Status.CITY_REVIEW if city_only else Status.DISTRICT_REVIEW
    steps = [("submit", Status.DRAFT, first)]
    if status in (Status.DRAFT, Status.PROPOSED):
        return []
    if status == Status.SUBMITTED:
        return [("submit", Status.DRAFT, Status.SUBMITTED)]
    if status in (Status.DISTRICT_REVIEW, Status.CITY_REVIEW) and status == first:
        return steps
    if not city_only:
        steps.append(("district_approve", Status.DISTRICT_REVIEW, Status.CITY_REVIEW))
    ends = {
        Status.CITY_REVIEW: [],
        Status.DISTRICT_REVIEW: [],
        Status.RETURNED: [("return_for_correction", Status.CITY_REVIEW, Status.RETURNED)],
        Status.LAPSED: [
            ("return_for_correction", Status.CITY_REVIEW, Status.RETURNED),
            ("lapse", Status.RETURNED, Status.LAPSED),
        ],
        Status.REJECTED: [("reject", Status.CITY_REVIEW, Status.REJECTED)],
        Status.WITHDRAWN: [("withdraw", Status.CITY_REVIEW, Status.WITHDRAWN)],
        Status.APPROVED: [("city_approve", Status.CITY_REVIEW, Status.APPROVED)],
        Status.IN_NOTICE: [
            ("city_approve", Status.CITY_REVIEW, Status.APPROVED),
            ("publish_notice", Status.APPROVED, Status.IN_NOTICE),
        ],
        Status.DETERMINED: [
            ("city_approve", Status.CITY_REVIEW, Status.APPROVED),
            ("publish_notice", Status.APPROVED, Status.IN_NOTICE),
            ("determine", Status.IN_NOTICE, Status.DETERMINED),
        ],
    }
    return steps + ends[status]


def _chunk(rng, size, ent_rows, clauses, clause_weights, first_month, months, today, system, taken):
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    now = timezone.now()
    apps, plans = [], []
    while len(apps) < size:
        ent_id, district_id = rng.choice(ent_rows)
        clause = rng.choices(clauses, clause_weights)[0]
        month = _add_months(first_month, rng.randrange(months))
        last_day = min(today, _add_months(month, 1) - dt.timedelta(days=1))
        day = month + dt.timedelta(days=rng.randint(0, max((last_day - month).days, 0)))
        # one case per award (applications.models.award_period_of): a one-off clause once per
        # enterprise, a yearly one once a year, a per-project one once per (made-up) project
        award = award_period_of(clause.code, str(day.year), f"演示项目{len(taken) % 7 + 1}")
        if (ent_id, clause.pk, award.key) in taken:
            continue
        taken.add((ent_id, clause.pk, award.key))
        period = award.period
        status = rng.choices(statuses, weights)[0]
        age = (today - day).days
        if age < 40 and status == Status.DETERMINED:
            status = rng.choice(REVIEW)  # young cases are still in review
        submitted = _moment(day, rng)
        estimated = int(rng.lognormvariate(12.6, 1.0)) * 100  # around 300,000 yuan
        approved = None
        if status in (Status.APPROVED, Status.IN_NOTICE, Status.DETERMINED):
            approved = estimated * rng.choice((100, 100, 90, 80, 60)) // 100
        due_on = None
        if status in REVIEW:
            due_on = today + dt.timedelta(days=rng.randint(-8, 20))
        elif status == Status.RETURNED:
            due_on = today + dt.timedelta(days=rng.randint(-5, 15))
        draft = status in (Status.DRAFT, Status.PROPOSED)
        apps.append(
            Application(
                enterprise_id=ent_id,
                district_id=district_id,
                clause=clause,
                period=period,
                subject=award.subject,
                award_key=award.key,
                status=status,
                facts={MARK: True},
                estimated_amount_fen=estimated,
                approved_amount_fen=approved,
                returned_from=Status.CITY_REVIEW if status == Status.RETURNED else "",
                correction_due=due_on if status == Status.RETURNED else None,
                due_on=due_on,
                submitted_at=None if draft else submitted,
                created_by=system,
                created_at=submitted - dt.timedelta(days=rng.randint(0, 10)),
                updated_at=now,
            )
        )
        plans.append((status, submitted, clause, district_id))
    with transaction.atomic(), _own_timestamps(Application):
        Application.objects.bulk_create(apps, batch_size=5000)
        return _children(rng, apps, plans, today, now)


def _children(rng, apps, plans, today, now) -> dict[str, int]:
    events, determined = [], []
    for app, (status, submitted, clause, district_id) in zip(apps, plans, strict=True):
        moment = submitted
        for action, source, target in _path(status, clause.review_path == "city_only"):
            moment = min(moment + dt.timedelta(days=rng.randint(1, 12), hours=1), now)
            events.append(
                ApplicationEvent(
                    application_id=app.pk,
                    action=action,
                    from_status=source,
                    to_status=target,
                    created_at=moment,
                )
            )
        if status == Status.DETERMINED and app.approved_amount_fen:
            determined.append((app, clause, timezone.localdate(moment), district_id))
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    payables = [
        Payable(
            application_id=app.pk,
            share_percent="100.00",
            amount_fen=app.approved_amount_fen,
            determined_on=on,
        )
        for app, _clause, on, _district in determined
    ]
    Payable.objects.bulk_create(payables, batch_size=5000)
    shares = []
    for payable, (_app, clause, on, district_id) in zip(payables, determined, strict=True):
        shares += _shares(rng, payable, clause, on, today, district_id)
    PayableShare.objects.bulk_create(shares, batch_size=5000)
    ledger = []
    for share in shares:
        ledger.append(
            LedgerEntry(
                share_id=share.pk, kind=LedgerEntry.Kind.SCHEDULED, amount_fen=share.amount_fen
            )
        )
        if share.status == PayableShare.Status.PAID:
            ledger.append(
                LedgerEntry(
                    share_id=share.pk,
                    kind=LedgerEntry.Kind.PAID,
                    amount_fen=share.amount_fen,
                    voucher_no=share.voucher_no,
                    paid_on=share.paid_on,
                )
            )
    LedgerEntry.objects.bulk_create(ledger, batch_size=5000)
    _close_paid(shares, now)
    return {
        "cases": len(apps),
        "events": len(events),
        "payables": len(payables),
        "shares": len(shares),
    }


def _close_paid(shares: list, now: dt.datetime) -> None:
    """An award whose shares are all paid is 已拨付（办结）, as the transition service leaves it
    after the last payment (finance.services.completion), with the same event."""
    by_payable: dict[int, list] = {}
    for share in shares:
        by_payable.setdefault(share.payable.application_id, []).append(share)
    closed, events = [], []
    for application_id, group in by_payable.items():
        if all(s.status == PayableShare.Status.PAID for s in group):
            closed.append(application_id)
            last = max(s.paid_on for s in group)
            moment = min(now, timezone.make_aware(dt.datetime.combine(last, dt.time(16))))
            events.append(
                ApplicationEvent(
                    application_id=application_id,
                    action=Action.PAY_COMPLETE,
                    level=Level.FINANCE,
                    from_status=Status.DETERMINED,
                    to_status=Status.PAID,
                    comment="奖补资金已全部拨付（演示数据）。",
                    created_at=moment,
                )
            )
    for start in range(0, len(closed), 5000):
        Application.objects.filter(pk__in=closed[start : start + 5000]).update(
            status=Status.PAID, due_on=None
        )
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)


def _shares(rng, payable, clause, on: dt.date, today: dt.date, district_id: int) -> list:
    split = clause.effective_funding_split
    city_fen, district_fen = splits.split_city_district(payable.amount_fen, split)
    _, district_weight = splits.parse_funding_split(split)
    due = on + dt.timedelta(days=28)
    fate = rng.random()  # 0.65 paid, 0.10 city paid only (配套未到位), 0.25 open
    rows = [(PayerLevel.CITY, None, city_fen)]
    if district_weight > 0:
        rows.append((PayerLevel.DISTRICT, district_id, district_fen))
    result = []
    for level, payer_district, amount in rows:
        paid = fate < 0.65 or (fate < 0.75 and level == PayerLevel.CITY)
        paid_on = min(on + dt.timedelta(days=rng.randint(3, 45)), today) if paid else None
        share = PayableShare(
            payable=payable,
            payer_level=level,
            payer_district_id=payer_district,
            amount_fen=amount,
            due_date=due,
            status=PayableShare.Status.PAID if paid else PayableShare.Status.SCHEDULED,
            paid_on=paid_on,
            voucher_no=f"GEN{payable.pk:09d}{level[0]}" if paid else "",
        )
        result.append(share)
    return result
