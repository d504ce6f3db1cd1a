"""GetPartitions expressions compiled to SQL select exactly what a plain Python reading selects.

A few hundred partitions live in real ``partitions`` / ``partition_values`` tables (SQLite in
memory, and PostgreSQL when the test command provides it). Each expression is compiled, run as
SQL with one outer-joined ``partition_values`` alias per key it reads, and compared with a
reference predicate written here in Python over independently parsed values (ints, dates,
Decimals), with SQL's three-valued logic for missing and unparseable values.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Column,
    Connection,
    Float,
    FromClause,
    Index,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    create_engine,
    select,
)
from sqlalchemy.dialects import postgresql

from openglue.catalog.partition_expression import compile_expression
from openglue.catalog.partition_expression_parser import MAX_NESTING
from openglue.catalog.partition_values import is_numeric_type, numeric_projection
from openglue.errors import InvalidInputException

KEYS = [
    ("year", "int"),
    ("month", "string"),
    ("day", "string"),
    ("dt", "date"),
    ("amount", "decimal(10,2)"),
    ("region", "string"),
]
TABLE_ID = 1

# Values chosen to tell numeric from lexical order (9 < 10 < 0042), lenient and invalid dates,
# equal decimals spelled differently, and strings with quotes, wildcards and case.
POOLS = {
    "year": ["9", "10", "99", "0042", "2019", "2020", "2021", "2022", "2023", "2024", "2025",
             "__HIVE_DEFAULT_PARTITION__"],
    "month": ["1", "2", "9", "10", "11", "12", "01", "02", "09"],
    "day": ["1", "05", "15", "31", "7"],
    "dt": ["2024-01-05", "2024-1-5", "2023-12-31", "2024-02-29", "2020-06-15", "not-a-date",
           "2024-02-30"],
    "amount": ["12.30", "12.3", "-4", "0.5", "100", "9.99", "1e2", "abc"],
    "region": ["us-east-1", "US-EAST-1", "us-west-2", "eu_west", "euXwest", "a%b", "aXYb",
               "o'brien", "", "ünïcode", "[x]*?"],
}  # fmt: skip


def typed(key_type: str, raw: str | None) -> object:
    """The reference reading of a value, independent of ``numeric_projection``."""
    if raw is None:
        return None
    if key_type == "int":
        return int(raw) if re.fullmatch(r"[+-]?\d+", raw) else None
    if key_type == "date":
        try:
            return dt.datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            return None
    if key_type.startswith("decimal"):
        try:
            return Decimal(raw)
        except InvalidOperation:
            return None
    return raw


@dataclass(frozen=True)
class View:
    """A partition as the reference sees it: typed values, None when missing or unparseable."""

    raw: tuple[str, ...]

    def raw_at(self, position: int) -> str | None:
        return self.raw[position] if position < len(self.raw) else None

    def typed_at(self, position: int) -> object:
        return typed(KEYS[position][1], self.raw_at(position))

    @property
    def year(self) -> int | None:
        return self.typed_at(0)  # type: ignore[return-value]

    @property
    def month(self) -> str | None:
        return self.raw_at(1)

    @property
    def day(self) -> str | None:
        return self.raw_at(2)

    @property
    def dt(self) -> dt.date | None:
        return self.typed_at(3)  # type: ignore[return-value]

    @property
    def amount(self) -> Decimal | None:
        return self.typed_at(4)  # type: ignore[return-value]

    @property
    def region(self) -> str | None:
        return self.raw_at(5)


def make_views() -> dict[int, View]:
    rng = random.Random(20240601)
    views: dict[int, View] = {}
    for partition_id in range(1, 301):
        values = tuple(rng.choice(POOLS[name]) for name, _ in KEYS)
        if rng.random() < 0.06:  # a partition that lacks its last values: the IS NULL case
            values = values[: rng.randint(3, 5)]
        views[partition_id] = View(values)
    return views


VIEWS = make_views()

metadata = MetaData()
partitions = Table(
    "partitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("table_id", Integer, nullable=False),
)
partition_values = Table(
    "partition_values",
    metadata,
    Column("partition_id", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("table_id", Integer, nullable=False),
    # Hive orders strings by code point: PostgreSQL needs the "C" collation for that.
    Column("str_value", Text().with_variant(Text(collation="C"), "postgresql"), nullable=False),
    Column("num_value", Float, nullable=True),
    Index("ix_pv_str", "table_id", "position", "str_value"),
    Index("ix_pv_num", "table_id", "position", "num_value"),
)


def load(conn: Connection) -> None:
    metadata.create_all(conn)
    # A second table's partitions must never leak into the first one's answers.
    other = {1000 + i: View(("2024", "1", "1", "2024-01-01", "1", "x")) for i in range(5)}
    rows, values = [], []
    for table_id, views in ((TABLE_ID, VIEWS), (2, other)):
        for partition_id, view in views.items():
            rows.append({"id": partition_id, "table_id": table_id})
            for position, raw in enumerate(view.raw):
                number = numeric_projection(KEYS[position][1], raw)
                values.append(
                    {"partition_id": partition_id, "position": position, "table_id": table_id,
                     "str_value": raw, "num_value": number}
                )  # fmt: skip
    conn.execute(partitions.insert(), rows)
    conn.execute(partition_values.insert(), values)
    conn.commit()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def conn(request: pytest.FixtureRequest) -> Iterator[Connection]:
    if request.param == "sqlite":
        url = "sqlite://"
    else:
        url = request.getfixturevalue("postgres").create_database("pe_" + uuid.uuid4().hex[:10])
    engine = create_engine(url)
    with engine.connect() as connection:
        load(connection)
        yield connection
    engine.dispose()


def partition_query(expression: str) -> tuple[Select[tuple[int]], frozenset[int]]:
    compiled = compile_expression(expression, KEYS)
    query = select(partitions.c.id).where(partitions.c.table_id == TABLE_ID)
    if compiled is None:
        return query, frozenset()
    joined: FromClause = partitions
    aliases = {}
    for position in sorted(compiled.positions):
        alias = aliases[position] = partition_values.alias(f"pv{position}")
        # table_id and position lead both value indexes: naming them lets the database seek.
        on = and_(
            alias.c.table_id == TABLE_ID,
            alias.c.position == position,
            alias.c.partition_id == partitions.c.id,
        )
        joined = joined.join(alias, on, isouter=position not in compiled.required_positions)
    condition = compiled.condition(lambda i: (aliases[i].c.str_value, aliases[i].c.num_value))
    return query.select_from(joined).where(condition), compiled.positions


def selected(conn: Connection, expression: str) -> set[int]:
    query, _ = partition_query(expression)
    return set(conn.scalars(query))


def expected(predicate: Callable[[View], object]) -> set[int]:
    return {partition_id for partition_id, view in VIEWS.items() if predicate(view) is True}


def starts(value: str | None, prefix: str) -> bool:
    return value is not None and value.startswith(prefix)


D, N = dt.date, Decimal
CASES: list[tuple[str, Callable[[View], object]]] = [
    ("year > 2020", lambda v: v.year is not None and v.year > 2020),
    ("year < 10", lambda v: v.year is not None and v.year < 10),  # 9 only: numeric, not text
    ("year = 42", lambda v: v.year == 42),  # the value is spelled 0042
    ("year <> 2024", lambda v: v.year is not None and v.year != 2024),
    ("year != 2024", lambda v: v.year is not None and v.year != 2024),
    ("year >= '2023'", lambda v: v.year is not None and v.year >= 2023),
    ("2021 <= year", lambda v: v.year is not None and v.year >= 2021),
    ("2021 > year", lambda v: v.year is not None and v.year < 2021),
    ("month < '2'", lambda v: v.month is not None and v.month < "2"),  # lexical: '10' < '2'
    ("month >= 9", lambda v: v.month is not None and v.month >= "9"),
    ("month = '01'", lambda v: v.month == "01"),
    ("month = 1", lambda v: v.month == "1"),  # a number against a string key: its text
    ("day between '1' and '2'", lambda v: v.day is not None and "1" <= v.day <= "2"),
    ("dt = '2024-01-05'", lambda v: v.dt == D(2024, 1, 5)),  # also matches 2024-1-5
    ("dt < '2024-1-1'", lambda v: v.dt is not None and v.dt < D(2024, 1, 1)),
    ("dt between '2023-12-31' and '2024-02-29'",
     lambda v: v.dt is not None and D(2023, 12, 31) <= v.dt <= D(2024, 2, 29)),
    ("amount = 12.3", lambda v: v.amount == N("12.3")),
    ("amount > 99.5", lambda v: v.amount is not None and v.amount > N("99.5")),
    ("amount < 0", lambda v: v.amount is not None and v.amount < 0),
    ("amount in (0.5, '9.99')", lambda v: v.amount in (N("0.5"), N("9.99"))),
    ("region = 'o''brien'", lambda v: v.region == "o'brien"),
    ("region = ''", lambda v: v.region == ""),
    ("region > 'us'", lambda v: v.region is not None and v.region > "us"),
    ("region like 'us%'", lambda v: starts(v.region, "us")),
    ("region like 'US%'", lambda v: starts(v.region, "US")),  # case-sensitive, as in Hive
    ("region like 'eu_west'", lambda v: v.region in ("eu_west", "euXwest")),
    ("region like 'a%b'", lambda v: v.region in ("a%b", "aXYb")),
    ("region like '[x]*?'", lambda v: v.region == "[x]*?"),  # no GLOB wildcards leak through
    ("region like '%'", lambda v: v.region is not None),
    ("region not like 'us%'", lambda v: v.region is not None and not v.region.startswith("us")),
    ("year like '20%'", lambda v: starts(v.raw_at(0), "20")),  # LIKE reads the text
    ("region is null", lambda v: v.region is None),
    ("amount is not null", lambda v: v.raw_at(4) is not None),
    ("month in ('01', '1')", lambda v: v.month in ("01", "1")),
    ("month not in ('1', 2)", lambda v: v.month is not None and v.month not in ("1", "2")),
    ("year in (2020, 2021, '2022')", lambda v: v.year in (2020, 2021, 2022)),
    ("year not in (2020)", lambda v: v.year is not None and v.year != 2020),
    ("year between 2020 and 2022", lambda v: v.year is not None and 2020 <= v.year <= 2022),
    ("year not between 2020 and 2022",
     lambda v: v.year is not None and not 2020 <= v.year <= 2022),
    ("year between 2022 and 2020", lambda v: False),
    ("year = 2024 or year = 2023 and month = '1'",
     lambda v: v.year == 2024 or (v.year == 2023 and v.month == "1")),
    ("(year = 2024 or year = 2023) and month = '1'",
     lambda v: v.year in (2023, 2024) and v.month == "1"),
    ("not year = 2024 and month = '1'",
     lambda v: v.year is not None and v.year != 2024 and v.month == "1"),
    ("not (year = 2024 and month = '1')",  # unknown AND true stays unknown under NOT
     lambda v: (v.year is not None and v.year != 2024) or v.month != "1"),
    ("NOT NOT year = 2024", lambda v: v.year == 2024),
    ("year between 2020 and 2022 and month = '1'",  # BETWEEN takes the first AND
     lambda v: v.year is not None and 2020 <= v.year <= 2022 and v.month == "1"),
    ("YEAR > 2020 And Region Like 'us%'",
     lambda v: v.year is not None and v.year > 2020 and starts(v.region, "us")),
    ("`year` = 2024 OR \"REGION\" = 'eu_west'",
     lambda v: v.year == 2024 or v.region == "eu_west"),
    ("year > 2020 or region is null",
     lambda v: (v.year is not None and v.year > 2020) or v.region is None),
    ("(((year = 2024)))", lambda v: v.year == 2024),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "predicate"), CASES, ids=[c[0] for c in CASES])
def test_expression_selects_what_the_reference_selects(
    conn: Connection, expression: str, predicate: Callable[[View], object]
) -> None:
    assert selected(conn, expression) == expected(predicate)


def test_the_cases_are_not_vacuous() -> None:
    # Most hand-written cases must select some partitions and leave out others.
    sizes = [len(expected(predicate)) for _, predicate in CASES]
    assert sum(0 < size < len(VIEWS) for size in sizes) >= len(CASES) - 3


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_expression_is_no_filter(blank: str) -> None:
    assert compile_expression(blank, KEYS) is None


def test_positions_are_the_keys_read() -> None:
    compiled = compile_expression("Region like 'x%' or (year = 1 and `REGION` is null)", KEYS)
    assert compiled is not None
    assert compiled.positions == frozenset({0, 5})


def test_sqlite_answers_over_the_indexes() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        load(connection)
        plans = {}
        for expression in ("year > 2020", "region like 'us%'", "not region in ('a', 'b')"):
            query, _ = partition_query(expression)
            sql = query.compile(connection, compile_kwargs={"literal_binds": True})
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
            plans[expression] = " | ".join(row[-1] for row in rows)
    engine.dispose()
    for expression, plan in plans.items():
        assert "SCAN" not in plan and "USING INDEX ix_pv_" in plan, (expression, plan)


def test_postgresql_like_is_escaped_and_case_sensitive() -> None:
    compiled = compile_expression("region like 'a!%'", KEYS)
    assert compiled is not None
    condition = compiled.condition(lambda i: (partition_values.c.str_value,) * 2)
    sql = condition.compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
    assert "LIKE" in str(sql) and "ESCAPE '!'" in str(sql) and "ILIKE" not in str(sql)
    assert "a!!%" in sql.params.values()


ERRORS = [
    ("foo = 1", "Unknown column 'foo' in expression; the partition keys of this table are: "
                "year, month, day, dt, amount, region"),
    ("year = 'abc'", "partition key 'year' of type int with 'abc'"),
    ("year = 2020.5", "partition key 'year' of type int with 2020.5"),
    ("dt = '2024-13-01'", "'dt' of type date with '2024-13-01'"),
    ("amount between 1 and 'x'", "'amount' of type decimal(10,2) with 'x'"),
    ("year in (1, 'x')", "'year' of type int with 'x'"),
    ("(year = 1", "position 10: expected ')' to close the '(' at position 1"),
    ("year = 1)", "position 9: expected AND, OR or the end of the expression, found an "
                  "unbalanced ')'"),
    ("year = 1 month = 2", "position 10: expected AND, OR"),
    ("region = 'abc", "position 10: unterminated string literal"),
    ("`year = 1", "unterminated quoted name"),
    ("year =", "expected a partition key or a literal, found the end of the expression"),
    ("year in ()", "an IN list needs at least one literal"),
    ("year in (1, )", "expected a literal"),
    ("year in (1 2)", "expected ',' or ')' to close the IN list"),
    ("year = month", "cannot compare partition key 'year' with another key 'month'"),
    ("1 = 1", "a comparison needs a partition key on one side"),
    ("year between 1", "expected AND between the bounds of BETWEEN"),
    ("year is 5", "expected NULL after IS"),
    ("year not = 1", "expected IN, BETWEEN or LIKE after NOT"),
    ("year ~ 1", "position 6: unexpected character '~'"),
    ("region = 'a\x00'", "position 12: unexpected character '\\x00'"),
    ("and year = 1", "position 1: expected a partition key or a literal, found 'AND'"),
    ("year = null", "test for it with IS NULL"),
    ("5 in (1)", "IN needs a partition key on its left"),
    ("year", "expected a comparison operator"),
    ("(" * (MAX_NESTING + 1) + "year = 1" + ")" * (MAX_NESTING + 1), "nested more than"),
    ("not " * (MAX_NESTING + 1) + "year = 1", "nested more than"),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "message"), ERRORS, ids=[e[0][:40] for e in ERRORS])
def test_bad_expressions_are_invalid_input(expression: str, message: str) -> None:
    with pytest.raises(InvalidInputException) as raised:
        compile_expression(expression, KEYS)
    assert message in raised.value.message


def test_deepest_allowed_nesting_runs(conn: Connection) -> None:
    deep = "(" * MAX_NESTING + "year = 2024" + ")" * MAX_NESTING
    assert selected(conn, deep) == expected(lambda v: v.year == 2024)
    nots = "not " * MAX_NESTING + "year = 2024"  # an even number of NOTs
    assert selected(conn, nots) == expected(lambda v: v.year == 2024)


PROJECTIONS = [
    ("int", "2024", 2024.0),
    ("INT", "-7", -7.0),
    ("BigInt", "0042", 42.0),
    ("long", "+5", 5.0),
    ("tinyint", "1.5", None),
    ("smallint", " 5", None),
    ("integer", "1_000", None),
    ("double", "1e3", 1000.0),
    ("float", ".5", 0.5),
    ("float", "nan", None),
    ("double", "inf", None),
    ("decimal(10,2)", "12.30", 12.3),
    ("DECIMAL( 10 , 2 )", "-0.5", -0.5),
    ("decimal", "abc", None),
    ("date", "1970-01-02", 1.0),
    ("date", "2024-1-5", 19727.0),
    ("date", "1969-12-31", -1.0),
    ("date", "2024-02-30", None),
    ("date", "2024/01/05", None),
    ("timestamp", "1970-01-01 00:00:01", 1.0),
    ("timestamp", "1970-01-01T01:00:00.5", 3600.5),
    ("timestamp", "1970-01-01 00:00:00.123456789", 0.123456789),
    ("timestamp", "1970-01-01T02:00:00+02:00", 0.0),
    ("timestamp", "1970-01-01T00:00:00Z", 0.0),
    ("timestamp", "1970-01-02", 86400.0),
    ("timestamp", "1970-01-01 24:00:00", None),
    ("string", "5", None),
    ("varchar(10)", "5", None),
    ("char(2)", "5", None),
    ("boolean", "true", None),
]


@pytest.mark.parametrize(("key_type", "value", "number"), PROJECTIONS)
def test_numeric_projection(key_type: str, value: str, number: float | None) -> None:
    assert numeric_projection(key_type, value) == number


def test_numeric_types() -> None:
    assert all(is_numeric_type(t) for t in ("int", "Decimal(5, 1)", " date", "TIMESTAMP"))
    assert not any(is_numeric_type(t) for t in ("string", "varchar(3)", "boolean", "binary"))


# Property tests: random expressions from the grammar, evaluated by SQL and by a reference
# built alongside the text (never by parsing it), must select the same partitions.

Truth = bool | None


@dataclass(frozen=True)
class Gen:
    text: str
    precedence: int  # 1 OR, 2 AND, 3 NOT, 4 predicate or parenthesised
    holds: Callable[[View], Truth]


def kleene_and(a: Truth, b: Truth) -> Truth:
    return False if a is False or b is False else None if a is None or b is None else True


def kleene_or(a: Truth, b: Truth) -> Truth:
    return True if a is True or b is True else None if a is None or b is None else False


def kleene_not(a: Truth) -> Truth:
    return None if a is None else not a


COMPARE: dict[str, Callable[[object, object], bool]] = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}
FLIPPED = {"=": "=", "<>": "<>", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
LITERALS = {
    "year": ["9", "10", "42", "2019", "2020", "2022", "2024", "2025", "-1"],
    "month": ["1", "01", "10", "2", "9", "12", "13"],
    "day": ["1", "05", "15", "31", "7", "0"],
    "dt": ["2024-01-05", "2024-1-5", "2023-12-31", "2024-02-29", "2020-06-15", "2022-01-01"],
    "amount": ["12.3", "12.30", "-4", "0.5", "100", "1e2", "9.99", "50"],
    "region": ["us-east-1", "US-EAST-1", "eu_west", "o'brien", "", "a%b", "ünïcode", "[x]*?"],
}
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
LIKE_PIECES = ["%", "_", "us", "e", "-", "1", "'", "[", "*", "?", "a", "b", "US", "20", "!"]


def spell(draw: st.DrawFn, words: str) -> str:
    return " ".join(draw(st.sampled_from([w, w.lower(), w.title()])) for w in words.split())


def spell_literal(draw: st.DrawFn, raw: str) -> str:
    if NUMBER.fullmatch(raw) and draw(st.booleans()):
        return raw
    return "'" + raw.replace("'", "''") + "'"


def like_regex(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


@st.composite
def predicates(draw: st.DrawFn) -> Gen:
    position = draw(st.integers(0, len(KEYS) - 1))
    name, key_type = KEYS[position]
    key = draw(st.sampled_from([name, name.upper(), f"`{name}`", f'"{name.title()}"']))
    kind = draw(st.sampled_from(["compare", "in", "between", "like", "null"]))
    negated = draw(st.booleans())
    lits = st.sampled_from(LITERALS[name])

    def value(v: View) -> object:
        return v.typed_at(position)

    if kind == "compare":
        op, raw = draw(st.sampled_from(list(COMPARE))), draw(lits)
        lit, want = spell_literal(draw, raw), typed(key_type, raw)
        text = f"{lit} {FLIPPED[op]} {key}" if draw(st.booleans()) else f"{key} {op} {lit}"
        return Gen(text, 4, lambda v: None if value(v) is None else COMPARE[op](value(v), want))
    if kind == "in":
        raws = draw(st.lists(lits, min_size=1, max_size=4))
        wanted = [typed(key_type, raw) for raw in raws]
        listed = ", ".join(spell_literal(draw, raw) for raw in raws)
        text = f"{key} {spell(draw, 'NOT IN' if negated else 'IN')} ({listed})"
        return Gen(text, 4, lambda v: None if value(v) is None else (value(v) in wanted) != negated)
    if kind == "between":
        low, high = draw(lits), draw(lits)
        lo, hi = typed(key_type, low), typed(key_type, high)
        between = spell(draw, "NOT BETWEEN" if negated else "BETWEEN")
        bounds = f"{spell_literal(draw, low)} {spell(draw, 'AND')} {spell_literal(draw, high)}"

        def in_range(v: View) -> Truth:
            found = value(v)
            return None if found is None else (lo <= found <= hi) != negated  # type: ignore[operator]

        return Gen(f"{key} {between} {bounds}", 4, in_range)
    if kind == "like":
        pattern = "".join(draw(st.lists(st.sampled_from(LIKE_PIECES), max_size=4)))
        regex, like = like_regex(pattern), spell(draw, "NOT LIKE" if negated else "LIKE")

        def matches(v: View) -> Truth:
            raw = v.raw_at(position)
            return None if raw is None else bool(regex.fullmatch(raw)) != negated

        return Gen(f"{key} {like} {spell_literal(draw, pattern)}", 4, matches)
    text = f"{key} {spell(draw, 'IS NOT NULL' if negated else 'IS NULL')}"
    return Gen(text, 4, lambda v: (v.raw_at(position) is None) != negated)


def wrap(draw: st.DrawFn, gen: Gen, at_least: int) -> str:
    """Parentheses where precedence needs them, and now and then where it does not."""
    needed = gen.precedence < at_least
    return f"({gen.text})" if needed or draw(st.integers(0, 5)) == 0 else gen.text


@st.composite
def combined(draw: st.DrawFn, children: st.SearchStrategy[Gen]) -> Gen:
    kind = draw(st.sampled_from(["and", "or", "not"]))
    a = draw(children)
    if kind == "not":
        text = f"{spell(draw, 'NOT')} {wrap(draw, a, 3)}"
        return Gen(text, 3, lambda v: kleene_not(a.holds(v)))
    b = draw(children)
    level, join = (2, kleene_and) if kind == "and" else (1, kleene_or)
    text = f"{wrap(draw, a, level)} {spell(draw, kind.upper())} {wrap(draw, b, level)}"
    return Gen(text, level, lambda v: join(a.holds(v), b.holds(v)))


expressions = st.recursive(predicates(), lambda children: combined(children), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(gen=expressions)
def test_random_expressions_match_the_reference(conn: Connection, gen: Gen) -> None:
    assert selected(conn, gen.text) == expected(gen.holds), gen.text


TOKENS = ["year", "Month", "`dt`", '"region"', "amount", "nope", "(", ")", ",", "AND", "or",
          "not", "IN", "between", "like", "is", "null", "=", "<>", "!=", "<", ">=", "'x'",
          "'2024-01-05'", "'it''s'", "1", "2020", "-3.5", "1e2", "'open", "`open", "%", "-",
          "!", "~", "\"", "'\x00'"]  # fmt: skip
garbage = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(expression=garbage)
def test_garbage_fails_only_as_invalid_input(conn: Connection, expression: str) -> None:
    try:
        query, _ = partition_query(expression)
    except InvalidInputException as error:
        assert error.message
        return
    conn.execute(query)  # whatever compiles must also run
