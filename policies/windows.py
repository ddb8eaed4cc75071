"""申报时间: the one place that says whether a clause takes applications on a day.

Two kinds of dates are kept apart:

- 政策有效期 (``Policy.effective_from``/``effective_to``) and the clause's 原申报时间
  (``Clause.application_opens``/``application_closes``) come from the policy text and are never
  moved (``load_policies`` writes them from the data files);
- 申报批次 (``ApplicationBatch``) are the dated periods the responsible office (or, marked as
  such, the demo) opens for applications later, each with its own name and dates.

A clause is 正在申报 on a day inside any of its windows (the text's own window or a batch);
otherwise 即将开始 if one opens later, else 已截止. Every reader (policy pages, the calculator,
为我推荐, the application service through ``Clause.window_open_on``) asks :func:`clause_window`,
so no two pages can disagree. A text window without an end date ends with the policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
STATE_LABELS = {OPEN: "正在申报", UPCOMING: "即将开始", CLOSED: "已截止"}
TEXT_WINDOW_NAME = "原申报时间（政策文件规定）"


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


@dataclass(frozen=True)
class Window:
    name: str
    opens: dt.date | None
    closes: dt.date | None
    is_demo: bool = False
    from_text: bool = False
    note: str = ""

    def contains(self, day: dt.date) -> bool:
        if self.opens and day < self.opens:
            return False
        return not (self.closes and day > self.closes)

    @property
    def dates(self) -> str:
        """ "2023年4月15日至2023年6月30日"; an open end reads 不限 / 长期."""
        opens = _day(self.opens) or "不限"
        closes = _day(self.closes) or "长期"
        return f"{opens}至{closes}"


@dataclass(frozen=True)
class ClauseWindow:
    """Where a clause stands on ``day``: its state and the window that decides it."""

    day: dt.date
    state: str
    current: Window | None  # the open window, else the next to open, else the last to close
    text_window: Window | None  # 原申报时间 from the policy text
    batches: tuple[Window, ...] = field(default_factory=tuple)
    policy_ends: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def policy_ended(self) -> bool:
        return bool(self.policy_ends and self.day > self.policy_ends)

    @property
    def is_demo(self) -> bool:
        return bool(self.current and self.current.is_demo)

    @property
    def after_policy_end(self) -> bool:
        """The deciding window is a batch opened after the policy's effective period ended."""
        w = self.current
        return bool(
            w and not w.from_text and self.policy_ends and w.opens and w.opens > self.policy_ends
        )

    @property
    def sentence(self) -> str:
        """One line a person reads: "正在申报：2026年度演示申报批次（演示数据），…至…"."""
        if self.current is None:
            return "已截止：没有申报批次"
        w = self.current
        return f"{self.label}：{w.name}{'（演示数据）' if w.is_demo and '演示' not in w.name else ''}，{w.dates}"


def windows_of(clause, rows=None) -> tuple[Window | None, tuple[Window, ...]]:
    """(the text's window or None, the batches in date order). Uses prefetched batches, or
    ``rows``: the clause's batches read already."""
    policy = clause.policy
    batches = tuple(
        Window(b.name, b.opens_on, b.closes_on, is_demo=b.is_demo, note=b.note)
        for b in sorted(
            clause.batches.all() if rows is None else rows, key=lambda b: (b.opens_on, b.pk or 0)
        )
    )
    has_dates = clause.application_opens or clause.application_closes
    if has_dates or not batches:
        closes = clause.application_closes or policy.effective_to
        text = Window(
            TEXT_WINDOW_NAME,
            clause.application_opens or policy.effective_from,
            closes,
            from_text=True,
        )
    else:
        text = None
    return text, batches


def clause_window(clause, day: dt.date | None = None, rows=None) -> ClauseWindow:
    """The clause's state on ``day`` (today in Asia/Shanghai by default): the single source.
    ``rows``: its batches when read already (else the prefetched ``clause.batches``)."""
    if day is None:
        from django.utils import timezone

        day = timezone.localdate()
    text, batches = windows_of(clause, rows)
    windows = ([text] if text else []) + list(batches)
    inside = [w for w in windows if w.contains(day)]
    later = sorted((w for w in windows if w.opens and w.opens > day), key=lambda w: w.opens)
    if inside:
        # a batch is the newer arrangement: it names the period people apply in
        state, current = OPEN, next((w for w in inside if not w.from_text), inside[0])
    elif later:
        state, current = UPCOMING, later[0]
    else:
        ended = [w for w in windows if w.closes]
        state, current = CLOSED, max(ended, key=lambda w: w.closes) if ended else None
    return ClauseWindow(
        day=day,
        state=state,
        current=current,
        text_window=text,
        batches=batches,
        policy_ends=clause.policy.effective_to,
    )


@dataclass(frozen=True)
class PolicyWindows:
    """A policy's clauses taken together: how many are open, upcoming; any demo batch."""

    open: int
    upcoming: int
    total: int
    demo_batches: tuple[str, ...]

    @property
    def state(self) -> str:
        return OPEN if self.open else UPCOMING if self.upcoming else CLOSED

    @property
    def label(self) -> str:
        if self.open:
            demo = f"（演示批次：{'、'.join(self.demo_batches)}）" if self.demo_batches else ""
            return f"{self.open} 个条款正在申报{demo}"
        if self.upcoming:
            return f"{self.upcoming} 个条款即将开始申报"
        return "各条款均已截止申报"


def policy_windows(clauses, day: dt.date | None = None, rows=None) -> PolicyWindows:
    """``rows``: clause pk -> its batches, when read already."""
    states = [clause_window(c, day, None if rows is None else rows.get(c.pk, ())) for c in clauses]
    demo = []
    for s in states:
        if s.is_open and s.is_demo and s.current.name not in demo:
            demo.append(s.current.name)
    return PolicyWindows(
        open=sum(s.is_open for s in states),
        upcoming=sum(s.state == UPCOMING for s in states),
        total=len(states),
        demo_batches=tuple(demo),
    )
