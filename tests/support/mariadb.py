"""A throwaway MariaDB server (MySQL's protocol) for the JDBC tests of the ``mysql`` type.

Started from Debian's ``mariadb-server`` binaries (the test command installs them when
missing) in a temporary directory, on a free port, and stopped at the end. Grant tables are
skipped: any user may connect, with any password, which is all a test needs. As root the
server runs as the ``mysql`` system user the package creates.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MariaDBServer", "start_mariadb"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MariaDBServer:
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    def url(self, database: str) -> str:
        return f"jdbc:mysql://127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "") -> list[tuple[str, ...]]:
        """Run ``sql`` with the ``mariadb`` client; rows as tab-separated text fields."""
        command = ["mariadb", "-h127.0.0.1", f"-P{self.port}", "-uroot", "-N", "-B", "-e", sql]
        done = subprocess.run(
            [*command, *([database] if database else [])],
            check=True,
            capture_output=True,
            text=True,
        )
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def start_mariadb() -> MariaDBServer:
    # Debian puts the server in /usr/sbin, which is not on every user's PATH.
    server_bin = shutil.which("mariadbd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    install_bin = shutil.which("mariadb-install-db")
    if server_bin is None or install_bin is None:
        raise RuntimeError(
            "MariaDB server binaries not found; run the README's test command, which installs"
            " them (apt-get install mariadb-server)"
        )
    root = Path(tempfile.mkdtemp(prefix="openglue-mariadb-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["--user=mysql"]
        shutil.chown(root, "mysql")
    data = root / "data"
    subprocess.run(
        [install_bin, "--no-defaults", f"--datadir={data}", "--skip-test-db", *as_user],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = open(root / "log", "wb")  # noqa: SIM115 - the server writes to it until stopped
    process = subprocess.Popen(
        [
            server_bin,
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={root / 'sock'}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-grant-tables",
            "--skip-log-bin",
            *as_user,
        ],
        stdout=log,
        stderr=log,
    )
    log.close()
    server = MariaDBServer(root, port, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.execute("SELECT 1")
            return server
        except subprocess.CalledProcessError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = (root / "log").read_text(errors="replace")[-2000:]
                server.stop()
                raise RuntimeError(f"MariaDB did not start:\n{output}") from None
            time.sleep(0.2)
