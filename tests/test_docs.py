"""The generated docs are current, the README names every setting, and the CLI answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from openglue.api.coverage import coverage_markdown, resource_groups
from openglue.api.dispatch import implemented_operations
from openglue.api.service_model import operation_names
from openglue.cli.docs import generated_docs
from openglue.settings import SETTINGS, Setting

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(generated_docs()))
def test_generated_doc_is_current(name: str) -> None:
    committed = ROOT / "docs" / name
    assert committed.is_file(), f"docs/{name} is missing: run `.venv/bin/openglue docs`"
    assert committed.read_text(encoding="utf-8") == generated_docs()[name], (
        f"docs/{name} is out of date: run `.venv/bin/openglue docs` from the repository root"
    )


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_readme_documents_every_setting(setting: Setting) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if setting.flag:
        assert f"`{setting.flag}`" in readme, f"README.md does not mention {setting.flag}"
    assert f"`{setting.env}`" in readme, f"README.md does not mention {setting.env}"


def test_coverage_counts_every_model_operation_once() -> None:
    every = operation_names("glue")
    groups = resource_groups(every)
    filed = [op for ops in groups.values() for op in ops]
    assert sorted(filed) == sorted(every)
    assert "GetTableVersions" in groups["Table"]
    assert "StartJobRun" in groups["Job"]
    page = coverage_markdown()
    done = implemented_operations("glue")
    assert f"**{len(done)} of {len(every)}**" in page
    assert "CreateDatabase" in done


def _openglue(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openglue", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


@pytest.mark.parametrize(
    "args",
    [["--help"], ["server", "--help"], ["version"], ["docs", "--help"], ["docs", "--check"]],
    ids=" ".join,
)
def test_cli_command_exits_zero(args: list[str]) -> None:
    result = _openglue(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("openglue")
    result = subprocess.run([script, "version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("openglue ")


def test_docs_command_writes_then_checks(tmp_path: Path) -> None:
    written = _openglue("docs", "--out", str(tmp_path / "out"))
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(generated_docs())
    assert _openglue("docs", "--check", "--out", str(tmp_path / "out")).returncode == 0

    (tmp_path / "out" / "coverage.md").write_text("stale\n", encoding="utf-8")
    stale = _openglue("docs", "--check", "--out", str(tmp_path / "out"))
    assert stale.returncode == 1
    assert "coverage.md is out of date" in stale.stdout
    assert "openglue docs" in stale.stdout
