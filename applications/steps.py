"""The case told as steps to the money: 申报 → 区县初审 → 市级复审 → 公示 → 确定 → 拨付 → 办结.

``case_steps`` reads the case, its timeline and (when it has them) its payment shares, and
says for each step whether it is done (and when), current (who holds it and its 承诺时限 in
working days), still to come, not on this case's path, or where the case ended. The same list
feeds the enterprise's and the staff's case pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from applications import deadlines
from applications.models import Application
from applications.workflow import Status
from policies.payout import PayoutTarget, late_against_target, payout_target
from portal.core.workdays import workdays_between

FILING, DISTRICT, CITY, NOTICE, DETERMINE, PAYMENT, DONE = range(7)
NAMES = ("申报", "区县初审", "市级复审", "公示", "确定", "拨付", "办结")
# working days each step is promised in (None: no clock of its own)
LIMIT_STEP = {DISTRICT: "district_review", CITY: "city_review", NOTICE: "notice"}
ENDED_LABELS = {
    Status.REJECTED: "不予支持",
    Status.WITHDRAWN: "已撤回",
    Status.LAPSED: "补正逾期",
}


@dataclass
class Step:
    index: int
    name: str
    state: str = "todo"  # done / current / todo / skipped / decided / unreached / ended
    holder: str = ""
    due: dt.date | None = None
    limit: str = ""  # 承诺时限, e.g. "5个工作日"
    finished: dt.datetime | None = None
    note: str = ""
    late: bool = False
    remaining: int | None = None  # working days left (current step with a deadline)
    overdue_days: int | None = None

    @property
    def current(self) -> bool:
        return self.state in ("current", "ended")

    @property
    def state_label(self) -> str:
        return {
            "done": "已完成",
            "current": "当前环节",
            "todo": "未开始",
            "skipped": "本案不经此环节",
            "decided": "已办理",
            "unreached": "未进行",
            "ended": "已办结",
        }[self.state]


def _district_path(application: Application) -> bool:
    return application.clause.review_path != "city_only"


def step_of_status(status: str, application: Application) -> int:
    if status in (Status.DRAFT, Status.PROPOSED, ""):
        return FILING
    if status == Status.SUBMITTED:
        return DISTRICT if _district_path(application) else CITY
    if status == Status.DISTRICT_REVIEW:
        return DISTRICT
    if status == Status.CITY_REVIEW:
        return CITY
    if status == Status.RETURNED:
        return DISTRICT if application.returned_from == Status.DISTRICT_REVIEW else CITY
    if status in (Status.APPROVED, Status.IN_NOTICE):
        return NOTICE
    if status == Status.DETERMINED:
        return PAYMENT
    if status == Status.PAID:
        return DONE
    return FILING


def _office(application: Application, index: int) -> str:
    if index == FILING:
        return application.enterprise.name
    if index == DISTRICT:
        return f"{application.enterprise.district.name}工信局（区县初审）"
    if index in (CITY, NOTICE, DETERMINE):
        return "市工信局"
    return ""


def _payment_days() -> int:
    return settings.PORTAL_PAYMENT_DUE_WORKDAYS


def _limits(application: Application) -> dict[int, str]:
    limits = {
        i: f"{deadlines.step_days(s, application.clause)}个工作日" for i, s in LIMIT_STEP.items()
    }
    limits[PAYMENT] = f"确定后{_payment_days()}个工作日"
    return limits


def _finished_dates(application: Application, events) -> dict[int, dt.datetime]:
    """When the case last left each step for a later one (from the timeline's moves)."""
    finished: dict[int, dt.datetime] = {}
    for event in events:
        if not event.to_status:
            continue
        source = step_of_status(event.from_status, application)
        if event.from_status == Status.RETURNED:
            continue  # a resubmission goes back to the step that returned it
        target = step_of_status(event.to_status, application)
        if event.to_status in ENDED_LABELS:
            continue
        if target > source:
            for index in range(source, target):
                finished[index] = event.created_at
    return finished


def _ended_at(application: Application, events) -> tuple[int, dt.datetime | None]:
    """The step a rejected, withdrawn or lapsed case was in when it ended, and when."""
    for event in reversed(list(events)):
        if event.to_status == application.status:
            return step_of_status(event.from_status, application), event.created_at
    return FILING, None


def _fill_clock(step: Step, due: dt.date | None, today: dt.date) -> None:
    step.due = due
    if due is None:
        return
    if due >= today:
        step.remaining = workdays_between(today, due)
    else:
        step.late = True
        step.overdue_days = workdays_between(due, today)


def case_steps(
    application: Application, *, events, payment=None, today: dt.date | None = None
) -> list[Step]:
    """The seven steps of the case (``events``: its timeline in order; ``payment``: the
    finance app's ``PaymentStatus`` when the award has shares)."""
    today = today or timezone.localdate()
    events = list(events)
    steps = [Step(i, name) for i, name in enumerate(NAMES)]
    limits = _limits(application)
    for step in steps:
        step.limit = limits.get(step.index, "")
        step.holder = _office(application, step.index)
    if not _district_path(application) or application.status == Status.PROPOSED:
        steps[DISTRICT].state = "skipped"
    elif not any(e.to_status == Status.DISTRICT_REVIEW for e in events) and (
        step_of_status(application.status, application) > DISTRICT
    ):
        steps[DISTRICT].state = "skipped"  # 免申即享: confirmed straight to the city
    finished = _finished_dates(application, events)
    status = application.status
    if status in ENDED_LABELS:
        where, when = _ended_at(application, events)
        for step in steps[:where]:
            if step.state != "skipped":
                step.state, step.finished = "done", finished.get(step.index)
        steps[where].state = "decided"
        steps[where].finished = when
        steps[where].note = ENDED_LABELS[status]
        last = steps[DONE]
        last.state, last.finished, last.note = "ended", when, ENDED_LABELS[status]
        last.holder = ""
        for step in steps[where + 1 : DONE]:
            step.state = "skipped" if step.state == "skipped" else "unreached"
        return steps
    current = step_of_status(status, application)
    for step in steps[:current]:
        if step.state != "skipped":
            step.state, step.finished = "done", finished.get(step.index)
    here = steps[current]
    here.state = "current"
    _describe_current(application, here, payment, today)
    return steps


def _describe_current(application: Application, here: Step, payment, today: dt.date) -> None:
    status = application.status
    if status == Status.DRAFT:
        here.note = "填写申报数据、上传材料、签署信用承诺后提交"
    elif status == Status.PROPOSED:
        here.note = "免申即享：请确认系统测算的奖补"
        _fill_clock(here, application.due_on, today)
    elif status == Status.SUBMITTED:
        here.note = "等待受理"
    elif status == Status.RETURNED:
        here.holder = f"{application.enterprise.name}（补正中）"
        here.note = "退回补正，请在补正期限内重新提交"
        _fill_clock(here, application.correction_due, today)
    elif status == Status.APPROVED:
        here.note = "审核通过，等待发布公示"
    elif status in (Status.DISTRICT_REVIEW, Status.CITY_REVIEW, Status.IN_NOTICE):
        _fill_clock(here, application.due_on, today)
    elif status == Status.DETERMINED:
        _payment_clock(application, here, payment, today)
    elif status == Status.PAID:
        here.state = "ended"
        here.holder = ""
        here.note = "资金已全部拨付"
        if payment is not None:
            dates = [s.paid_on for s in payment.shares if s.paid_on]
            if dates:
                here.note = f"资金已全部拨付（{max(dates):%Y-%m-%d}）"


def _payment_clock(application: Application, here: Step, payment, today: dt.date) -> None:
    if payment is None or not payment.shares:
        here.holder = "财政部门"
        here.note = "正在生成应付款项"
        return
    open_shares = [s for s in payment.shares if s.status in s.OPEN_STATUSES]
    payers = list(dict.fromkeys(s.payer_label for s in open_shares))
    here.holder = "、".join(payers) or "财政部门"
    dates = [s.due_date for s in open_shares if s.due_date]
    _fill_clock(here, min(dates) if dates else None, today)
    if open_shares and not dates:
        here.note = "待里程碑确认后拨付"


@dataclass(frozen=True)
class PolicyTiming:
    target: PayoutTarget
    late: bool
    determined_on: dt.date | None

    @property
    def message(self) -> str:
        if not self.late:
            return f"政策兑付时限：{self.target.label}"
        if self.determined_on and self.determined_on > self.target.day:
            return (
                f"超过政策兑付时限：{self.target.label}；本案于 {self.determined_on:%Y年%m月%d日}"
                "确定支持，已晚于该时限"
            )
        return f"超过政策兑付时限：{self.target.label}；至今尚未全部拨付"


def policy_timing(
    application: Application, *, payment=None, today: dt.date | None = None
) -> PolicyTiming | None:
    """The policy's payout target beside the case, and whether the award is late against it
    (determined after it, or still unpaid once it has passed). None when the policy sets no
    target or the case has not been determined."""
    target = payout_target(application.clause.policy)
    if target is None or application.status not in (Status.DETERMINED, Status.PAID):
        return None
    shares = list(payment.shares) if payment is not None else []
    determined = shares[0].payable.determined_on if shares else None
    paid_dates = [s.paid_on for s in shares if s.paid_on]
    unpaid = any(s.status in s.OPEN_STATUSES for s in shares)
    late = late_against_target(
        target,
        determined_on=determined,
        paid_on=None if unpaid or not paid_dates else max(paid_dates),
        today=today or timezone.localdate(),
    )
    return PolicyTiming(target=target, late=late, determined_on=determined)


def payment_status_of(application: Application):
    """Where the award's money stands; finance provides it (a higher app: reached by a typed
    link, ``portal.core.links.PAYMENT_STATUS``). None before the award is determined."""
    from portal.core import links

    if application.status not in (Status.DETERMINED, Status.PAID):
        return None
    return links.PAYMENT_STATUS(application)


def case_progress(application: Application, *, events, payment=None) -> dict:
    """What the case pages show above everything else: the steps and the policy's timing."""
    return {
        "steps": case_steps(application, events=events, payment=payment),
        "timing": policy_timing(application, payment=payment),
    }
