"""`openglue crawl` and `openglue crawlers …`, run as real subprocesses against a real server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer


def openglue(
    tmp_path: Path, server: RunningServer, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **keep,
        "HOME": str(home),
        "AWS_ENDPOINT_URL": server.url,
        "OPENGLUE_HOME": str(server.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "openglue", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _sales(root: Path) -> Path:
    for region in ("eu", "us"):
        folder = root / "sales" / f"region={region}"
        folder.mkdir(parents=True)
        (folder / "a.csv").write_text("sku,qty\nx1,3\nx2,5\n")
    return root / "sales"


def test_ad_hoc_crawl_dry_run_then_real(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    data = _sales(tmp_path)
    database = "cli_" + unique_name
    dry = _ok(openglue(tmp_path, server, "crawl", str(data), "--database", database, "--dry-run"))
    assert f"+ table {database}.sales" in dry
    assert "+ 2 partition(s)" in dry
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=database)  # a dry run writes nothing

    done = openglue(tmp_path, server, "crawl", str(data), "--database", database)
    out = _ok(done)
    assert f"+ table {database}.sales" in out
    assert "SUCCEEDED" in done.stderr
    table = glue.get_table(DatabaseName=database, Name="sales")["Table"]
    assert table["PartitionKeys"] == [{"Name": "region", "Type": "string"}]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_crawler(Name="openglue-crawl-" + database)  # the throwaway crawler is gone

    # Again, explained: nothing changes, and the crawl says why it grouped what it did.
    again = _ok(openglue(tmp_path, server, "crawl", str(data), "--database", database, "--explain"))
    assert "CHANGE none" in again
    assert "PROGRESS 2 file(s), 1 table(s), 0 skipped" in again
    assert "sales" in again


def test_crawlers_commands(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    data = _sales(tmp_path)
    database = "cli_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    created = _ok(
        openglue(
            tmp_path,
            server,
            "crawlers",
            "create",
            unique_name,
            str(data),
            "--database",
            database,
            "--prefix",
            "p_",
        )
    )
    assert unique_name in created
    assert unique_name in _ok(openglue(tmp_path, server, "crawlers", "list"))
    started = openglue(tmp_path, server, "crawlers", "start", unique_name, "--wait")
    assert f"+ table {database}.p_sales" in _ok(started)
    shown = _ok(openglue(tmp_path, server, "crawlers", "show", unique_name, "--explain"))
    assert "COMPLETED" in shown and "CHANGE + table" in shown

    missing = openglue(tmp_path, server, "crawlers", "start", "missing-" + unique_name)
    assert missing.returncode == 1
    assert "EntityNotFoundException" in missing.stderr
