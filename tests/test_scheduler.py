"""`build --scheduler ADDRESS`: the notebooks execute on a dask.distributed cluster (here a LocalCluster on
loopback, its workers importing the copy's natobook), and the book is the same, byte for byte, as the main
tree's own build of the same sources with local workers (`make book`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_pipeline import planned_tiny, quiet
from test_rebuild import (
    assert_main_build_current,
    assert_same,
    build_env,
    published_bytes,
    run_build,
    seed_published_site,
    tree_files,
    without_timing,
)

from natobook import paths
from natobook.build import pools
from natobook.build.sourcetree import copy_book

# Started in its own process with the copy's environment, so that its workers import the copy's natobook and
# write into the copy, as workers sharing the book's folder do; it prints its address, then runs until stdin ends.
LOCAL_CLUSTER = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()
cluster.close()
"""


@pytest.fixture
def cluster_for() -> Iterator:
    started: list[subprocess.Popen] = []

    def start(book: Path) -> str:
        process = subprocess.Popen(
            [sys.executable, "-c", LOCAL_CLUSTER],
            cwd=book,
            env=build_env(book),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(process)
        address = process.stdout.readline().strip()
        assert re.fullmatch(r"tcp://127\.0\.0\.1:\d+", address), f"no scheduler address from the cluster: {address!r}"
        return address

    yield start
    for process in started:
        process.stdin.close()
        process.wait(timeout=60)


@pytest.mark.build
def test_a_build_on_a_dask_cluster_gives_the_same_book_as_local_workers(tmp_path, cluster_for):
    assert_main_build_current()  # before paying for a build
    book = copy_book(tmp_path / "book", with_git=True)  # .git: the provenance page shows the commit and its time
    seed_published_site(book, paths.SITE.resolve())
    address = cluster_for(book)

    result = run_build(book, "--scheduler", address, timeout=2400)  # every notebook executes: minutes on a busy machine

    counts = re.search(r"(\d+) notebook\(s\) executed, 0 from the cache", result.stdout)
    assert counts and int(counts.group(1)) > 40, result.stdout  # every notebook ran on the cluster
    published = book / "_build" / os.readlink(book / "_build" / "html")
    assert published_bytes(book / "_build")["html ->"] == published.name.encode()
    assert_main_build_current()  # nobody rebuilt or edited the main tree meanwhile
    assert_same(tree_files(paths.CHAPTERS, "*.ipynb"), tree_files(book / "chapters", "*.ipynb"), "chapters")
    assert_same(tree_files(paths.SITE.resolve()), tree_files(published), "the site")


def test_an_address_with_no_scheduler_is_one_clear_message(tmp_path):
    book = copy_book(tmp_path / "book")
    result = subprocess.run(
        [sys.executable, "-m", "natobook", "build", "--scheduler", "tcp://127.0.0.1:9"],
        cwd=book,
        env=build_env(book),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "--scheduler tcp://127.0.0.1:9: cannot reach a dask scheduler there" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.build
def test_a_run_on_a_dask_cluster_gives_the_same_notebook_as_a_local_worker(sandbox):
    """The executor behind both: one tiny notebook, on a local worker, then on a LocalCluster (its workers threads of
    this process, so they see this test's build folder), compared timing aside."""
    from distributed import LocalCluster

    item = planned_tiny(sandbox)
    local = pools.execute_all([item], jobs=1, force=True, progress=quiet(1))
    executed_locally = item.run.output.read_bytes()
    item.run.output.unlink()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        remote = pools.execute_all([item], jobs=1, force=True, progress=quiet(1), scheduler=cluster.scheduler_address)

    assert (local.executed, remote.executed, remote.failures) == ([item.label], [item.label], [])
    assert without_timing(item.run.output.read_bytes()) == without_timing(executed_locally)
