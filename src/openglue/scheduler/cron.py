"""AWS cron schedules: ``cron(Minutes Hours Day-of-month Month Day-of-week Year)`` in UTC.

The syntax of Glue's "Time-based schedules for jobs and crawlers" and EventBridge's cron
reference: exactly one of the two day fields is ``?``; day-of-week counts 1 = SUN … 7 = SAT;
``L`` is the last day of the month (day-of-month) or Saturday (day-of-week), ``5L`` the last
Thursday of the month; ``15W`` the weekday nearest the 15th without leaving the month, ``LW``
the last weekday; ``3#2`` the second Tuesday (then the only item of its field). Glue refuses
schedules that fire more often than every 5 minutes, and so do we.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from openglue.scheduler.cron_fields import (
    DAY_OF_MONTH,
    DAY_OF_WEEK,
    HOURS,
    MINUTES,
    MONTH,
    YEAR,
    bad,
    parse_values,
)

MIN_INTERVAL_MINUTES = 5
UTC = dt.UTC

DayRule = Callable[[int, int, int], bool]  # (year, month, day) → whether it may fire that day


def aws_weekday(year: int, month: int, day: int) -> int:
    """1 = Sunday … 7 = Saturday."""
    return (calendar.weekday(year, month, day) + 1) % 7 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _nearest_weekday(year: int, month: int, target: int) -> int | None:
    """The weekday (Mon-Fri) nearest day ``target``, staying in the month (Quartz's ``W``)."""
    last = _last_day(year, month)
    if target > last:
        return None
    weekday = aws_weekday(year, month, target)
    if weekday == 7:  # Saturday: the Friday before, or the Monday after the 1st
        return target - 1 if target > 1 else target + 2
    if weekday == 1:  # Sunday: the Monday after, or the Friday before the month's end
        return target + 1 if target < last else target - 2
    return target


def _day_of_month_rule(text: str, expression: str) -> DayRule:
    upper = text.upper()
    if upper == "L":
        return lambda y, m, d: d == _last_day(y, m)
    if upper == "LW":

        def last_weekday(y: int, m: int, d: int) -> bool:
            return d == _nearest_weekday(y, m, _last_day(y, m))

        return last_weekday
    if upper.endswith("W"):
        target = DAY_OF_MONTH.value(upper[:-1], expression)
        return lambda y, m, d: d == _nearest_weekday(y, m, target)
    if "L" in upper or "W" in upper:
        raise bad(
            expression,
            f"the Day-of-month field {text!r} uses L or W with other items; write L, LW or nW "
            "(e.g. 15W) alone",
        )
    days = parse_values(text, DAY_OF_MONTH, expression)
    return lambda y, m, d: d in days


def _day_of_week_rule(text: str, expression: str) -> DayRule:
    upper = text.upper()
    if "#" in upper:
        day_text, _, nth_text = upper.partition("#")
        if "," in text or not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
            raise bad(
                expression,
                f"the Day-of-week field {text!r} must be a single day#n with n from 1 to 5 "
                "(e.g. 3#2, the second Tuesday)",
            )
        weekday, nth = DAY_OF_WEEK.value(day_text, expression), int(nth_text)
        return lambda y, m, d: aws_weekday(y, m, d) == weekday and (d - 1) // 7 + 1 == nth
    if upper == "L":
        return lambda y, m, d: aws_weekday(y, m, d) == 7
    if upper.endswith("L"):
        weekday = DAY_OF_WEEK.value(upper[:-1], expression)
        return lambda y, m, d: aws_weekday(y, m, d) == weekday and d + 7 > _last_day(y, m)
    if "L" in upper:
        raise bad(
            expression,
            f"the Day-of-week field {text!r} uses L with other items; write nL (e.g. 6L, the "
            "last Friday) alone",
        )
    weekdays = parse_values(text, DAY_OF_WEEK, expression)
    return lambda y, m, d: aws_weekday(y, m, d) in weekdays


@dataclass(frozen=True)
class CronSchedule:
    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: tuple[int, ...]
    years: tuple[int, ...]
    fires_on_day: DayRule

    def next_fire(self, after: dt.datetime) -> dt.datetime | None:
        """The first firing time strictly after ``after`` (UTC, whole minutes), or ``None``
        when the schedule never fires again (its last year has passed)."""
        start = after.astimezone(UTC).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        begin = (start.year, start.month, start.day)
        for year, month, day in self._days_from(begin):
            same_day = (year, month, day) == begin
            for hour in self.hours:
                if same_day and hour < start.hour:
                    continue
                for minute in self.minutes:
                    if same_day and hour == start.hour and minute < start.minute:
                        continue
                    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)
        return None

    def _days_from(self, begin: tuple[int, int, int]) -> Iterator[tuple[int, int, int]]:
        for year in self.years:
            if year < begin[0]:
                continue
            for month in self.months:
                if (year, month) < begin[:2]:
                    continue
                for day in range(1, _last_day(year, month) + 1):
                    if (year, month, day) >= begin and self.fires_on_day(year, month, day):
                        yield year, month, day


def parse_cron(expression: str) -> CronSchedule:
    """``InvalidInputException`` saying what is wrong, for anything but a valid schedule."""
    text = expression.strip()
    if text.lower().startswith("rate("):
        raise bad(expression, "Glue triggers take cron(...) schedules, not rate(...)")
    if not (text.lower().startswith("cron(") and text.endswith(")")):
        raise bad(expression, "it must be written cron(...)")
    fields = text[5:-1].split()
    if len(fields) != 6:
        raise bad(expression, f"it has {len(fields)} fields inside cron(...), not 6")
    minute_text, hour_text, dom_text, month_text, dow_text, year_text = fields
    if (dom_text == "?") == (dow_text == "?"):
        raise bad(
            expression,
            "exactly one of Day-of-month and Day-of-week must be ? (e.g. cron(0 8 1 * ? *) or "
            "cron(0 18 ? * MON-FRI *))",
        )
    if "?" in (dom_text + dow_text).replace("?", "", 1) or "?" in minute_text + hour_text:
        raise bad(expression, "? is allowed only as the whole Day-of-month or Day-of-week field")
    if dom_text == "?":
        rule = _day_of_week_rule(dow_text, expression)
    else:
        rule = _day_of_month_rule(dom_text, expression)
    schedule = CronSchedule(
        expression=text,
        minutes=tuple(sorted(parse_values(minute_text, MINUTES, expression))),
        hours=tuple(sorted(parse_values(hour_text, HOURS, expression))),
        months=tuple(sorted(parse_values(month_text, MONTH, expression))),
        years=tuple(sorted(parse_values(year_text, YEAR, expression))),
        fires_on_day=rule,
    )
    _check_interval(schedule, expression)
    return schedule


def _check_interval(schedule: CronSchedule, expression: str) -> None:
    """Refuse schedules that can fire twice within ``MIN_INTERVAL_MINUTES`` (Glue's limit)."""
    minutes = schedule.minutes
    gaps = [b - a for a, b in itertools.pairwise(minutes)]
    hours = set(schedule.hours)
    if any((h + 1) % 24 in hours for h in hours):
        gaps.append(60 - minutes[-1] + minutes[0])
    if gaps and min(gaps) < MIN_INTERVAL_MINUTES:
        raise bad(
            expression,
            f"it fires {min(gaps)} minute(s) apart; Glue schedules fire at most every "
            f"{MIN_INTERVAL_MINUTES} minutes (e.g. 0/5 in the Minutes field)",
        )
