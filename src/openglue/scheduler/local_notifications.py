"""File-system notifications for the embedded buckets, so EVENT triggers hear of files at once.

On Linux, inotify (through libc, no extra dependency) watches ``<data dir>/buckets`` and every
folder under it; a file written and closed, or moved in, wakes the prefix polls, which then
find what is new. The notification only says "look now": what counts as new is decided by the
poll, so a lost or merged notification costs latency, never an event. Where inotify is not
available (macOS, Windows, a full watch table) the polls run on their interval alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import select
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("openglue.scheduler")

_IN_CLOSE_WRITE = 0x00000008
_IN_MOVED_TO = 0x00000080
_IN_CREATE = 0x00000100
_IN_ISDIR = 0x40000000
_IN_NONBLOCK = 0o4000
_IN_CLOEXEC = 0o2000000
_MASK = _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (struct inotify_event)


class LocalNotifications:
    def __init__(self, root: Path, on_change: Callable[[], None]) -> None:
        self.root = root
        self.on_change = on_change
        self._fd = -1
        self._libc: ctypes.CDLL | None = None
        self._folders: dict[int, Path] = {}
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start watching; ``False`` (polls alone) where inotify is not available."""
        if not sys.platform.startswith("linux"):
            return False
        try:
            self._libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            self._fd = self._libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        except (OSError, AttributeError):
            return False
        if self._fd < 0:
            log.info(
                "event triggers: no inotify (%s); polling only", os.strerror(ctypes.get_errno())
            )
            return False
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._watch_tree(self.root)
        except OSError as error:
            log.warning("event triggers: cannot watch %s (%s); polling only", self.root, error)
            os.close(self._fd)
            self._fd = -1
            return False
        self._thread = threading.Thread(target=self._loop, name="bucket-notify", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        # The watching thread closes the descriptor itself when it ends: closing it here while
        # the thread may still be in select() or read() would let it touch whatever file the
        # number is given to next (another thread's socket, a pipe) after a join that timed out.
        self._stopping = True
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)

    def _watch_tree(self, top: Path) -> None:
        for folder, dirs, _files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            self._watch(Path(folder))

    def _watch(self, folder: Path) -> None:
        assert self._libc is not None
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK)
        if wd < 0:
            code = ctypes.get_errno()
            if code == errno.ENOSPC:
                log.warning("event triggers: inotify watch limit reached; %s is polled", folder)
            return
        self._folders[wd] = folder

    def _loop(self) -> None:
        try:
            self._watch_events()
        finally:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def _watch_events(self) -> None:
        poller = select.poll()  # not select(): it fails on descriptor numbers above 1023
        poller.register(self._fd, select.POLLIN)
        while not self._stopping:
            if not poller.poll(500):
                continue
            try:
                data = os.read(self._fd, 64 * 1024)
            except BlockingIOError:
                continue
            changed = False
            offset = 0
            while offset + _HEADER.size <= len(data):
                wd, mask, _cookie, length = _HEADER.unpack_from(data, offset)
                raw_name = data[offset + _HEADER.size : offset + _HEADER.size + length]
                offset += _HEADER.size + length
                name = os.fsdecode(raw_name.rstrip(b"\0"))
                folder = self._folders.get(wd)
                if mask & _IN_ISDIR and folder is not None and not name.startswith("."):
                    # A new folder may already hold files and folders: watch it all, look now.
                    self._watch_tree(folder / name)
                    changed = True
                elif mask & (_IN_CLOSE_WRITE | _IN_MOVED_TO):
                    changed = True
            if changed:
                try:
                    self.on_change()
                except Exception:
                    log.exception("event triggers: notification handler failed")
