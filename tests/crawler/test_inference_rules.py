"""The rules inside inference, one by one: type merging, grok, exclusion globs, sampling."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openglue.crawler.exclusions import ExclusionError, Exclusions
from openglue.crawler.grok import GrokError, compile_grok, parse_custom_patterns
from openglue.crawler.hive_schema import array_of, merge_types, primitive, struct_of
from openglue.crawler.infer import plan_target
from openglue.crawler.plan import (
    CrawlOptions,
    CsvClassifierSpec,
    GrokClassifierSpec,
    JsonClassifierSpec,
)
from openglue.storage.local_objects import LocalObjectSource

P = primitive


@pytest.mark.parametrize(
    ("left", "right", "merged"),
    [
        (P("int"), P("bigint"), "bigint"),
        (P("tinyint"), P("smallint"), "smallint"),
        (P("int"), P("double"), "double"),
        (P("bigint"), P("float"), "double"),
        (P("smallint"), P("float"), "float"),
        (P("boolean"), P("bigint"), "string"),
        (P("date"), P("timestamp"), "timestamp"),
        (P("decimal(10,2)"), P("decimal(5,4)"), "decimal(12,4)"),
        (P("decimal(10,2)"), P("int"), "decimal(10,2)"),
        (P("decimal(10,2)"), P("double"), "double"),
        (P("null"), P("boolean"), "boolean"),
        (array_of(P("int")), array_of(P("double")), "array<double>"),
        (array_of(P("int")), P("int"), "string"),
        (
            struct_of([("a", P("int")), ("b", P("string"))]),
            struct_of([("B", P("string")), ("c", array_of(P("boolean")))]),
            "struct<a:int,b:string,c:array<boolean>>",
        ),
    ],
)
def test_types_merge_like_glue(left, right, merged) -> None:  # type: ignore[no-untyped-def]
    assert merge_types(left, right).render() == merged
    if left.kind != "struct":  # struct fields keep first-seen order, so only scalars commute
        assert merge_types(right, left).render() == merged


def test_grok_compiles_nested_patterns_with_typed_fields() -> None:
    custom = parse_custom_patterns("# comment\nSHIPMENT SHP-%{INT}\nCARRIER [A-Z]{3}\n")
    grok = compile_grok("%{SHIPMENT:id} %{CARRIER:carrier} %{NUMBER:kg:double}", custom)
    match = grok.regex.fullmatch("SHP-42 DHL 12.5")
    assert match is not None
    values = {f.name: match.group(f.group) for f in grok.fields}
    assert values == {"id": "SHP-42", "carrier": "DHL", "kg": "12.5"}
    assert [f.type for f in grok.fields] == ["string", "string", "double"]
    assert grok.regex.fullmatch("SHP-x DHL 1") is None


def test_grok_accepts_oniguruma_captures() -> None:
    grok = compile_grok(r"(?<user>\w+)@%{HOSTNAME:host}")
    match = grok.regex.fullmatch("ada@example.org")
    assert match is not None
    assert [(f.name, match.group(f.group)) for f in grok.fields] == [
        ("host", "example.org"),
        ("user", "ada"),
    ]


@pytest.mark.parametrize(
    ("pattern", "custom", "message"),
    [
        ("%{NOPE:x}", "", "%{NOPE} is not defined"),
        ("%{A:x}", "A %{B}\nB %{A}", "refers to itself"),
        ("%{INT:x:decimal}", "", "grok type 'decimal'"),
        ("%{INT:x} (", "", "not a valid expression"),
    ],
)
def test_bad_grok_patterns_say_why(pattern: str, custom: str, message: str) -> None:
    with pytest.raises(GrokError, match=message.replace("{", r"\{").replace("(", r"\(")):
        compile_grok(pattern, parse_custom_patterns(custom))


@pytest.mark.parametrize(
    ("pattern", "excluded", "kept"),
    [
        ("*.csv", ["a.csv"], ["x/a.csv", "a.json"]),
        ("**.csv", ["a.csv", "x/y/a.csv"], ["a.csv.gz"]),
        ("departments/**", ["departments/a", "departments/x/b.csv"], ["departments2/a"]),
        ("data?.json", ["data1.json"], ["data10.json", "data/.json"]),
        ("[a-c]*/[!0-4].txt", ["b/7.txt", "cat/x.txt"], ["d/7.txt", "b/3.txt"]),
        ("2015/01/{[!0],0[8-9]}**", ["2015/01/1x", "2015/01/09/a"], ["2015/01/07", "2015/01/0"]),
        ("{a,b}/*.log", ["a/x.log", "b/y.log"], ["c/x.log", "a/b/x.log"]),
        (r"literal\*.txt", ["literal*.txt"], ["literalx.txt"]),
        (".hidden/*", [".hidden/a"], ["xhidden/a"]),
    ],
)
def test_exclusion_globs(pattern: str, excluded: list[str], kept: list[str]) -> None:
    exclusions = Exclusions([pattern])
    assert [k for k in excluded if exclusions.matching(k) != pattern] == []
    assert [k for k in kept if exclusions.matching(k) is not None] == []


@pytest.mark.parametrize("pattern", ["[abc", "{a,{b,c}}", "{a,b"])
def test_unreadable_exclusions_are_rejected(pattern: str) -> None:
    with pytest.raises(ExclusionError, match="exclusion"):
        Exclusions([pattern])


def _only_table(root: Path, options: CrawlOptions | None = None):  # type: ignore[no-untyped-def]
    plan = plan_target(LocalObjectSource(root, "s3://b/t/"), options or CrawlOptions())
    assert len(plan.tables) == 1, plan
    return plan.tables[0]


def test_csv_sampling_stops_at_1000_records_and_estimates_the_count(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i * 2}\n" for i in range(5000))
    # After record 1,000 the second column stops being numeric: Glue never sees it.
    rows = rows.replace("1500,3000", "1500,late")
    (tmp_path / "big.csv").write_text("id,amount\n" + rows)
    table = _only_table(tmp_path)
    assert [(c.name, c.type) for c in table.columns] == [("id", "bigint"), ("amount", "bigint")]
    # all of it was under 1 MB, so the count is exact
    assert table.parameters["recordCount"] == "5000"


def test_a_sample_stops_at_1_mb_of_decompressed_content(tmp_path: Path) -> None:
    line = "x" * 100 + ",1\n"
    body = "name,n\n" + line * 30_000  # ≈3 MB of text, ≈30 kB gzipped
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress(body.encode()))
    table = _only_table(tmp_path)
    assert table.parameters["compressionType"] == "gzip"
    assert table.parameters["averageRecordSize"] == str(len(line))
    # estimated from the object's (compressed) size and the sampled record size
    assert 0 < int(table.parameters["recordCount"]) < 30_000


def test_parquet_schema_is_read_from_the_footer_only(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": list(range(10_000)), "b": ["x"] * 10_000}), path)
    data = bytearray(path.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    data[8 : len(data) - footer - 8] = b"\xff" * (len(data) - footer - 16)  # wreck the pages
    path.write_bytes(bytes(data))
    table = _only_table(tmp_path)
    assert [(c.name, c.type) for c in table.columns] == [("a", "bigint"), ("b", "string")]
    assert table.parameters["recordCount"] == "10000"


def test_csv_header_rules(tmp_path: Path) -> None:
    # a header whose cells would read as numbers is data
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("1,2\n3,4\n")
    # a long header cell (150+) is data, so every column is a string and there is no header
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.csv").write_text("id," + "n" * 150 + ",z\n1,2,3\n")
    # trailing delimiter: the last header cell may be empty
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.csv").write_text("id,name,\n1,a,\n2,b,\n")
    plan = plan_target(LocalObjectSource(tmp_path, "s3://b/t/"), CrawlOptions())
    columns = {t.name: [f"{c.name} {c.type}" for c in t.columns] for t in plan.tables}
    assert columns == {
        "a": ["col0 bigint", "col1 bigint"],
        "b": ["col0 string", "col1 string", "col2 string"],
        "c": ["id bigint", "name string", "col2 string"],
    }
    assert "skip.header.line.count" not in plan.tables[1].parameters
    assert plan.tables[2].parameters["skip.header.line.count"] == "1"


def test_table_names_are_sanitized_and_unique(tmp_path: Path) -> None:
    for folder in ("Sales-2024", "x/sales_2024", "x/other", "y/sales_2024", "y/more"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "Sales-2024" / "a.json").write_text('{"a": 1}\n')
    # x and y each hold two incompatible datasets, so each of their folders is a table
    (tmp_path / "x" / "sales_2024" / "a.csv").write_text("k,v\na,1\nb,2\n")
    (tmp_path / "x" / "other" / "a.json").write_text('{"a": 1}\n')
    (tmp_path / "y" / "sales_2024" / "a.xml").write_text("<r><row><v>1</v></row></r>\n")
    (tmp_path / "y" / "more" / "a.json").write_text('{"a": 1}\n')
    plan = plan_target(LocalObjectSource(tmp_path, "s3://b/t/"), CrawlOptions())
    assert sorted(t.name for t in plan.tables) == [
        "more",
        "other",
        "sales_2024",
        "x_sales_2024",
        "y_sales_2024",
    ]


def test_a_target_that_is_one_file_is_a_table_at_that_file(tmp_path: Path) -> None:
    path = tmp_path / "Daily Orders.csv"
    path.write_text("id,item\n1,x\n2,y\n")
    plan = plan_target(LocalObjectSource(path), CrawlOptions())
    (table,) = plan.tables
    assert (table.name, table.location) == ("daily_orders_csv", path.as_uri())


def test_custom_csv_classifier_header_and_serde(tmp_path: Path) -> None:
    # every value is a string, so only a declared header makes the first row one
    (tmp_path / "people.csv").write_text("first;last\nada;lovelace\nalan;turing\n")
    spec = CsvClassifierSpec("semi", delimiter=";", contains_header="PRESENT", serde="OpenCSVSerDe")
    table = _only_table(tmp_path, CrawlOptions(classifiers=(spec,)))
    assert [(c.name, c.type) for c in table.columns] == [("first", "string"), ("last", "string")]
    assert table.serde_library == "org.apache.hadoop.hive.serde2.OpenCSVSerde"
    assert table.serde_parameters["separatorChar"] == ";"
    assert table.parameters["skip.header.line.count"] == "1"
    builtin = _only_table(tmp_path)
    assert [c.name for c in builtin.columns] == ["col0", "col1"]


def test_json_path_selecting_scalars_gives_a_record_column(tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text('{"vals": [1, 2.5, 3]}\n')
    spec = JsonClassifierSpec("vals", "$.vals[*]")
    table = _only_table(tmp_path, CrawlOptions(classifiers=(spec,)))
    assert [(c.name, c.type) for c in table.columns] == [("record", "double")]
    assert table.parameters["jsonPath"] == "$.vals[*]"
    assert table.parameters["recordCount"] == "3"


def test_a_grok_classifier_matching_most_lines_still_wins(tmp_path: Path) -> None:
    lines = [f"job {i} took {i * 3} ms" for i in range(9)] + ["garbage line"]
    (tmp_path / "jobs.log").write_text("\n".join(lines) + "\n")
    spec = GrokClassifierSpec("jobs", "joblog", "job %{INT:id:int} took %{INT:ms:long} ms")
    table = _only_table(tmp_path, CrawlOptions(classifiers=(spec,)))
    assert table.classification == "joblog"
    assert [(c.name, c.type) for c in table.columns] == [("id", "int"), ("ms", "bigint")]


def test_corrupt_compressed_objects_are_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text("a,b\n1,2\n3,4\n")
    (tmp_path / "bad.csv.gz").write_bytes(gzip.compress(b"a,b\n1,2\n3,4\n")[:12] + b"\x00" * 40)
    plan = plan_target(LocalObjectSource(tmp_path, "s3://b/t/"), CrawlOptions())
    assert [t.object_keys for t in plan.tables] == [("good.csv",)]
    (skipped,) = plan.skipped
    assert skipped.key == "bad.csv.gz"
    assert skipped.reason.startswith("could not be read: its gzip content cannot be decompressed")


def test_memory_follows_the_listing_not_the_data(tmp_path: Path) -> None:
    rows = "".join(f"{i},name_{i:04d},{i * 0.5}\n" for i in range(150))  # ≈3.5 kB per file

    def tree(name: str, files: int) -> Path:
        root = tmp_path / name
        for index in range(files):
            folder = root / f"dt={index % 10}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"part-{index:05d}.csv").write_text("id,name,score\n" + rows)
        return root

    def peak(root: Path) -> int:
        tracemalloc.start()
        plan_target(LocalObjectSource(root, "s3://b/t/"), CrawlOptions())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(tree("small", 50)), peak(tree("large", 450))
    per_file = (large - small) / 400
    assert per_file < 1024, f"{per_file:.0f} bytes kept per file: contents must not be kept"


def test_json_whose_first_record_exceeds_1_mb_is_read_up_to_10_mb(tmp_path: Path) -> None:
    big = '{"id": 1, "blob": "' + "x" * 1_500_000 + '", "n": 2.5}'
    (tmp_path / "big.json").write_text(big + "\n" + '{"id": 2, "blob": "y", "n": 1}\n')
    table = _only_table(tmp_path)
    assert [(c.name, c.type) for c in table.columns] == [
        ("id", "bigint"),
        ("blob", "string"),
        ("n", "double"),
    ]
