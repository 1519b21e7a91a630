"""One build at a time per book folder.

Two builds of one book share chapters/, the build folder and the cache: run together, they would publish a
site that mixes their pages. A build holds an exclusive lock (flock) on a file in the book's cache folder;
the operating system releases it when the process ends, however it ends, so a killed build never leaves a
lock behind. A second build refuses, naming the first, or waits for it (`--wait`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator

from natobook import paths
from natobook.errors import NatobookError


class BuildBusy(NatobookError):
    """Another build of the same book is running."""


class _Held:
    fd: int | None = None  # the lock file's descriptor, while this process holds the lock


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it: 'pid 1234, started 2026-12-02 13:05:02 UTC'."""
    text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    return text or "a process that has not said its pid yet"


@contextlib.contextmanager
def held(wait: bool = False) -> Iterator[None]:
    """Hold the book's build lock within; BuildBusy at once when another build holds it, unless `wait`."""
    lock = paths.BUILD_LOCK
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BuildBusy(
                    f"another build of this book is running ({_holder(fd)}; lock {lock}); expected "
                    f"one build at a time, as two would mix their pages in one site: wait for it "
                    f"to end, or run again with --wait to start as soon as it does"
                ) from None
            print(f"waiting for the other build of this book to end ({_holder(fd)})", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n".encode(), 0)
        _Held.fd = fd
        yield
    finally:
        _Held.fd = None
        os.close(fd)  # releases the lock


def forget_in_child() -> None:
    """In a forked worker: close the inherited descriptor, so that the lock ends with the build's main process
    (flock belongs to the open file, which a forked child shares)."""
    if _Held.fd is not None:
        os.close(_Held.fd)
        _Held.fd = None


# Every fork, not only the build's own workers (a library's helper process, a cluster's worker): a child that
# outlived the build would otherwise keep the book locked.
os.register_at_fork(after_in_child=forget_in_child)
