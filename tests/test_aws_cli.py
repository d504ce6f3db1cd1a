"""The real AWS CLI (v1, installed in the venv) against a real server process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer

Aws = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def aws(server: RunningServer, tmp_path: Path) -> Aws:
    """Run ``aws glue …`` with a clean HOME so no user configuration or profile leaks in."""
    executable = Path(sys.executable).parent / "aws"
    if not executable.exists():
        pytest.skip(f"the AWS CLI is not installed next to {sys.executable}; pip install awscli")
    home = tmp_path / "home"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env = {
        **keep,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(executable), "glue", *args, "--endpoint-url", server.url, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_create_get_delete_database(aws: Aws, unique_name: str) -> None:
    assert _json(aws("create-database", "--database-input", f"Name={unique_name}")) is None
    database = _json(aws("get-database", "--name", unique_name))["Database"]
    assert database["Name"] == unique_name
    assert database["CatalogId"] == "123456789012"
    assert isinstance(database["CreateTime"], float | int | str)

    again = aws("create-database", "--database-input", f"Name={unique_name}")
    assert again.returncode in (254, 255)
    assert "AlreadyExistsException" in again.stderr

    _json(aws("delete-database", "--name", unique_name))
    gone = aws("get-database", "--name", unique_name)
    assert gone.returncode in (254, 255)
    assert "EntityNotFoundException" in gone.stderr


def test_create_database_from_json_input(aws: Aws, unique_name: str) -> None:
    spec = {"Name": unique_name, "Description": "from the CLI", "Parameters": {"team": "data"}}
    _json(aws("create-database", "--database-input", json.dumps(spec)))
    database = _json(aws("get-database", "--name", unique_name))["Database"]
    assert database["Description"] == "from the CLI"
    assert database["Parameters"] == {"team": "data"}
    _json(aws("delete-database", "--name", unique_name))


def test_get_databases_auto_paginates(aws: Aws, unique_name: str) -> None:
    names = [f"{unique_name}_{i}" for i in range(5)]
    for name in names:
        _json(aws("create-database", "--database-input", f"Name={name}"))
    try:
        listed = _json(aws("get-databases", "--page-size", "2"))
        assert "NextToken" not in listed
        seen = [d["Name"] for d in listed["DatabaseList"]]
        assert [n for n in seen if n.startswith(unique_name)] == names
        assert len(seen) == len(set(seen))

        # --max-items stops early and hands back a token the CLI can resume from.
        first = _json(aws("get-databases", "--page-size", "2", "--max-items", "3"))
        assert len(first["DatabaseList"]) == 3 and first["NextToken"]
        rest = _json(
            aws("get-databases", "--page-size", "2", "--starting-token", first["NextToken"])
        )
        resumed = [d["Name"] for d in first["DatabaseList"] + rest["DatabaseList"]]
        assert resumed == seen
    finally:
        for name in names:
            aws("delete-database", "--name", name)


def test_missing_database_is_an_error(aws: Aws, unique_name: str) -> None:
    done = aws("get-database", "--name", unique_name)
    assert done.returncode in (254, 255)
    assert "EntityNotFoundException" in done.stderr
    assert "GetDatabase" in done.stderr and unique_name in done.stderr
    assert done.stdout == ""


def test_server_side_validation_reaches_the_cli(aws: Aws) -> None:
    # botocore checks only minima before sending; the maximum is the server's to enforce.
    done = aws("get-databases", "--max-results", "1000", "--no-paginate")
    assert done.returncode in (254, 255)
    assert "InvalidInputException" in done.stderr and "MaxResults" in done.stderr


def test_crawler_from_the_cli(aws: Aws, server: RunningServer, unique_name: str) -> None:
    folder = server.data_dir / "buckets" / "cli" / unique_name / "year=2024"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("id,name\n1,a\n2,b\n")
    _json(aws("create-database", "--database-input", f"Name={unique_name}"))
    targets = json.dumps({"S3Targets": [{"Path": f"s3://cli/{unique_name}"}]})
    _json(aws("create-crawler", "--name", unique_name, "--role", "r",
              "--database-name", unique_name, "--targets", targets))  # fmt: skip
    _json(aws("start-crawler", "--name", unique_name))
    for _ in range(600):
        crawler = _json(aws("get-crawler", "--name", unique_name))["Crawler"]
        if crawler["State"] == "READY":
            break
    assert crawler["LastCrawl"]["Status"] == "SUCCEEDED"
    crawls = _json(aws("list-crawls", "--crawler-name", unique_name))["Crawls"]
    assert [c["State"] for c in crawls] == ["COMPLETED"]
    names = [c["Name"] for c in _json(aws("get-crawlers"))["Crawlers"]]  # auto-paginated
    assert unique_name in names
    table = _json(aws("get-table", "--database-name", unique_name, "--name", unique_name))
    assert table["Table"]["PartitionKeys"] == [{"Name": "year", "Type": "string"}]
    running = aws("stop-crawler", "--name", unique_name)
    assert running.returncode in (254, 255) and "CrawlerNotRunningException" in running.stderr
    _json(aws("delete-crawler", "--name", unique_name))
