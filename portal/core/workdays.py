"""Chinese working days: official holidays and make-up working days (调休).

The ``chinesecalendar`` package knows the State Council's schedule for the years it was
released for; ``WorkdayOverride`` rows (edited by administrators in the admin) win over it and
cover the years it does not know yet. Outside both, Monday to Friday are working days.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from portal.core.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(day__range=(start, end)).values_list("day", "is_workday")
    )


def _library_says(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    found = _overrides(day, day)
    return found[day] if day in found else _library_says(day)


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    A 5-working-day deadline from a Friday before a holiday lands after the holiday; make-up
    working days on weekends count.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    overrides = _overrides(start, start + dt.timedelta(days=days * 3 + 60))
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if overrides[day] if day in overrides else _library_says(day):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += overrides[day] if day in overrides else _library_says(day)
    return count
