"""getResolvedOptions follows Glue's rules on the argv shapes Glue actually passes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from awsglue import utils
from awsglue.utils import GlueArgumentError, GlueArgumentParser, getResolvedOptions, makeOptions

# The shape of a real Glue run's sys.argv: service arguments, then the job's own.
GLUE_ARGV = [
    "script.py",
    "--JOB_ID",
    "j_0123456789abcdef",
    "--JOB_RUN_ID",
    "jr_fedcba9876543210",
    "--job-bookmark-option",
    "job-bookmark-disable",
    "--TempDir",
    "s3://aws-glue-temporary-123456789012-us-east-1/admin",
    "--JOB_NAME",
    "x",
    "--my-param",
    "v",
]

ALWAYS_PRESENT = {
    "job_bookmark_option",
    "job_bookmark_from",
    "job_bookmark_to",
    "JOB_ID",
    "JOB_RUN_ID",
    "SECURITY_CONFIGURATION",
    "encryption_type",
    "enable_data_lineage",
    "TempDir",
    "RedshiftTempDir",
}


@pytest.fixture(autouse=True)
def clean_global_args() -> Iterator[None]:
    utils._global_args.clear()
    yield
    utils._global_args.clear()


def test_glue_argv_dump_resolves_requested_and_service_arguments() -> None:
    args = getResolvedOptions(GLUE_ARGV, ["JOB_NAME", "my-param"])

    assert args["JOB_NAME"] == "x"
    assert args["my_param"] == "v"
    assert args["JOB_ID"] == "j_0123456789abcdef"
    assert args["JOB_RUN_ID"] == "jr_fedcba9876543210"
    assert args["job_bookmark_option"] == "job-bookmark-disable"
    assert args["TempDir"] == args["RedshiftTempDir"] == GLUE_ARGV[8]
    assert set(args) == ALWAYS_PRESENT | {"JOB_NAME", "my_param"}


def test_absent_service_arguments_are_none_and_bookmarks_default_to_disable() -> None:
    args = getResolvedOptions(["script.py", "--JOB_NAME", "x"], ["JOB_NAME"])

    assert args["job_bookmark_option"] == "job-bookmark-disable"
    for key in ALWAYS_PRESENT - {"job_bookmark_option"}:
        assert args[key] is None
    assert "continuation_option" not in args


def test_equals_form_and_dashes_become_underscores() -> None:
    argv = ["script.py", "--JOB_NAME=x", "--source-path=s3://b/in/", "--a-b-c", "1"]

    args = getResolvedOptions(argv, ["JOB_NAME", "source-path", "a-b-c"])

    assert (args["JOB_NAME"], args["source_path"], args["a_b_c"]) == ("x", "s3://b/in/", "1")


def test_unknown_arguments_and_stray_positionals_are_ignored() -> None:
    argv = [*GLUE_ARGV, "--conf", "spark.sql.shuffle.partitions=4", "stray", "--extra-py-files"]

    args = getResolvedOptions(argv, ["my-param"])

    assert args["my_param"] == "v"
    assert "conf" not in args and "extra_py_files" not in args


def test_job_name_is_not_implicit() -> None:
    args = getResolvedOptions(GLUE_ARGV, ["my-param"])

    assert "JOB_NAME" not in args


def test_missing_requested_option_raises_glue_argument_error() -> None:
    with pytest.raises(GlueArgumentError, match="--region"):
        getResolvedOptions(GLUE_ARGV, ["JOB_NAME", "region"])


def test_requested_option_without_value_raises_glue_argument_error() -> None:
    with pytest.raises(GlueArgumentError, match="expected one argument"):
        getResolvedOptions(["script.py", "--JOB_NAME"], ["JOB_NAME"])


def test_first_element_is_the_script_and_never_parsed() -> None:
    with pytest.raises(GlueArgumentError):
        getResolvedOptions(["--JOB_NAME", "x"], ["JOB_NAME"])


@pytest.mark.parametrize(
    "argv",
    [
        ["s.py", "--enable-metrics", "--JOB_NAME", "x", "--my-param", "v"],
        ["s.py", "--JOB_NAME", "x", "--enable-metrics", "--my-param", "v"],
        ["s.py", "--JOB_NAME", "x", "--my-param", "v", "--enable-metrics"],
        ["s.py", "--JOB_NAME", "x", "--enable-metrics", "", "--my-param", "v"],
        ["s.py", "--enable-spark-ui", "--enable-metrics", "--JOB_NAME=x", "--my-param=v"],
    ],
)
def test_key_only_flags_do_not_disturb_requested_options(argv: list[str]) -> None:
    args = getResolvedOptions(argv, ["JOB_NAME", "my-param"])

    assert (args["JOB_NAME"], args["my_param"]) == ("x", "v")


def test_key_only_service_flags_do_not_swallow_the_next_argument() -> None:
    argv = ["s.py", "--enable-data-lineage", "--TempDir", "--JOB_NAME", "x", "--JOB_RUN_ID"]

    args = getResolvedOptions(argv, ["JOB_NAME"])

    assert args["JOB_NAME"] == "x"
    assert args["enable_data_lineage"] == "true"
    assert args["TempDir"] is None and args["JOB_RUN_ID"] is None


def test_abbreviations_are_rejected_by_default_as_in_glue_6() -> None:
    argv = ["script.py", "--my-p", "v"]

    with pytest.raises(GlueArgumentError, match="--my-param"):
        getResolvedOptions(argv, ["my-param"])
    assert getResolvedOptions(argv, ["my-param"], allow_abbrev=True)["my_param"] == "v"


@pytest.mark.parametrize(
    "reserved",
    [
        "job-bookmark-option",
        "continuation-option",
        "job-bookmark-from",
        "job-bookmark-to",
        "JOB_ID",
        "JOB_RUN_ID",
        "SECURITY_CONFIGURATION",
        "encryption-type",
        "enable-data-lineage",
    ],
)
def test_requesting_a_reserved_argument_raises(reserved: str) -> None:
    with pytest.raises(RuntimeError, match=f"Using reserved arguments {reserved}"):
        getResolvedOptions(GLUE_ARGV, ["JOB_NAME", reserved])


def test_temp_dirs_are_never_required_and_mirror_each_other() -> None:
    args = getResolvedOptions(["s.py"], ["TempDir", "RedshiftTempDir"])
    assert args["TempDir"] is None and args["RedshiftTempDir"] is None

    legacy = getResolvedOptions(["s.py", "--RedshiftTempDir", "s3://t/r/"], ["RedshiftTempDir"])
    assert legacy["TempDir"] == "s3://t/r/"

    both = ["s.py", "--TempDir", "s3://t/new/", "--RedshiftTempDir", "s3://t/old/"]
    assert getResolvedOptions(both, [])["RedshiftTempDir"] == "s3://t/new/"


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("job-bookmark-enable", "job-bookmark-enable"),
        ("job-bookmark-pause", "job-bookmark-pause"),
        ("job-bookmark-disable", "job-bookmark-disable"),
    ],
)
def test_bookmark_option_values(option: str, expected: str) -> None:
    args = getResolvedOptions(["s.py", "--job-bookmark-option", option], [])

    assert args["job_bookmark_option"] == expected


def test_unknown_bookmark_option_value_is_an_argument_error() -> None:
    with pytest.raises(GlueArgumentError, match="invalid choice"):
        getResolvedOptions(["s.py", "--job-bookmark-option", "job-bookmark-on"], [])


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("continuation-enabled", "job-bookmark-enable"),
        ("continuation-readonly", "job-bookmark-pause"),
        ("continuation-ignore", "job-bookmark-disable"),
    ],
)
def test_legacy_continuation_option_maps_onto_bookmark_options(legacy: str, expected: str) -> None:
    args = getResolvedOptions(["s.py", "--continuation-option", legacy], [])

    assert args["job_bookmark_option"] == expected
    assert "continuation_option" not in args


def test_bookmark_option_wins_over_the_legacy_continuation_option() -> None:
    argv = ["s.py", "--continuation-option", "continuation-enabled"]
    argv += ["--job-bookmark-option", "job-bookmark-disable"]

    assert getResolvedOptions(argv, [])["job_bookmark_option"] == "job-bookmark-disable"


def test_pause_takes_both_range_ends_or_neither() -> None:
    pause = ["s.py", "--job-bookmark-option", "job-bookmark-pause"]
    assert getResolvedOptions(pause, [])["job_bookmark_from"] is None

    ranged = getResolvedOptions(
        [*pause, "--job-bookmark-from", "jr_1", "--job-bookmark-to", "jr_2"], []
    )
    assert (ranged["job_bookmark_from"], ranged["job_bookmark_to"]) == ("jr_1", "jr_2")

    for half in (["--job-bookmark-from", "jr_1"], ["--job-bookmark-to", "jr_2"]):
        with pytest.raises(RuntimeError, match="Invalid option"):
            getResolvedOptions([*pause, *half], [])


@pytest.mark.parametrize("option", ["job-bookmark-enable", "job-bookmark-disable", None])
def test_range_with_any_other_option_is_invalid(option: str | None) -> None:
    argv = ["s.py", "--job-bookmark-from", "jr_1", "--job-bookmark-to", "jr_2"]
    if option:
        argv += ["--job-bookmark-option", option]

    with pytest.raises(RuntimeError, match="Invalid option"):
        getResolvedOptions(argv, [])


def test_one_range_end_without_pause_is_accepted() -> None:
    argv = ["s.py", "--job-bookmark-option", "job-bookmark-enable", "--job-bookmark-from", "jr_1"]

    assert getResolvedOptions(argv, [])["job_bookmark_from"] == "jr_1"


def test_encryption_type_accepts_only_sse_s3() -> None:
    assert getResolvedOptions(["s.py", "--encryption-type", "sse-s3"], [])["encryption_type"] == (
        "sse-s3"
    )
    with pytest.raises(GlueArgumentError, match="invalid choice"):
        getResolvedOptions(["s.py", "--encryption-type", "sse-kms"], [])


def test_result_is_kept_in_the_module_global_for_relationalize() -> None:
    args = getResolvedOptions(GLUE_ARGV, ["JOB_NAME"])

    assert utils._global_args["TempDir"] == args["TempDir"]
    assert utils._global_args["JOB_NAME"] == "x"


def test_parser_raises_instead_of_exiting_and_has_no_help_flag() -> None:
    parser = GlueArgumentParser()
    parser.add_argument("--x", required=True)

    with pytest.raises(GlueArgumentError):
        parser.parse_args([])
    assert parser.parse_known_args(["--x", "1", "-h"])[1] == ["-h"]


def test_make_options_normalises_through_json() -> None:
    assert makeOptions(None, {"paths": ("s3://b/",), "n": 1}) == {"paths": ["s3://b/"], "n": 1}
    assert makeOptions(None, '{"a": true}') == {"a": True}
    with pytest.raises(TypeError):
        makeOptions(None, {"bad": object()})
