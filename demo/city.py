"""Generated cases at scale: the demo's city (``load_demo``), load tests and dashboards
benchmarks (``generate_demo_data``); never for production data.

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
from stdnum.cn import uscc

from applications.models import Application, ApplicationEvent, award_period_of
from applications.workflow import Action, Level, Status
from enterprises.models import Enterprise
from finance import splits
from finance.models import LedgerEntry, Payable, PayableShare, PayerLevel
from finance.services.completion import fully_paid
from policies.models import Clause
from portal.accounts.models import District, Role, User
from portal.core.errors import DomainError
from reviews.models import CaseReview

MARK = "_generated"
CREDIT_PREFIX = "91410100GE"  # 10 + 7 digits + the check digit = 18 (GB 32100)
# the demo's city (``demo_city_load``): enough for every chart, filter and list to say something,
# small enough to load with ``make run`` in seconds
CITY_ENTERPRISES = 600
CITY_CASES = 3000
CITY_MONTHS = 30
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


def generated_present() -> bool:
    return Application.objects.filter(facts__has_key=MARK).exists()


def demo_city_load(
    *,
    enterprises: int = CITY_ENTERPRISES,
    cases: int = CITY_CASES,
    months: int = CITY_MONTHS,
    say: Callable[[str], None] = print,
) -> dict[str, int] | None:
    """The demo's city beside the hand-made cases: ``cases`` generated cases over every
    district, policy and state, then the dashboards' summary rebuilt. Once: None when the
    database holds generated cases already (so ``load_demo`` can run at every start)."""
    from dashboards.projection import summary_rebuild
    from finance.services.reminders import payment_reminders_send
    from reviews.services import deadline_reminders_send

    if generated_present():
        return None
    totals = generate(enterprises=enterprises, cases=cases, months=months, say=say)
    rebuilt = summary_rebuild()
    say(f"驾驶舱汇总 {rebuilt['facts']} 件")
    # today's reminders, as the morning's periodic jobs send them: the staff's message centres
    reminded = deadline_reminders_send() + payment_reminders_send()
    return {**totals, "facts": rebuilt["facts"], "reminded": reminded}


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
    say(f"企业 {len(ent_rows)} 家")
    today = timezone.localdate()
    first_month = _add_months(today.replace(day=1), -(months - 1))
    clause_weights = [rng.choice((1, 2, 3, 5, 8)) for _ in clauses]
    # the awards generated before (a second run adds to the city): one case per award
    taken: set[tuple[int, int, str]] = set(
        Application.objects.filter(facts__has_key=MARK).values_list(
            "enterprise_id", "clause_id", "award_key"
        )
    )
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
        say(f"案件 {made}/{cases}")
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
        name = enterprise_name(i)
        first17 = f"{CREDIT_PREFIX}{i:07d}"
        rows.append(
            Enterprise(
                credit_code=first17 + uscc.calc_check_digit(first17),
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


# Names that read like a city's firms (郑州宏达精密机械有限公司), unique by construction: the
# number picks one of 30 x 30 x 12 combinations, and a numbered branch beyond that.
_TRADE = [
    "宏达",
    "恒信",
    "中原",
    "嵩山",
    "黄河",
    "豫新",
    "天正",
    "金鼎",
    "华瑞",
    "博远",
    "启航",
    "明德",
    "瑞丰",
    "鑫源",
    "永安",
    "众诚",
    "新纪元",
    "远大",
    "汇通",
    "凯盛",
    "泰和",
    "同创",
    "德润",
    "安泰",
    "卓越",
    "祥和",
    "隆基",
    "正道",
    "云帆",
    "国润",
]
_LINE = [
    "精密",
    "智能",
    "新材料",
    "电子",
    "光电",
    "环保",
    "机电",
    "汽车零部件",
    "生物",
    "数控",
    "软件",
    "信息",
    "物联",
    "新能源",
    "装备",
    "化工",
    "食品",
    "纺织",
    "建材",
    "医疗器械",
    "通信",
    "仪器",
    "电气",
    "铝业",
    "重工",
    "冷链",
    "包装",
    "节能",
    "检测",
    "航空",
]
_KIND = [
    "制造",
    "科技",
    "技术",
    "机械",
    "工业",
    "实业",
    "设备",
    "材料",
    "工程",
    "制品",
    "电器",
    "仪表",
]


def enterprise_name(i: int) -> str:
    trade, line = _TRADE[i % 30], _LINE[(i // 30) % 30]
    kind = _KIND[(i // 900) % 12]
    branch = f"第{i // 10800 + 1}" if i >= 10800 else ""
    return f"郑州{trade}{line}{kind}{branch}有限公司"


def _add_months(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)


def _path(
    status: str, city_only: bool, *, returned_from: str = "", corrected: bool = False
) -> list[tuple[str, str, str]]:
    """The timeline (action, from, to) that leads to ``status``; ``returned_from``: the desk
    that returned a RETURNED case; ``corrected``: a case under review came back corrected."""
    path = _steps(status, city_only, returned_from)
    if corrected and status in (Status.DISTRICT_REVIEW, Status.CITY_REVIEW):
        path += [
            ("return_for_correction", status, Status.RETURNED),
            ("resubmit", Status.RETURNED, status),
        ]
    return path


def _steps(status: str, city_only: bool, returned_from: str) -> list[tuple[str, str, str]]:
    first = Status.CITY_REVIEW if city_only else Status.DISTRICT_REVIEW
    steps = [("submit", Status.DRAFT, first)]
    if status in (Status.DRAFT, Status.PROPOSED):
        return []
    if status == Status.SUBMITTED:
        return [("submit", Status.DRAFT, Status.SUBMITTED)]
    if status in (Status.DISTRICT_REVIEW, Status.CITY_REVIEW) and status == first:
        return steps
    if status == Status.RETURNED and returned_from == Status.DISTRICT_REVIEW and not city_only:
        return [*steps, ("return_for_correction", Status.DISTRICT_REVIEW, Status.RETURNED)]
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
        returned_from = ""
        if status == Status.RETURNED:  # half of them by the district, where there is one
            by_district = clause.review_path != "city_only" and rng.random() < 0.5
            returned_from = Status.DISTRICT_REVIEW if by_district else Status.CITY_REVIEW
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
                returned_from=returned_from,
                correction_due=due_on if status == Status.RETURNED else None,
                due_on=due_on,
                submitted_at=None if draft else submitted,
                created_by=system,
                created_at=submitted - dt.timedelta(days=rng.randint(0, 10)),
                updated_at=now,
            )
        )
        corrected = status in REVIEW and rng.random() < 0.15  # back from a correction
        plans.append((status, submitted, clause, district_id, returned_from, corrected))
    with transaction.atomic(), _own_timestamps(Application):
        Application.objects.bulk_create(apps, batch_size=5000)
        return _children(rng, apps, plans, today, now)


def _children(rng, apps, plans, today, now) -> dict[str, int]:
    events, determined = [], []
    reviewers = _reviewers()
    reviews = []
    for app, plan in zip(apps, plans, strict=True):
        status, submitted, clause, district_id, returned_from, corrected = plan
        moment = submitted
        city_only = clause.review_path == "city_only"
        path = _path(status, city_only, returned_from=returned_from, corrected=corrected)
        for action, source, target in path:
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
        held = _holder(rng, reviewers, status, district_id)
        if held is not None:
            reviews.append(
                CaseReview(
                    application_id=app.pk,
                    status=status,
                    level=held[0],
                    assignee_id=held[1],
                    claimed_at=min(moment + dt.timedelta(hours=2), now),
                )
            )
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    CaseReview.objects.bulk_create(reviews, batch_size=5000)
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


def _reviewers() -> dict[object, list[int]]:
    """Who may hold a generated case: the active reviewers of each district (by its id) and of
    the city (``None``); none before any reviewer exists (the cases stay unassigned)."""
    found: dict[object, list[int]] = {}
    rows = User.objects.filter(
        is_active=True, role__in=(Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)
    ).values_list("pk", "role", "district_id")
    for pk, role, district_id in rows.order_by("pk"):
        key = district_id if role == Role.DISTRICT_REVIEWER else None
        found.setdefault(key, []).append(pk)
    return found


def _holder(rng, reviewers, status: str, district_id: int) -> tuple[str, int] | None:
    """(level, reviewer) holding a case under review, for about half of them."""
    if status == Status.DISTRICT_REVIEW:
        level, pool = Level.DISTRICT, reviewers.get(district_id)
    elif status == Status.CITY_REVIEW:
        level, pool = Level.CITY, reviewers.get(None)
    else:
        return None
    if not pool or rng.random() < 0.5:
        return None
    return level, rng.choice(pool)


def _close_paid(shares: list, now: dt.datetime) -> None:
    """An award whose money is all paid (``fully_paid``) is 已拨付（办结）, as the transition
    service leaves it after the last payment (finance.services.completion), same event."""
    by_payable: dict[int, list] = {}
    for share in shares:
        by_payable.setdefault(share.payable.application_id, []).append(share)
    closed, events = [], []
    for application_id, group in by_payable.items():
        if fully_paid(group):  # the same rule as the service that closes a case
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
    if (today - on).days > 75 and rng.random() < 0.85:
        fate = rng.random() * 0.65  # an award of months ago is paid by now, bar a few
    rows = [(PayerLevel.CITY, None, city_fen)]
    if district_weight > 0:
        rows.append((PayerLevel.DISTRICT, district_id, district_fen))
    result = []
    for level, payer_district, amount in rows:
        paid = fate < 0.65 or (fate < 0.75 and level == PayerLevel.CITY)
        paid_on = min(on + dt.timedelta(days=rng.randint(3, 35)), today) if paid else None
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
