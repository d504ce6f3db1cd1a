"""A throwaway PostgreSQL server for the test suite.

Started from the machine's PostgreSQL binaries (the test command installs them when missing)
in a temporary directory, on a free port, and stopped at the end. PostgreSQL refuses to run as
root, so as root the cluster belongs to the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin_dir: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://openglue@127.0.0.1:{self.port}/openglue"

    def create_database(self, name: str) -> str:
        """A fresh, empty database on this server; returns its SQLAlchemy URL."""
        self._run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "openglue", name])
        return f"postgresql+psycopg://openglue@127.0.0.1:{self.port}/{name}"

    def _run(self, command: list[str]) -> None:
        tool = str(self.bin_dir / command[0])
        subprocess.run(
            [*self.as_user, tool, *command[1:]], check=True, capture_output=True, text=True
        )

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> PostgresServer:
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL server binaries not found; run the README's test command, which "
            "installs them (apt-get install postgresql)"
        )
    root = Path(tempfile.mkdtemp(prefix="openglue-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data = root / "data"
    port = _free_port()
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "openglue",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    server = PostgresServer(root, port, bin_dir, as_user)
    deadline = time.monotonic() + 30
    while True:
        try:
            server._run(
                ["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "openglue", "openglue"]
            )
            break
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    return server
