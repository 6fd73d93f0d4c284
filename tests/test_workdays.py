"""Working days follow the official calendar: National Day is off, its 调休 Saturday is a working day."""
from datetime import date

from core.workdays import add_workdays, workdays_between


def test_national_day_week_and_make_up_saturday():
    # 2026-09-30 (Wed) → 2026-10-12 (Mon): 10-01..10-07 off (with the weekend), 10-08/09 (Thu/Fri) work,
    # 10-10 (Sat) is a 调休 working day, 10-11 (Sun) off, 10-12 (Mon) work.
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == (4, True)


def test_start_day_does_not_count_and_same_day_is_zero():
    assert workdays_between(date(2026, 11, 16), date(2026, 11, 16)) == (0, True)
    assert workdays_between(date(2026, 11, 16), date(2026, 11, 17)) == (1, True)


def test_twenty_working_days_deadline():
    assert add_workdays(date(2026, 11, 2), 20) == date(2026, 11, 30)
    assert workdays_between(date(2026, 11, 2), date(2026, 11, 30)) == (20, True)


def test_years_without_calendar_data_fall_back_to_weekdays_and_say_so():
    count, exact = workdays_between(date(2100, 3, 1), date(2100, 3, 8))  # Mon → Mon
    assert (count, exact) == (5, False)
