"""Run a real ``openglue server`` process for black-box tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    url: str
    data_dir: Path
    output: list[str] = field(default_factory=list)

    def client(self, service: str = "glue", **kwargs: Any) -> Any:
        options: dict[str, Any] = {
            "endpoint_url": self.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
            "config": Config(retries={"max_attempts": 1}),
        }
        options.update(kwargs)
        return boto3.client(service, **options)

    def stop(self, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def drain(self) -> None:
        """Keep reading the server's output so a chatty server never blocks on a full pipe."""
        stream = self.process.stdout
        assert stream is not None

        def pump() -> None:
            try:
                for line in stream:
                    self.output.append(line)
            except ValueError:  # the pipe was closed by stop()
                pass

        threading.Thread(target=pump, daemon=True).start()


def start_server(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> RunningServer:
    """Start ``openglue server --port 0`` and wait for the endpoint line it prints."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openglue",
            "server",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            "--log-level",
            "warning",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if line.startswith("AWS_ENDPOINT_URL="):
            url = line.strip().split("=", 1)[1]
            running = RunningServer(process, url, data_dir, output)
            running.drain()
            return running
    process.kill()
    process.wait()
    process.stdout.close()
    raise RuntimeError("openglue server did not start:\n" + "".join(output))
