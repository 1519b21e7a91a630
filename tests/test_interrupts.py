"""What users do to a running build: press Ctrl-C (once, then again), send SIGTERM, start a second build.

The lock (natobook.build.buildlock) is tested against a real process holding it. The signals are sent to real forced
builds in copies of the source tree (natobook.build.sourcetree), while notebooks execute: to the build's process
group, as a terminal's Ctrl-C is.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from test_rebuild import (
    build_command,
    build_env,
    half_written,
    published_bytes,
    run_build,
    still_running,
    wait_until_notebooks_execute,
)

from natobook import paths
from natobook.build import buildlock, filecopy, interrupts
from natobook.build.sourcetree import copy_book

STOPPED_WITHIN_SECONDS = 10  # what the issue asks of a first Ctrl-C
UNCHANGED = "interrupted: the published site is unchanged"


# --- One build at a time ----------------------------------------------------------------------------------

HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from natobook import paths
from natobook.build import buildlock
paths.BUILD_LOCK = Path(sys.argv[1])
with buildlock.held():
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path, monkeypatch):
    """A process holding the build lock of a book whose lock file is in tmp_path (this process looks there too)."""
    lock = tmp_path / "cache" / "build.lock"
    monkeypatch.setattr(paths, "BUILD_LOCK", lock)
    process = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(lock)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    process.kill()
    process.wait()


def test_a_second_build_refuses_naming_the_running_one(holder):
    with pytest.raises(buildlock.BuildBusy) as refused:
        with buildlock.held():
            pytest.fail("got the lock another process holds")
    message = str(refused.value)
    assert f"another build of this book is running (pid {holder.pid}, started " in message
    assert "--wait" in message


def test_with_wait_a_build_starts_when_the_other_ends_even_if_it_was_killed(holder):
    acquired = threading.Event()

    def wait_for_the_lock():
        with buildlock.held(wait=True):
            acquired.set()

    waiter = threading.Thread(target=wait_for_the_lock)
    waiter.start()
    try:
        assert not acquired.wait(1.0), "got the lock while another process held it"
        holder.send_signal(signal.SIGKILL)  # a killed build leaves no stale lock: the OS releases it
        assert acquired.wait(10), "the lock of a killed build was not released"
    finally:
        holder.kill()
        waiter.join(timeout=15)


FORK_A_CHILD_THAT_OUTLIVES_THE_BUILD = """
import os, sys, time
from pathlib import Path
from natobook import paths
from natobook.build import buildlock
paths.BUILD_LOCK = Path(sys.argv[1])
with buildlock.held():
    if os.fork() == 0:  # a helper process some library forked, still running when the build ends
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1), os.dup2(quiet, 2)  # not the test's pipes: it reads the build's output to the end
        time.sleep(600)
        os._exit(0)
print("build ended", flush=True)
"""


def test_a_forked_child_that_outlives_the_build_does_not_keep_the_book_locked(tmp_path, monkeypatch):
    lock = tmp_path / "cache" / "build.lock"
    monkeypatch.setattr(paths, "BUILD_LOCK", lock)
    build = subprocess.Popen(
        [sys.executable, "-c", FORK_A_CHILD_THAT_OUTLIVES_THE_BUILD, str(lock)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the build and its child in a group of their own, to be killed together
    )
    try:
        output, errors = build.communicate(timeout=60)
        assert output == "build ended\n", errors
        with buildlock.held():  # BuildBusy here if the child still held the lock
            pass
    finally:
        os.killpg(build.pid, signal.SIGKILL)


# --- Stopping what a build started -------------------------------------------------------------------------

# A process that starts another in a session of its own (as jupyter_client starts a kernel), then waits.
STARTS_A_KERNEL_LIKE_CHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
print(child.pid, flush=True)
time.sleep(600)
"""


def test_stopping_a_worker_stops_what_it_started_and_nothing_else():
    worker = subprocess.Popen([sys.executable, "-c", STARTS_A_KERNEL_LIKE_CHILD], stdout=subprocess.PIPE, text=True)
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        started = [psutil.Process(worker.pid), psutil.Process(int(worker.stdout.readline()))]
        interrupts.stop_children([worker.pid])
        assert not still_running(started, timeout=10)
        assert bystander.poll() is None
    finally:
        for process in (worker, bystander):
            process.kill()
            process.wait()


# --- Each stop signal, and publishing that finishes once begun --------------------------------------------

GUARDED = """
import os, sys, time
from natobook.build import interrupts
try:
    with interrupts.guard():
        print("ready", flush=True)
        if sys.argv[1] == "publishing":
            with interrupts.deferred():
                time.sleep(1)  # the signal arrives here
                print("published", flush=True)
        time.sleep(60)
except interrupts.Interrupted as exc:
    print(exc, exc.exit_code, flush=True)
"""


