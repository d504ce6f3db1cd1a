"""``openglue logs RUN_ID``: print a job run's output and error streams from the data directory.

It reads the files the server writes (``logs/<group>/output|error/<run id>``), so it works
without a running server. The output stream goes to stdout and the error stream to stderr;
``--follow`` keeps printing what the run writes until the run has ended.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import BinaryIO

from openglue.jobs.layout import STREAMS, RunFiles, find_run_files
from openglue.settings import SETTINGS

_FOLLOW_POLL = 0.2
_HOME = next(s for s in SETTINGS if s.name == "data_dir")


def add_logs_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    logs = commands.add_parser(
        "logs",
        help="print a job run's logs (its output and error streams)",
        description="Print the output (to stdout) and error (to stderr) streams of a job run, "
        "read from the server's data directory.",
    )
    logs.add_argument("run_id", metavar="RUN_ID", help="the JobRunId (jr_…)")
    logs.add_argument(
        "-f",
        "--follow",
        action="store_true",
        help="keep printing new lines until the run has ended",
    )
    logs.add_argument(
        "--stream",
        choices=("all", *STREAMS),
        default="all",
        help="which stream to print (default: all)",
    )
    logs.add_argument(
        "--data-dir",
        default=None,
        metavar="DATA_DIR",
        help=f"the server's data directory (env {_HOME.env}; default: {_HOME.default})",
    )


def run_logs(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir or os.environ.get(_HOME.env) or _HOME.default)
    try:
        files = find_run_files(data_dir, args.run_id)
    except ValueError as exc:
        print(f"openglue logs: {exc}", file=sys.stderr)
        return 2
    if files is None:
        print(
            f"openglue logs: no logs of run {args.run_id} in {data_dir / 'logs'}; check the "
            "run id, and --data-dir (the server's data directory)",
            file=sys.stderr,
        )
        return 1
    streams = STREAMS if args.stream == "all" else (args.stream,)
    targets = {"output": sys.stdout.buffer, "error": sys.stderr.buffer}
    try:
        _copy(files, {s: targets[s] for s in streams}, args.follow)
    except KeyboardInterrupt:
        return 130
    return 0


def _copy(files: RunFiles, targets: dict[str, BinaryIO], follow: bool) -> None:
    offsets = dict.fromkeys(targets, 0)
    while True:
        # Read the end marker before the logs: whatever the run wrote before it ended is
        # then already in the files and gets printed by this last pass.
        ended = files.outcome.exists()
        for stream, target in targets.items():
            offsets[stream] = _print_new(files.log(stream), offsets[stream], target)
        if not follow or ended:
            return
        time.sleep(_FOLLOW_POLL)


def _print_new(path: Path, offset: int, target: BinaryIO) -> int:
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            data = stream.read()
    except FileNotFoundError:
        return offset
    if data:
        target.write(data)
        target.flush()
    return offset + len(data)
