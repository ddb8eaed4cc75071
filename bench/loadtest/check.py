"""After the run: what the server acknowledged is in the database, exactly once.

- every acknowledged submission: the case exists, belongs to the enterprise of the user who
  submitted it, for that subject (project), is past the draft, and has exactly one "submit" event;
  and no enterprise has two live cases for one award (clause and award key);
- every acknowledged approval: exactly one approval event at that level;
- every acknowledged payment: the share is paid under that voucher with exactly one "paid"
  ledger entry; and no share anywhere has two;
- the outbox is drained by the real worker (waits up to a minute) and the audit chain,
  after catching up, verifies.

Writes the server made but whose answer the client never saw are counted, not errors.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from django.db.models import Count

from applications.models import Application, ApplicationEvent
from applications.workflow import Action, Status
from finance.models import LedgerEntry, PayableShare
from portal.core.audit import audit_catch_up, audit_verify
from portal.core.models import OutboxTask
from portal.core.signals import audited_models

APPROVE_ACTIONS = {"district": Action.DISTRICT_APPROVE, "city": Action.CITY_APPROVE}


def _acks(path: Path) -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_kind.setdefault(row["kind"], []).append(row)
    return by_kind


def _submissions(rows: list[dict]) -> list[str]:
    problems = []
    ids = [r["application"] for r in rows]
    if len(ids) != len(set(ids)):
        problems.append("同一案件被确认提交了两次")
    cases = {
        a.pk: a
        for a in Application.objects.filter(pk__in=ids).prefetch_related(
            "enterprise__members__user"
        )
    }
    submits = Counter(
        ApplicationEvent.objects.filter(application_id__in=ids, action=Action.SUBMIT).values_list(
            "application_id", flat=True
        )
    )
    for row in rows:
        case = cases.get(row["application"])
        owners = {m.user.username for m in case.enterprise.members.all()} if case else set()
        if case is None:
            problems.append(f"已确认提交的案件 {row['application']} 不存在")
        elif row["user"] not in owners or case.subject != row["subject"]:
            problems.append(f"案件 {case.pk} 不是 {row['user']} 的“{row['subject']}”申报")
        elif case.status in (Status.DRAFT, Status.WITHDRAWN):
            problems.append(f"已确认提交的案件 {case.pk} 状态为 {case.status}")
        elif submits[case.pk] != 1:
            problems.append(f"案件 {case.pk} 有 {submits[case.pk]} 条提交记录（应为 1 条）")
    twice = (
        Application.objects.exclude(status__in=(Status.WITHDRAWN,))
        .values("enterprise_id", "clause_id", "award_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    problems += [
        f"企业 {t['enterprise_id']} 的同一奖励（{t['award_key']}）有 {t['n']} 个案件" for t in twice
    ]
    return problems


def _approvals(rows: list[dict]) -> list[str]:
    problems = []
    for level, action in APPROVE_ACTIONS.items():
        ids = [r["application"] for r in rows if r["level"] == level]
        counts = Counter(
            ApplicationEvent.objects.filter(application_id__in=ids, action=action).values_list(
                "application_id", flat=True
            )
        )
        problems += [
            f"案件 {pk} 有 {counts[pk]} 条{action.label}记录（应为 1 条）"
            for pk in ids
            if counts[pk] != 1
        ]
    return problems


def _payments(rows: list[dict]) -> list[str]:
    problems = []
    ids = [r["share"] for r in rows]
    if len(ids) != len(set(ids)):
        problems.append("同一份额被确认支付了两次")
    shares = PayableShare.objects.in_bulk(ids)
    paid = Counter(
        LedgerEntry.objects.filter(share_id__in=ids, kind=LedgerEntry.Kind.PAID).values_list(
            "share_id", flat=True
        )
    )
    for row in rows:
        share = shares.get(row["share"])
        if share is None or share.status != PayableShare.Status.PAID:
            problems.append(f"已确认支付的份额 {row['share']} 未处于已支付状态")
        elif share.voucher_no != row["voucher"] or paid[share.pk] != 1:
            problems.append(
                f"份额 {share.pk}：凭证号 {share.voucher_no}（确认的是 {row['voucher']}），"
                f"支付分录 {paid[share.pk]} 条（应为 1 条）"
            )
    twice = (
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAID)
        .values("share_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    problems += [f"份额 {t['share_id']} 有 {t['n']} 条支付分录" for t in twice]
    return problems


def _drain_outbox(seconds: int = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = OutboxTask.objects.filter(sent_at__isnull=True).count()
        if not left:
            return 0
        time.sleep(2)
    return OutboxTask.objects.filter(sent_at__isnull=True).count()


def check(acks_path: Path) -> list[str]:
    acks = _acks(acks_path)
    submissions, approvals = acks.get("submission", []), acks.get("approval", [])
    payments, conflicts = acks.get("payment", []), acks.get("conflict", [])
    problems = _submissions(submissions) + _approvals(approvals) + _payments(payments)
    in_db = ApplicationEvent.objects.filter(action=Action.SUBMIT).count()
    paid_in_db = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAID).count()
    print(
        f"核对：已确认提交 {len(submissions)} 件（数据库 {in_db} 件），审核通过 {len(approvals)} 次，"
        f"已确认支付 {len(payments)} 笔（数据库 {paid_in_db} 笔），正常并发冲突 {len(conflicts)} 次"
    )
    unsent = _drain_outbox()
    if unsent:
        problems.append(f"后台任务队列一分钟后仍有 {unsent} 个任务未发送")
    for model in audited_models():
        while audit_catch_up(model):
            pass
    chain = audit_verify()
    print(f"审计链：{chain.checked} 条记录" + ("完好" if chain.ok else f"，{chain.problem}"))
    if not chain.ok:
        problems.append(f"审计链校验失败：{chain.problem}")
    return problems