def interrupted_while(doing: str, signum: int) -> str:
    guarded = subprocess.Popen([sys.executable, "-c", GUARDED, doing], stdout=subprocess.PIPE, text=True)
    assert guarded.stdout.readline() == "ready\n"
    time.sleep(0.2)
    guarded.send_signal(signum)
    return guarded.communicate(timeout=10)[0]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_each_stop_signal_interrupts_with_the_shells_exit_code(signum):
    assert interrupted_while("building", signum) == f"{UNCHANGED} {128 + signum}\n"


def test_a_signal_while_publishing_lets_the_switch_finish_and_says_so():
    said = interrupted_while("publishing", signal.SIGINT)
    assert said == "published\ninterrupted: the new site had just been published 130\n"


# --- Signals to a real build ------------------------------------------------------------------------------


def book_with_a_published_site(folder: Path) -> Path:
    """A copy of the book with a small site published as a build publishes one: _build/site-*, the html link."""
    book = copy_book(folder / "book")
    site = book / "_build" / "site-before"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>the site published before</p>", encoding="utf-8")
    (book / "_build" / "html").symlink_to(site.name)
    return book


@dataclass
class Running:
    book: Path
    published_before: dict[str, bytes]
    build: subprocess.Popen
    log: Path


@contextlib.contextmanager
def forced_build_executing_notebooks(folder: Path) -> Iterator[Running]:
    """`build --force` in a copy of the book, in its own process group as a shell runs a command in the foreground,
    once it executes notebooks; killed at the end if it still runs."""
    book = book_with_a_published_site(folder)
    before = published_bytes(book / "_build")
    log = folder / "build.log"
    with open(log, "w") as out:
        build = subprocess.Popen(
            build_command("--force"),
            cwd=book,
            env=build_env(book),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_notebooks_execute(build, book, log)
        yield Running(book, before, build, log)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()


def leftovers(book: Path) -> list[str]:
    """Half-written things a stopped build must not leave: partial copies, scratch notebooks, staged cache entries."""
    found = [str(p) for p in book.rglob(f".*{filecopy.PARTIAL_SUFFIX}")]
    found += [str(p) for p in (book / ".natobook-cache").glob("??/.tmp-*")]
    found += [str(p) for p in (book / "_build" / "executing").glob("*")]
    return found + half_written(book / "chapters")


@pytest.mark.build
def test_one_ctrl_c_stops_the_build_at_once_and_leaves_the_site(tmp_path):
    with forced_build_executing_notebooks(tmp_path) as running:
        book, build = running.book, running.build
        second = subprocess.run(
            build_command(), cwd=book, env=build_env(book), capture_output=True, text=True, timeout=120
        )
        wait_until_notebooks_execute(build, book, running.log)
        processes = psutil.Process(build.pid).children(recursive=True)
        pressed = time.monotonic()
        os.killpg(build.pid, signal.SIGINT)
        code = build.wait(timeout=60)
        took = time.monotonic() - pressed

    # the second build refused while the first ran, naming it
    assert second.returncode == 1, second.stderr
    assert f"error: another build of this book is running (pid {build.pid}," in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    # the first stopped at once, said so, and left nothing running and nothing half-written
    output = running.log.read_text()
    assert code == 130 and took < STOPPED_WITHIN_SECONDS, f"exit {code} after {took:.1f} s:\n{output[-3000:]}"
    assert output.rstrip().endswith(UNCHANGED), output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert not still_running(processes), "processes of the stopped build are still running"
    assert published_bytes(book / "_build") == running.published_before
    assert not leftovers(book), leftovers(book)
    # and the next build, from what the cache kept, publishes a site
    run_build(book)
    assert os.readlink(book / "_build" / "html") != "site-before"
    assert (book / "_build" / "html" / "index.html").is_file()


@pytest.mark.build
def test_sigterm_then_ctrl_c_exits_at_once_and_leaves_the_site(tmp_path):
    with forced_build_executing_notebooks(tmp_path) as running:
        build = running.build
        processes = psutil.Process(build.pid).children(recursive=True)
        os.kill(build.pid, signal.SIGTERM)
        os.killpg(build.pid, signal.SIGINT)  # pressed again before the first finished stopping
        code = build.wait(timeout=STOPPED_WITHIN_SECONDS)

    output = running.log.read_text()
    assert code in (130, 128 + signal.SIGTERM), output[-3000:]  # the second signal's code, or the first's if done
    assert "Traceback" not in output and "Exception ignored" not in output, output[-3000:]
    assert not still_running(processes), "processes of the stopped build are still running"
    assert published_bytes(running.book / "_build") == running.published_before
    assert not leftovers(running.book), leftovers(running.book)
