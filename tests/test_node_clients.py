"""The AWS SDKs for JavaScript (v2 ``aws-sdk`` and v3 ``@aws-sdk/client-glue``) against a real
server: each script in tests/node/ runs as a Node.js app would and prints a JSON summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer

NODE_DIR = Path(__file__).parent / "node"
FIX = "run the README's test command (it runs `npm ci` in tests/node) or `npm ci` there yourself"

pytestmark = pytest.mark.node


@pytest.fixture
def node() -> str:
    """The ``node`` executable, or a skip that says how to get the SDKs installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"Node.js (`node`) is not on PATH; install Node.js 20+ and {FIX}")
    if not (NODE_DIR / "node_modules").is_dir():
        pytest.skip(f"tests/node/node_modules is missing; {FIX}")
    return node


def _run(node: str, script: str, server: RunningServer) -> dict[str, Any]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": server.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
    }
    done = subprocess.run(
        [node, script],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"{script} printed nothing (exit {done.returncode}):\n{done.stderr}"
    summary: dict[str, Any] = json.loads(lines[-1])
    failed = [c for c in summary.get("checks", []) if not c["ok"]]
    assert done.returncode == 0, (
        f"{script} exited {done.returncode}: {summary.get('error')}\n"
        f"failed: {failed}\nstderr:\n{done.stderr}"
    )
    assert summary["ok"] is True and not failed
    return summary


def _labels(summary: dict[str, Any]) -> set[str]:
    return {c["label"] for c in summary["checks"] if c["ok"]}


def test_sdk_v2_catalog(node: str, server: RunningServer) -> None:
    summary = _run(node, "v2_catalog.mjs", server)
    assert summary["version"] == "2.1693.0"
    assert {
        "CreateTime parses to a Date",
        "paging by 2 takes several pages",
        "missing database code",
        "deleted databases are gone",
    } <= _labels(summary)


def test_sdk_v3_catalog(node: str, server: RunningServer) -> None:
    summary = _run(node, "v3_catalog.mjs", server)
    assert {
        "CreateTime parses to a Date",
        "paginator takes several pages",
        "missing database name",
        "modeled error class",
        "MaxResults error class",
        "deleted databases are gone",
    } <= _labels(summary)
