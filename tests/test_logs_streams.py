"""Log streams read from files (unit tests), and the pump that writes them (a real process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from openglue.errors import InvalidParameterException
from openglue.jobs import pump
from openglue.jobs.layout import times_path
from openglue.logs.filter_pattern import parse_filter_pattern
from openglue.logs.streams import StreamReader, stream_times


def _write(log: Path, data: bytes, times: str | None = None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as stream:
        stream.write(data)
    if times is not None:
        times_path(log).parent.mkdir(parents=True, exist_ok=True)
        with open(times_path(log), "a") as stream:
            stream.write(times)


def test_lines_take_the_time_of_the_chunk_their_first_byte_came_in(tmp_path: Path) -> None:
    log = tmp_path / "output" / "jr_1"
    # "one\ntw" at t=1000, "o\nthree\n" at t=2000: "two" started in the first chunk.
    _write(log, b"one\ntwo\nthree\n", "0 500\n0 1000\n6 2000\n")
    events = StreamReader().events(log, ended=False)
    assert [(e.offset, e.timestamp, e.message) for e in events] == [
        (0, 1000, "one"),
        (4, 1000, "two"),
        (8, 2000, "three"),
    ]


def test_reading_is_incremental_and_waits_for_whole_lines(tmp_path: Path) -> None:
    log = tmp_path / "output" / "jr_1"
    reader = StreamReader()
    _write(log, b"first\r\n\nsec", "0 1000\n")
    assert [e.message for e in reader.events(log, ended=False)] == ["first"]
    _write(log, b"ond\nthi", "12 3000\n")
    events = reader.events(log, ended=False)
    assert [(e.message, e.timestamp) for e in events] == [("first", 1000), ("second", 1000)]
    # Once the run has ended, an unfinished last line is an event too.
    assert [e.message for e in reader.events(log, ended=True)][-1] == "thi"
    assert reader.events(log, ended=True)[-1].timestamp == 3000


def test_an_entry_being_written_is_not_read_half(tmp_path: Path) -> None:
    log = tmp_path / "output" / "jr_1"
    reader = StreamReader()
    _write(log, b"a\n", "0 1000\n2 20")  # the second entry is still being written
    assert [e.timestamp for e in reader.events(log, ended=False)] == [1000]
    _write(log, b"b\n", "00\n")
    assert [e.timestamp for e in reader.events(log, ended=False)] == [1000, 2000]


def test_without_an_index_lines_get_the_files_time(tmp_path: Path) -> None:
    log = tmp_path / "error" / "jr_1"
    _write(log, b"Script not found\n")
    os.utime(log, (1234.5, 1234.5))
    assert [e.timestamp for e in StreamReader().events(log, ended=True)] == [1234500]
    times = stream_times(log, log.stat().st_size, log.stat().st_mtime)
    assert (times.created, times.first_write, times.last_write) == (1234500, 1234500, 1234500)


def test_a_replaced_file_is_read_again(tmp_path: Path) -> None:
    log = tmp_path / "output" / "jr_1"
    reader = StreamReader()
    _write(log, b"old line\n", "0 1000\n")
    assert [e.message for e in reader.events(log, ended=False)] == ["old line"]
    log.unlink()
    times_path(log).unlink()
    _write(log, b"new\n", "0 5000\n")
    assert [(e.message, e.timestamp) for e in reader.events(log, ended=False)] == [("new", 5000)]


def test_stream_times(tmp_path: Path) -> None:
    log = tmp_path / "output" / "jr_1"
    _write(log, b"", "0 100\n")
    empty = stream_times(log, 0, 0.0)
    assert (empty.created, empty.first_write, empty.last_write) == (100, None, None)
    _write(log, b"x\ny\n", "0 200\n2 300\n")
    full = stream_times(log, 4, 0.0)
    assert (full.created, full.first_write, full.last_write, full.size) == (100, 200, 300, 4)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [("{ $.a = 1 }", "JSON"), ("[a, b]", "space-delimited"), ('"x', "not closed"),
     ("%(%", "not valid"), ("? x", "followed by a term")],
)  # fmt: skip
def test_bad_filter_patterns(pattern: str, why: str) -> None:
    with pytest.raises(InvalidParameterException, match=why):
        parse_filter_pattern(pattern)


def test_filter_pattern_escapes() -> None:
    matcher = parse_filter_pattern(r'"say \"hi\"" -"no\\pe"')
    assert matcher.matches('they say "hi"')
    assert not matcher.matches('they say "hi" no\\pe')
    assert not matcher.matches("they say hi")


def _pump(tmp_path: Path, script: str) -> tuple[subprocess.CompletedProcess[bytes], Path]:
    out, err = tmp_path / "out", tmp_path / "err"
    status = tmp_path / "status"
    with open(out, "ab") as out_file, open(err, "ab") as err_file:
        done = subprocess.run(
            [sys.executable, "-I", "-S", pump.__file__, str(status), str(times_path(out)),
             str(times_path(err)), "--", sys.executable, "-c", script],
            stdout=out_file,
            stderr=err_file,
            timeout=30,
            check=False,
        )  # fmt: skip
    return done, tmp_path


def test_the_pump_records_output_times_and_status(tmp_path: Path) -> None:
    script = "import sys, time\nprint('a', flush=True)\ntime.sleep(0.3)\nprint('b')\nsys.exit(3)"
    done, folder = _pump(tmp_path, script)
    assert done.returncode == 3
    assert (folder / "status").read_text() == "3\n"
    assert (folder / "out").read_text() == "a\nb\n"
    events = StreamReader().events(folder / "out", ended=True)
    assert [e.message for e in events] == ["a", "b"]
    assert events[1].timestamp - events[0].timestamp >= 250


def test_the_pump_reports_signals_as_a_shell_does(tmp_path: Path) -> None:
    done, folder = _pump(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    assert done.returncode == 128 + 9
    assert (folder / "status").read_text() == "137\n"


def test_the_pump_does_not_wait_for_what_the_script_left_behind(tmp_path: Path) -> None:
    # A background process inherits the script's stdout and outlives it.
    script = (
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])\n"
        "print(child.pid, file=sys.stderr)\n"
        "print('parent done')"
    )
    started = time.monotonic()
    done, folder = _pump(tmp_path, script)
    took = time.monotonic() - started
    os.kill(int((folder / "err").read_text()), signal.SIGKILL)
    assert done.returncode == 0 and took < 10
    assert (folder / "out").read_text() == "parent done\n"
