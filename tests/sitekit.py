"""Serve the built site on loopback and drive it with Debian's Chromium (shared by the browser tests)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium from calling home on a machine with no network (each call would be refused).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output readable
        pass


@contextmanager
def serve(folder: Path):
    """An HTTP server for `folder` on 127.0.0.1 and a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the book's latest edition, relative to the site root (Sphinx's own index pages included);
    not the editions' own copies under editions/ (tests/test_editions.py)."""
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if "_static" not in p.parts and p.relative_to(site).parts[0] != "editions"
    )


def build_one_page(notebook: Path, folder: Path, **settings: str) -> str:
    """`notebook` built by Sphinx as a one-page book in `folder`, with the book's theme and extension (unresolved
    links only warn); returns the page's HTML. Extra Sphinx `settings` (e.g. html_baseurl) are passed as -D.

    Sphinx runs in a process of its own, as the book's build runs it: sphinx-sitemap starts a multiprocessing
    Manager, a forked server process that would otherwise outlive the build inside pytest, holding every pipe
    pytest had open, the Playwright driver's among them, which then never sees its end and never exits.
    """
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copyfile(notebook, source / "page.ipynb")
    extensions = ["myst_nb", "natobook.site.sphinxext", *settings.pop("extensions", "").split(",")]
    options = {
        "extensions": ",".join(filter(None, extensions)),
        "root_doc": "page",
        "nb_execution_mode": "off",
        "html_theme": "sphinx_book_theme",
        **settings,
    }
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-C", "-E", "-q", "-d", str(folder / "doctrees")]
    command += [f"-D{name}={value}" for name, value in options.items()]
    result = subprocess.run([*command, str(source), str(folder / "html")], capture_output=True, text=True)
    assert result.returncode == 0, f"sphinx failed:\n{result.stderr[-3000:]}"
    return (folder / "html" / "page.html").read_text(encoding="utf-8")
