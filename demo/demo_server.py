"""``openglue server --port 0`` as a child process of the demo, with a throwaway data dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config


class DemoError(Exception):
    """A step of the demo did not go as it should; the message says which and why."""


class Server:
    """The server process, ready once it has printed its ``AWS_ENDPOINT_URL=`` line."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        command = [sys.executable, "-m", "openglue", "server", "--port", "0"]
        # Job runs inherit the server's environment: Sail starts in about half a second.
        env = {"OPENGLUE_ENGINE": "sail", **os.environ}
        self.process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.output: list[str] = []
        self.url = self._wait_for_endpoint(timeout=60)
        # Keep reading so a chatty server never blocks on a full pipe.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def client(self, service: str = "glue") -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
            config=Config(retries={"max_attempts": 1}),
        )

    def bucket(self, name: str) -> Path:
        """Where the embedded bucket ``s3://name/`` keeps its objects."""
        return self.data_dir / "buckets" / name

    def _wait_for_endpoint(self, timeout: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith("AWS_ENDPOINT_URL="):
                return line.strip().split("=", 1)[1]
        self.process.kill()
        self.process.wait()
        raise DemoError("the server did not start:\n" + "".join(self.output))

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self) -> int:
        """SIGTERM, then wait; returns the exit code (killing it if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        return self.process.returncode
