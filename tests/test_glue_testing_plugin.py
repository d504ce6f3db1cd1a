"""OpenGlue's pytest plugin as a user meets it: installed, found through its entry point, and
running the example unit tests of ``examples/tests`` on a local engine with no server.

The example suite runs in a pytest process of its own, as a user's suite would (and because
the engine is a per-process choice).
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_plugin_is_registered_with_pytest() -> None:
    entry_points = metadata.entry_points(group="pytest11")
    assert {ep.name: ep.value for ep in entry_points}["awsglue"] == "awsglue.testing.pytest_plugin"


def _run_examples(*options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/tests"]
    return subprocess.run(
        [*command, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_example_unit_tests_pass_on_sail() -> None:
    result = _run_examples("--glue-engine", "sail")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout


@pytest.mark.slow
def test_example_unit_tests_pass_on_classic_spark() -> None:
    result = _run_examples("--glue-engine", "spark")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout


def test_a_broken_transform_fails_its_unit_test(tmp_path: Path) -> None:
    """The fixtures do check something: a transform that keeps every order fails the test."""
    (tmp_path / "orders_transforms.py").write_text(
        "def completed_orders(orders):\n    return orders\n\n"
        "def cleaned_orders(orders):\n    return orders\n"
    )
    test = (ROOT / "examples" / "tests" / "test_orders_transforms.py").read_text()
    (tmp_path / "test_broken.py").write_text(test)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp_path,
         str(tmp_path / "test_broken.py"), "--glue-engine", "sail"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout[-4000:]
    assert "3 failed" in result.stdout
