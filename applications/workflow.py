"""The life of a case as data: statuses, actions and the one transition table.

Every status change goes through ``applications.services.application_transition``, which
looks the move up here (``find_transition``) and checks the actor's role and scope. Nothing
else in the code decides which status follows which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from portal.accounts.models import Role


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    DISTRICT_REVIEW = "district_review", "区县初审"
    CITY_REVIEW = "city_review", "市级复审"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "拟支持"
    IN_NOTICE = "in_notice", "公示中"
    DETERMINED = "determined", "已确定"
    PAID = "paid", "已拨付（办结）"
    REJECTED = "rejected", "不予支持"
    WITHDRAWN = "withdrawn", "已撤回"
    LAPSED = "lapsed", "补正逾期"
    PROPOSED = "proposed", "待确认"  # 免申即享: the system proposes, the enterprise confirms


# What the enterprise sees: it does not need to know which desk holds its case.
SIMPLE_LABELS: dict[str, str] = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.DISTRICT_REVIEW: "审核中",
    Status.CITY_REVIEW: "审核中",
    Status.RETURNED: "待补正",
    Status.APPROVED: "审核通过",
    Status.IN_NOTICE: "公示中",
    Status.DETERMINED: "已确定支持",
    Status.PAID: "已拨付，办结",
    Status.REJECTED: "不予支持",
    Status.WITHDRAWN: "已撤回",
    Status.LAPSED: "补正逾期",
    Status.PROPOSED: "待确认",
}

# What the enterprise can expect next, shown on the case page.
NEXT_STEPS: dict[str, str] = {
    Status.DRAFT: "填写申报数据、上传全部材料并签署信用承诺后提交。",
    Status.SUBMITTED: "等待受理。",
    Status.DISTRICT_REVIEW: "所在区县工信部门正在初审，通过后报市工信局复审。",
    Status.CITY_REVIEW: "市工信局正在复审。",
    Status.RETURNED: "请按退回意见逐项补正，并在补正期限内重新提交；逾期未补正的，视为放弃申报。",
    Status.APPROVED: "审核通过，等待公示。",
    Status.IN_NOTICE: "公示期间如无异议，将确定支持并进入资金拨付流程。",
    Status.DETERMINED: "已确定支持，等待财政部门拨付资金。",
    Status.PAID: "奖补资金已全部拨付，案件办结。欢迎对本次服务进行评价。",
    Status.REJECTED: "案件已办结。",
    Status.WITHDRAWN: "案件已撤回，可在申报期内重新申报。",
    Status.LAPSED: "案件已办结。",
    Status.PROPOSED: "系统根据部门数据为您测算了奖补金额，请确认后进入审核。",
}

# Decided: no review acts any more (已确定 still moves on to 办结 when its money is all paid).
FINAL_STATUSES = frozenset(
    {Status.DETERMINED, Status.PAID, Status.REJECTED, Status.WITHDRAWN, Status.LAPSED}
)
# An award stands (determined, whether or not its money has all been paid yet): what budgets,
# ceilings and the dashboard count as determined money.
AWARDED_STATUSES = (Status.DETERMINED, Status.PAID)
UNDECIDED_STATUSES = frozenset(set(Status) - FINAL_STATUSES)


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申报"
    CONFIRM = "confirm", "确认申领"
    WITHDRAW = "withdraw", "撤回申报"
    RESUBMIT = "resubmit", "补正后重新提交"
    RECEIVE = "receive", "受理"
    DISTRICT_APPROVE = "district_approve", "区县初审通过"
    CITY_APPROVE = "city_approve", "市级复审通过"
    RETURN_FOR_CORRECTION = "return_for_correction", "退回补正"
    REJECT = "reject", "不予支持"
    PUBLISH_NOTICE = "publish_notice", "公示"
    OBJECT = "object", "公示有异议，重新复审"
    DETERMINE = "determine", "确定支持"
    LAPSE = "lapse", "补正逾期"
    EXPIRE = "expire", "逾期未确认"
    PAY_COMPLETE = "pay_complete", "资金拨付完毕，办结"


class Level(models.TextChoices):
    """Who acts: the enterprise, or the district or city level of review."""

    ENTERPRISE = "enterprise", "企业"
    DISTRICT = "district", "区县"
    CITY = "city", "市级"
    FINANCE = "finance", "财政"


LEVEL_ROLES: dict[str, frozenset[str]] = {
    Level.ENTERPRISE: frozenset({Role.ENTERPRISE}),
    Level.DISTRICT: frozenset({Role.DISTRICT_REVIEWER}),
    Level.CITY: frozenset({Role.CITY_REVIEWER}),
    # no person acts at this level (``selectors.acting_level`` never returns it): the last
    # payment moves the case, as the system, with the finance officer who recorded it as actor
    Level.FINANCE: frozenset({Role.FINANCE}),
}


# Guards choose between rows with the same (from, action): named, so the table stays data.
GUARDS: dict[str, Callable[[object], bool]] = {
    "district_path": lambda app: app.clause.review_path != "city_only",
    "city_path": lambda app: app.clause.review_path == "city_only",
    "returned_by_district": lambda app: app.returned_from == Status.DISTRICT_REVIEW,
    "returned_by_city": lambda app: app.returned_from == Status.CITY_REVIEW,
}


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    level: str
    needs_comment: bool = False
    guard: str = ""
    visible_to_enterprise: bool = True

    @property
    def roles(self) -> frozenset[str]:
        return LEVEL_ROLES[self.level]

    def applies_to(self, application) -> bool:
        return not self.guard or GUARDS[self.guard](application)


S, A, L = Status, Action, Level
T = Transition

TRANSITIONS: tuple[Transition, ...] = (
    # the enterprise
    T(S.DRAFT, A.SUBMIT, S.DISTRICT_REVIEW, L.ENTERPRISE, guard="district_path"),
    T(S.DRAFT, A.SUBMIT, S.CITY_REVIEW, L.ENTERPRISE, guard="city_path"),
    T(S.PROPOSED, A.CONFIRM, S.CITY_REVIEW, L.ENTERPRISE),
    T(S.RETURNED, A.RESUBMIT, S.DISTRICT_REVIEW, L.ENTERPRISE, guard="returned_by_district"),
    T(S.RETURNED, A.RESUBMIT, S.CITY_REVIEW, L.ENTERPRISE, guard="returned_by_city"),
    *(
        T(source, A.WITHDRAW, S.WITHDRAWN, L.ENTERPRISE, needs_comment=True)
        for source in (
            S.DRAFT,
            S.SUBMITTED,
            S.DISTRICT_REVIEW,
            S.CITY_REVIEW,
            S.RETURNED,
            S.APPROVED,
            S.IN_NOTICE,
            S.PROPOSED,
        )
    ),
    # a case filed through another channel waits in SUBMITTED until a reviewer receives it
    T(S.SUBMITTED, A.RECEIVE, S.DISTRICT_REVIEW, L.DISTRICT, guard="district_path"),
    T(S.SUBMITTED, A.RECEIVE, S.CITY_REVIEW, L.CITY, guard="city_path"),
    # district review
    T(S.DISTRICT_REVIEW, A.DISTRICT_APPROVE, S.CITY_REVIEW, L.DISTRICT),
    T(S.DISTRICT_REVIEW, A.RETURN_FOR_CORRECTION, S.RETURNED, L.DISTRICT, needs_comment=True),
    T(S.DISTRICT_REVIEW, A.REJECT, S.REJECTED, L.DISTRICT, needs_comment=True),
    # city review
    T(S.CITY_REVIEW, A.CITY_APPROVE, S.APPROVED, L.CITY),
    T(S.CITY_REVIEW, A.RETURN_FOR_CORRECTION, S.RETURNED, L.CITY, needs_comment=True),
    T(S.CITY_REVIEW, A.REJECT, S.REJECTED, L.CITY, needs_comment=True),
    T(S.APPROVED, A.PUBLISH_NOTICE, S.IN_NOTICE, L.CITY),
    T(S.APPROVED, A.REJECT, S.REJECTED, L.CITY, needs_comment=True),
    T(S.IN_NOTICE, A.OBJECT, S.CITY_REVIEW, L.CITY, needs_comment=True),
    T(S.IN_NOTICE, A.DETERMINE, S.DETERMINED, L.CITY),
    T(S.IN_NOTICE, A.REJECT, S.REJECTED, L.CITY, needs_comment=True),
    # the last share of the award paid (finance.services.batches, as the system): 办结
    T(S.DETERMINED, A.PAY_COMPLETE, S.PAID, L.FINANCE),
    T(S.PROPOSED, A.REJECT, S.REJECTED, L.CITY, needs_comment=True),
    # 免申即享: a proposal the enterprise did not confirm in time (a scheduled job, as system)
    T(S.PROPOSED, A.EXPIRE, S.WITHDRAWN, L.CITY, needs_comment=True),
    # a return not answered in time: the level that returned it closes it
    T(S.RETURNED, A.LAPSE, S.LAPSED, L.DISTRICT, guard="returned_by_district"),
    T(S.RETURNED, A.LAPSE, S.LAPSED, L.CITY, guard="returned_by_city"),
)

# Statuses that hold a live claim on (enterprise, clause, period): all but withdrawn.
CLAIMING_EXCLUDED = (Status.WITHDRAWN,)
# the statuses a case can have while it is on the city's desk (its queue's partial index)
CITY_DESK = (
    Status.SUBMITTED,
    Status.CITY_REVIEW,
    Status.RETURNED,
    Status.APPROVED,
    Status.IN_NOTICE,
)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def find_transition(application, action: str) -> Transition | None:
    """The row for ``action`` from the case's current status whose guard holds, if any."""
    for transition in TRANSITIONS:
        if (
            transition.source == application.status
            and transition.action == action
            and transition.applies_to(application)
        ):
            return transition
    return None


def level_of(action: str, source: str) -> set[str]:
    return {t.level for t in TRANSITIONS if t.action == action and t.source == source}


def simple_label(status: str) -> str:
    return SIMPLE_LABELS.get(status, "")
