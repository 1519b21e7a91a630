"""The PDF edition: the book as one HTML page, printed by the same headless Chromium the tests use.

Charts are drawn by vega in the page before printing, so the PDF holds them as vector graphics,
numbered as on the site; the headline numbers are text. Needs the executed notebooks (`make book`).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from natobook import paths
from natobook.build import jupyterbook

CHROMIUM = "/usr/bin/chromium"
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
CHART_TIMEOUT_MS = 60_000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def print_to_pdf(site: Path, target: Path) -> Path:
    """Serve `site` on loopback, let every chart draw, and print index.html to `target`."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html", wait_until="load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.natobook-chart')].every(c => c.querySelector('svg'))",
                timeout=CHART_TIMEOUT_MS,
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return target


def build_pdf(target: Path) -> Path:
    site = jupyterbook.build(paths.BUILD / ".work-pdf", builder="singlehtml")
    return print_to_pdf(site, target)
