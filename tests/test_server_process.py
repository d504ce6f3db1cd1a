"""``openglue server`` as a process: start-up line, health, clean stop, persistence, errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.server import RunningServer, start_server


def _wait_for_line(running: RunningServer, text: str, timeout: float = 5) -> bool:
    """The output is read by a background thread; give it a moment to catch up after exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in line for line in running.output):
            return True
        time.sleep(0.05)
    return False


def test_prints_endpoint_and_serves_health(tmp_path: Path) -> None:
    running = start_server(tmp_path)
    try:
        assert running.url.startswith("http://127.0.0.1:")
        assert any(line.startswith("AWS_ENDPOINT_URL=") for line in running.output)
        with urllib.request.urlopen(f"{running.url}/health", timeout=10) as answer:
            assert answer.status == 200
            assert b'"status":"ok"' in answer.read()
    finally:
        running.stop()


def test_sigterm_stops_promptly_with_exit_code_zero(tmp_path: Path) -> None:
    running = start_server(tmp_path)
    try:
        started = time.monotonic()
        running.process.terminate()
        code = running.process.wait(timeout=10)
        assert time.monotonic() - started < 10
        assert code == 0, "".join(running.output)
        assert _wait_for_line(running, "stopped"), "".join(running.output)
    finally:
        running.stop()


def test_catalog_survives_a_restart_on_the_same_data_dir(tmp_path: Path) -> None:
    first = start_server(tmp_path)
    try:
        first.client().create_database(DatabaseInput={"Name": "kept", "Description": "still here"})
    finally:
        first.stop()
    second = start_server(tmp_path)
    try:
        database = second.client().get_database(Name="kept")["Database"]
        assert database["Description"] == "still here"
    finally:
        second.stop()


def test_openglue_home_is_the_default_data_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "openglue", "server", "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=elsewhere,
        env={**os.environ, "OPENGLUE_HOME": str(home)},
    )
    assert process.stdout is not None
    running = RunningServer(process, "", home)
    try:
        for line in process.stdout:
            running.output.append(line)
            if line.startswith("AWS_ENDPOINT_URL="):
                running.url = line.strip().split("=", 1)[1]
                break
        assert running.url, "".join(running.output)
        running.drain()
        running.client().create_database(DatabaseInput={"Name": "at_home"})
        assert any(str(home.resolve()) in line for line in running.output)
        assert (home / "catalog.db").is_file()
        assert not (elsewhere / ".openglue").exists()
    finally:
        running.stop()


def _run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openglue", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run_cli("server", "--port", str(port), "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "AWS_ENDPOINT_URL" not in result.stdout


def test_a_port_that_is_not_a_number_is_a_usage_error(tmp_path: Path) -> None:
    result = _run_cli("server", "--port", "notanumber", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: openglue" in result.stderr
    assert "notanumber" in result.stderr
