"""AWS cron schedules: the documented examples, hand-computed next fires across month ends, leap
years and year boundaries, the errors, and properties over generated schedules.

Calendar facts used below (checked against a printed calendar): 2026-11-27 is a Friday;
2026-08-01 a Saturday; 2026-11-15 and 2027-01-31 Sundays; 2026-12-01 a Tuesday; 2028 and 2032
are leap years, 2100 is not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openglue.errors import InvalidInputException
from openglue.scheduler.cron import aws_weekday, parse_cron


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def fires(expression: str, after: str, count: int) -> list[str]:
    schedule = parse_cron(expression)
    found, moment = [], at(after)
    for _ in range(count):
        following = schedule.next_fire(moment)
        assert following is not None
        found.append(following.strftime("%Y-%m-%d %H:%M %a"))
        moment = following
    return found


# Every example of Glue's "Time-based schedules for jobs and crawlers" and EventBridge's cron
# reference, with the times it must fire after Friday 2026-11-27 09:30 UTC.
DOCUMENTED = [
    # "Run at 10:00 am (UTC) every day"
    ("cron(0 10 * * ? *)", ["2026-11-27 10:00 Fri", "2026-11-28 10:00 Sat"]),
    # "Run at 12:15 pm (UTC) every day"
    ("cron(15 12 * * ? *)", ["2026-11-27 12:15 Fri", "2026-11-28 12:15 Sat"]),
    # "Run at 6:00 pm (UTC) every Monday through Friday"
    ("cron(0 18 ? * MON-FRI *)", ["2026-11-27 18:00 Fri", "2026-11-30 18:00 Mon"]),
    # "Run at 8:00 am (UTC) every first day of the month"
    ("cron(0 8 1 * ? *)", ["2026-12-01 08:00 Tue", "2027-01-01 08:00 Fri"]),
    # "Run every 15 minutes"
    ("cron(0/15 * * * ? *)", ["2026-11-27 09:45 Fri", "2026-11-27 10:00 Fri"]),
    # "Run every 10 minutes Monday through Friday"
    ("cron(0/10 * ? * MON-FRI *)", ["2026-11-27 09:40 Fri", "2026-11-27 09:50 Fri"]),
    # "Run every 5 minutes Monday through Friday between 8:00 am and 5:55 pm (UTC)"
    ("cron(0/5 8-17 ? * MON-FRI *)", ["2026-11-27 09:35 Fri", "2026-11-27 09:40 Fri"]),
    # "Run every 30 minutes Monday through Friday between 10:00 pm on the starting day to
    # 2:00 am on the following day" (the hour range wraps past midnight)
    ("cron(0/30 22-2 ? * MON-FRI *)", ["2026-11-27 22:00 Fri", "2026-11-27 22:30 Fri"]),
    # "Run at 10:15 am (UTC) on the last Friday of each month"
    ("cron(15 10 ? * 6L *)", ["2026-11-27 10:15 Fri", "2026-12-25 10:15 Fri"]),
    # "3#2 would be the second Tuesday of the month"
    ("cron(0 9 ? * 3#2 *)", ["2026-12-08 09:00 Tue", "2027-01-12 09:00 Tue"]),
    # "Run every day at midnight" (the crawler schedule page)
    ("cron(0 0 * * ? *)", ["2026-11-28 00:00 Sat", "2026-11-29 00:00 Sun"]),
]


@pytest.mark.parametrize(("expression", "expected"), DOCUMENTED)
def test_documented_examples(expression: str, expected: list[str]) -> None:
    assert fires(expression, "2026-11-27T09:30", len(expected)) == expected


def test_across_month_and_year_ends() -> None:
    assert fires("cron(0/15 * * * ? *)", "2026-12-31T23:50", 2) == [
        "2027-01-01 00:00 Fri",
        "2027-01-01 00:15 Fri",
    ]
    assert fires("cron(0 8 31 * ? *)", "2026-11-01T00:00", 3) == [
        "2026-12-31 08:00 Thu",  # November has no 31st
        "2027-01-31 08:00 Sun",
        "2027-03-31 08:00 Wed",  # nor has February
    ]
    # Friday evening to Monday morning: the weekend is skipped.
    assert fires("cron(0/10 * ? * MON-FRI *)", "2026-11-27T23:55", 1) == ["2026-11-30 00:00 Mon"]
    assert fires("cron(0/5 8-17 ? * MON-FRI *)", "2026-11-27T17:55", 1) == ["2026-11-30 08:00 Mon"]
    # The wrapping hour range ends at 02:30 and starts again at 22:00.
    assert fires("cron(0/30 22-2 ? * * *)", "2026-11-28T02:00", 2) == [
        "2026-11-28 02:30 Sat",
        "2026-11-28 22:00 Sat",
    ]


def test_leap_years() -> None:
    assert fires("cron(0 0 29 2 ? *)", "2026-11-27T09:30", 3) == [
        "2028-02-29 00:00 Tue",
        "2032-02-29 00:00 Sun",
        "2036-02-29 00:00 Fri",
    ]
    assert fires("cron(0 0 L * ? *)", "2027-02-01T00:00", 1) == ["2027-02-28 00:00 Sun"]
    assert fires("cron(0 0 L * ? *)", "2028-02-01T00:00", 1) == ["2028-02-29 00:00 Tue"]
    assert fires("cron(0 0 L 2 ? *)", "2099-03-01T00:00", 1) == ["2100-02-28 00:00 Sun"]


def test_nearest_weekday_stays_in_the_month() -> None:
    # 1 Aug 2026 is a Saturday: the nearest weekday in August is Monday the 3rd, not 31 July.
    assert fires("cron(0 9 1W * ? *)", "2026-07-15T00:00", 1) == ["2026-08-03 09:00 Mon"]
    # 15 Nov 2026 is a Sunday: Monday the 16th.
    assert fires("cron(0 9 15W * ? *)", "2026-11-01T00:00", 1) == ["2026-11-16 09:00 Mon"]
    # 31 Jan 2027 is a Sunday: Friday the 29th (Monday would be February).
    assert fires("cron(0 9 31W * ? *)", "2027-01-01T00:00", 1) == ["2027-01-29 09:00 Fri"]
    assert fires("cron(0 9 LW * ? *)", "2027-01-01T00:00", 2) == [
        "2027-01-29 09:00 Fri",
        "2027-02-26 09:00 Fri",
    ]
    # A month without the day (31W in February) is skipped.
    assert fires("cron(0 9 31W 2,3 ? *)", "2027-01-01T00:00", 1) == ["2027-03-31 09:00 Wed"]


def test_names_lists_steps_and_years() -> None:
    assert fires("cron(0 12 ? jan,JUL MON *)", "2026-11-27T00:00", 2) == [
        "2027-01-04 12:00 Mon",
        "2027-01-11 12:00 Mon",
    ]
    assert fires("cron(1/20 3 * * ? *)", "2026-11-27T00:00", 3) == [
        "2026-11-27 03:01 Fri",
        "2026-11-27 03:21 Fri",
        "2026-11-27 03:41 Fri",
    ]
    assert fires("cron(0 0 1 1 ? 2027-2031/2)", "2026-01-01T00:00", 3) == [
        "2027-01-01 00:00 Fri",
        "2029-01-01 00:00 Mon",
        "2031-01-01 00:00 Wed",
    ]
    assert fires("cron(0 0 ? * L *)", "2026-11-27T00:00", 1) == ["2026-11-28 00:00 Sat"]
    once = parse_cron("cron(0 0 1 1 ? 2030)")
    assert once.next_fire(at("2029-06-01T00:00")) == at("2030-01-01T00:00")
    assert once.next_fire(at("2030-01-01T00:00")) is None


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("cron(0 12 * * * *)", "exactly one of Day-of-month and Day-of-week must be ?"),
        ("cron(0 12 ? * ? *)", "exactly one of Day-of-month and Day-of-week must be ?"),
        ("cron(0 12 * * ?)", "5 fields inside cron(...), not 6"),
        ("0 12 * * ? *", "written cron(...)"),
        ("rate(5 minutes)", "not rate(...)"),
        ("cron(60 * * * ? *)", "the Minutes field has 60, outside 0-59"),
        ("cron(0 24 * * ? *)", "the Hours field has 24, outside 0-23"),
        ("cron(0 12 32 * ? *)", "the Day-of-month field has 32"),
        ("cron(0 12 ? FOO * *)", "the Month field has 'FOO'; use 1-12 or JAN-DEC"),
        ("cron(0 12 ? * 8 *)", "the Day-of-week field has 8, outside 1-7"),
        ("cron(0 12 ? * 3#6 *)", "single day#n with n from 1 to 5"),
        ("cron(0 12 ? * 3#1,6#3 *)", "single day#n"),
        ("cron(0 12 1 1 ? 1969)", "the Year field has 1969"),
        ("cron(0/0 12 * * ? *)", "the step '0'"),
        ("cron(0 0 L,15 * ? *)", "uses L or W with other items"),
        ("cron(* * * * ? *)", "fires 1 minute(s) apart"),
        ("cron(0,3 * * * ? *)", "fires 3 minute(s) apart"),
        ("cron(58 1,2 * * ? *)", None),  # 01:58 and 02:58: an hour apart, fine
        ("cron(58,2 1,2 * * ? *)", "fires 4 minute(s) apart"),  # 01:58 then 02:02
    ],
)
def test_invalid_schedules_say_what_is_wrong(expression: str, says: str | None) -> None:
    if says is None:
        parse_cron(expression)
        return
    with pytest.raises(InvalidInputException) as caught:
        parse_cron(expression)
    assert says in caught.value.message
    assert expression in caught.value.message


# Properties over generated schedules. Each field is generated together with the set of values
# it means, written independently of the parser (a list of values, or a range), so the test
# knows what every result must match.


def _field(
    low: int, high: int, everything: range | None = None
) -> st.SearchStrategy[tuple[str, frozenset[int]]]:
    """Texts for values in ``low..high``; ``*`` means ``everything`` (default: that range)."""
    listed = st.sets(st.integers(low, high), min_size=1, max_size=4).map(
        lambda values: (",".join(map(str, sorted(values))), frozenset(values))
    )
    ranged = st.tuples(st.integers(low, high), st.integers(low, high)).map(
        lambda ab: (f"{min(ab)}-{max(ab)}", frozenset(range(min(ab), max(ab) + 1)))
    )
    star = frozenset(everything or range(low, high + 1))
    return st.one_of(st.just(("*", star)), listed, ranged)


_minutes = st.sets(st.integers(0, 11), min_size=1, max_size=3).map(
    lambda values: (",".join(str(v * 5) for v in sorted(values)), frozenset(v * 5 for v in values))
)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[str, dict[str, frozenset[int]]]:
    minute, hour = draw(_minutes), draw(_field(0, 23))
    month, year = draw(_field(1, 12)), draw(_field(2000, 2060, range(1970, 2200)))
    by_weekday = draw(st.booleans())
    day = draw(_field(1, 7) if by_weekday else _field(1, 28, range(1, 32)))
    dom, dow = ("?", day[0]) if by_weekday else (day[0], "?")
    text = f"cron({minute[0]} {hour[0]} {dom} {month[0]} {dow} {year[0]})"
    sets = {"minute": minute[1], "hour": hour[1], "month": month[1], "year": year[1]}
    sets["weekday" if by_weekday else "day"] = day[1]
    return text, sets


_moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2060, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=dt.UTC)
)


def _matches(moment: dt.datetime, sets: dict[str, frozenset[int]]) -> bool:
    weekday = aws_weekday(moment.year, moment.month, moment.day)
    return (
        moment.minute in sets["minute"]
        and moment.hour in sets["hour"]
        and moment.month in sets["month"]
        and moment.year in sets["year"]
        and moment.day in sets.get("day", frozenset(range(1, 32)))
        and weekday in sets.get("weekday", frozenset(range(1, 8)))
        and moment.second == 0
    )


@settings(max_examples=300, deadline=None)
@given(schedules(), _moments, st.integers(1, 60 * 24 * 40))
def test_next_fire_matches_every_field_and_increases(
    generated: tuple[str, dict[str, frozenset[int]]], after: dt.datetime, later_by: int
) -> None:
    text, sets = generated
    schedule = parse_cron(text)
    first = schedule.next_fire(after)
    if first is None:  # only when the years have run out
        assert max(sets["year"]) <= after.year
        return
    assert first > after
    assert _matches(first, sets), (text, first)
    second = schedule.next_fire(first)
    assert second is None or (second > first and _matches(second, sets))
    # Monotonic: starting later never fires earlier.
    later = schedule.next_fire(after + dt.timedelta(minutes=later_by))
    assert later is None or later >= first
    # Nothing was skipped: no matching minute lies between ``after`` and the first fire
    # (checked minute by minute when that span is short).
    moment = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if first - moment <= dt.timedelta(days=2):
        while moment < first:
            assert not _matches(moment, sets), (text, moment, first)
            moment += dt.timedelta(minutes=5 if moment.minute % 5 == 0 else 1)
