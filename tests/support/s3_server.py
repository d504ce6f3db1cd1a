"""A real S3-protocol server for tests: moto's standalone server in its own process.

moto is a test dependency only (the ``dev`` extra); OpenGlue never imports it. The server runs
as a subprocess so its imports and warnings stay out of the test process, and it speaks plain
HTTP on a loopback port, like a MinIO a developer would run.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

ACCESS_KEY = "s3-test-key"
SECRET_KEY = "s3-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    process: subprocess.Popen[bytes]
    endpoint_url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(retries={"max_attempts": 2}),
        )

    def environment(self) -> dict[str, str]:
        """The variables a process needs to use this server as its S3 (AWS's own names)."""
        return {
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": self.region,
        }

    def server_args(self) -> list[str]:
        """The ``openglue serve`` flags that make a server use this endpoint as its S3."""
        return [
            "--s3-endpoint-url",
            self.endpoint_url,
            "--s3-access-key-id",
            self.access_key,
            "--s3-secret-access-key",
            self.secret_key,
        ]

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def put_objects(self, bucket: str, objects: Mapping[str, bytes | str]) -> None:
        client = self.client()
        for key, body in objects.items():
            data = body.encode() if isinstance(body, str) else body
            client.put_object(Bucket=bucket, Key=key, Body=data)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        paginator = self.client().get_paginator("list_objects_v2")
        found: list[str] = []
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            found.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(found)

    def get(self, bucket: str, key: str) -> bytes:
        body: bytes = self.client().get_object(Bucket=bucket, Key=key)["Body"].read()
        return body

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_s3_server(timeout: float = 30) -> S3Server:
    """Start ``moto.server`` on a free loopback port and wait until it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto.server exited with {process.returncode} (is moto installed?)")
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=1):
                return S3Server(process, url)
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError(f"moto.server did not answer on {url} within {timeout} s")
