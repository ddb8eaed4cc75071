"""Chinese working days: official holidays and make-up working days (调休).

The ``chinesecalendar`` package knows the State Council's schedule for the years it was
released for; ``WorkdayOverride`` rows (edited by administrators in the admin) win over it and
cover the years it does not know yet. Outside both, Monday to Friday are working days.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The administrators' overrides from ``start`` to ``end``: day -> is a working day."""
    from portal.core.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(day__range=(start, end)).values_list("day", "is_workday")
    )


def _library_says(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet
        return day.weekday() < 5


def is_workday_with(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    """``is_workday`` with the overrides already read (``overrides_between``)."""
    return overrides[day] if day in overrides else _library_says(day)


def is_workday(day: dt.date) -> bool:
    return is_workday_with(day, overrides_between(day, day))


def overrides_reach(days: int) -> int:
    """How many calendar days past the start ``days`` working days can reach (holidays
    included) with room to spare: the span of overrides ``add_workdays`` reads."""
    return days * 3 + 60


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    A 5-working-day deadline from a Friday before a holiday lands after the holiday; make-up
    working days on weekends count.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    end = start + dt.timedelta(days=overrides_reach(days))
    return add_workdays_with(start, days, overrides_between(start, end))


def add_workdays_with(start: dt.date, days: int, overrides: dict[dt.date, bool]) -> dt.date:
    """``add_workdays`` with the overrides already read (for callers that read them in a
    statement of their own, or once for several deadlines)."""
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if is_workday_with(day, overrides):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    if end <= start:
        return 0
    overrides = overrides_between(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday_with(day, overrides)
    return count
