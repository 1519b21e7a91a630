"""Ctrl-C, SIGTERM and SIGHUP during a build: stop at once, leave nothing half-done.

The first signal raises `Interrupted` in the build's main thread; whatever the build was doing unwinds, and
`stop_children` ends every process the build started (the notebook workers, the Jupyter kernels they
started in sessions of their own, Sphinx and its workers), so no queued notebook starts and no running one
writes anything more. A second signal, while that unwinding runs, stops the children and exits at once.

Publishing the site (a copy, a rename, a record of what was published) is `deferred`: a signal that
arrives then is acted on once it is done, so the site is always either the old one or the new one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator

import psutil

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A stop signal arrived. BaseException, as KeyboardInterrupt: no `except Exception` of the build may
    turn it into a notebook failure or a data problem."""

    def __init__(self, signum: int, published: bool = False):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.published = published  # the signal came while publishing: the new site is out

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP

    def __str__(self) -> str:
        if self.published:
            return "interrupted: the new site had just been published"
        return "interrupted: the published site is unchanged"


class _State:
    received: list[int] = []  # signals received since the guard was set
    deferring = False


def stop_children(pids: list[int] | None = None) -> None:
    """End the processes `pids` (default: every process this one started) and all they started. The tree is
    frozen first, so that no worker starts a kernel between listing the processes and ending them."""
    roots = [psutil.Process(pid) for pid in pids if psutil.pid_exists(pid)] if pids is not None else [psutil.Process()]
    own = pids is None  # this process is the root: it is not to be stopped

    def tree() -> list[psutil.Process]:
        found = [] if own else list(roots)
        for root in roots:
            with contextlib.suppress(psutil.Error):
                found += root.children(recursive=True)
        return found

    for process in tree():
        with contextlib.suppress(psutil.Error):
            process.suspend()
    frozen = tree()
    for process in frozen:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(frozen, timeout=5)


def _on_signal(signum: int, frame) -> None:
    _State.received.append(signum)
    if len(_State.received) > 1:  # a second press: the user will not wait for any cleaning up
        stop_children()
        print(f"\ninterrupted again ({signal.Signals(signum).name}): stopped at once", file=sys.stderr, flush=True)
        os._exit(128 + signum)
    if not _State.deferring:
        raise Interrupted(signum)


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Within it, a stop signal raises Interrupted (after the children are stopped, when it leaves)."""
    _State.received = []
    previous = {signum: signal.signal(signum, _on_signal) for signum in STOP_SIGNALS}
    try:
        yield
    except Interrupted:
        stop_children()
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A step that must finish once started: a stop signal received meanwhile is raised when it is done."""
    _State.deferring = True
    try:
        yield
    finally:
        _State.deferring = False
    if _State.received:
        raise Interrupted(_State.received[0], published=True)


def restore_defaults_in_child() -> None:
    """In a forked worker: the default handlers (the main process alone decides what a signal means)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in STOP_SIGNALS[1:]:
        signal.signal(signum, signal.SIG_DFL)
