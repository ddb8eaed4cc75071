import datetime as dt

import pytest

from portal.core.models import WorkdayOverride
from portal.core.workdays import add_workdays, is_workday, workdays_between

pytestmark = pytest.mark.django_db
D = dt.date


def test_spring_festival_2023_and_its_make_up_working_days():
    # 2023 春节: 1月21日至27日放假调休，1月28日（星期六）、1月29日（星期日）上班。
    assert not is_workday(D(2023, 1, 23))
    assert is_workday(D(2023, 1, 28)) and is_workday(D(2023, 1, 29))
    # Friday 20 Jan + 1 working day: the holiday week is skipped, Saturday 28th counts.
    assert add_workdays(D(2023, 1, 20), 1) == D(2023, 1, 28)
    assert add_workdays(D(2023, 1, 20), 2) == D(2023, 1, 29)
    assert add_workdays(D(2023, 1, 20), 3) == D(2023, 1, 30)
    assert workdays_between(D(2023, 1, 20), D(2023, 1, 30)) == 3


def test_ordinary_week_and_weekend():
    assert add_workdays(D(2023, 3, 3), 5) == D(2023, 3, 10)  # Friday + 5 -> next Friday
    assert add_workdays(D(2023, 3, 3), 0) == D(2023, 3, 3)
    assert not is_workday(D(2023, 3, 4))


def test_override_wins_and_covers_unknown_years():
    assert is_workday(D(2030, 1, 2))  # unknown year: a Wednesday
    WorkdayOverride.objects.create(day=D(2030, 1, 2), is_workday=False, note="元旦调休")
    WorkdayOverride.objects.create(day=D(2030, 1, 5), is_workday=True, note="调休上班")
    assert not is_workday(D(2030, 1, 2))
    # Tue 1st (no holiday data for 2030), Wed 2nd off, Thu 3rd, Fri 4th, Sat 5th works.
    assert add_workdays(D(2029, 12, 31), 4) == D(2030, 1, 5)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2023, 1, 1), -1)
