"""The published site holds every data edition side by side, each at its own stable address.

    _build/html/                     the latest edition (the newest release held): an address that moves
    _build/html/editions/index.html  every edition held, newest first
    _build/html/editions/editions.js the same list for the pages' script (which pages each edition has)
    _build/html/editions/<YYYY-MM>/  one edition's whole site, never rewritten by another edition's build

`assemble` fills a new site folder from the book just built and the site published before: the editions held
before are linked in unchanged (hard links, so byte-identical by construction and no copy of their bytes), the
edition built takes its own folder (replacing only an earlier build of the same edition), and the root is the
latest edition again, its links that leave the edition's folder shortened by the two levels of
`editions/<edition>/`. natobook.build.publish.publish then switches `_build/html` to it in one atomic rename.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

from natobook.citation import EDITIONS_FOLDER
from natobook.data import editions as edition_registry

FOLDER = EDITIONS_FOLDER
MANIFEST = "editions.json"  # read by the next build (natobook.site.editions) and by tests
MANIFEST_SCRIPT = "editions.js"  # the same, for the pages' script: a <script> loads from file:// too, fetch() does not
EDITION_NAME = re.compile(r"^\d{4}-\d{2}$")
WHAT_CHANGED = "chapters/what_changed"
# An attribute value (href, src, data-*) that starts by climbing out of the page's folder.
CLIMBING = re.compile(r'="((?:\.\./)+)')


def read_manifest(site: Path) -> dict:
    """{"latest": edition, "editions": {edition: [page, ...]}} of a published site; empty before any."""
    try:
        return json.loads((site / FOLDER / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"latest": None, "editions": {}}


def held_editions(site: Path) -> list[str]:
    """The editions a published site holds, oldest first."""
    folder = site / FOLDER
    return (
        sorted(p.name for p in folder.iterdir() if p.is_dir() and EDITION_NAME.match(p.name)) if folder.is_dir() else []
    )


def pages_of(edition_root: Path) -> list[str]:
    """Every HTML page of one edition's site, as 'chapters/share_of_gdp' (no suffix), sorted."""
    return sorted(
        p.relative_to(edition_root).with_suffix("").as_posix()
        for p in edition_root.rglob("*.html")
        if "_static" not in p.relative_to(edition_root).parts
    )


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy holds the same bytes
        shutil.copy2(source, target)


def at_root(page: str, depth: int) -> str:
    """An edition's page as the root (latest) shows it: a link that leaves the edition's folder, which climbs
    `depth` + 2 levels from `editions/<edition>/<page>`, climbs `depth` levels from the root."""

    def shorten(match: re.Match) -> str:
        levels = match.group(1).count("../")
        return f'="{"../" * (levels - 2)}' if levels > depth else match.group(0)

    return CLIMBING.sub(shorten, page)


def _copy_as_root(edition_root: Path, site: Path) -> None:
    for path in sorted(edition_root.rglob("*")):
        target = site / path.relative_to(edition_root)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".html":
            depth = len(path.relative_to(edition_root).parts) - 1
            target.write_text(at_root(path.read_text(encoding="utf-8"), depth), encoding="utf-8")
        else:
            _link_or_copy(str(path), str(target))


def assemble(site: Path, built: Path, exports: Path | None, edition: str, published: Path | None) -> dict:
    """Fill the new folder `site` (not existing yet) with every edition; returns its manifest."""
    folder = site / FOLDER
    folder.mkdir(parents=True)
    for held in held_editions(published) if published else []:
        if held != edition:
            shutil.copytree(published / FOLDER / held, folder / held, copy_function=_link_or_copy, symlinks=True)
    shutil.copytree(built, folder / edition)
    if exports is not None and exports.is_dir():
        shutil.copytree(exports, folder / edition / "figures", ignore=shutil.ignore_patterns(".*"), dirs_exist_ok=True)
    held = held_editions(site)
    manifest = {"latest": held[-1], "editions": {name: pages_of(folder / name) for name in held}}
    _copy_as_root(folder / manifest["latest"], site)
    _write_manifest(folder, manifest)
    (folder / "index.html").write_text(index_page(manifest), encoding="utf-8")
    return manifest


def _write_manifest(folder: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
    (folder / MANIFEST_SCRIPT).write_text(f"window.natobookEditions = {text};\n", encoding="utf-8")


def _edition_item(name: str, manifest: dict) -> str:
    entry = edition_registry.describe(name)
    words = html.escape(f"{entry['title']}, {edition_registry.release_date(name)}")
    links = [f'<a href="{name}/index.html">edition {name}</a>']
    if name == manifest["latest"]:
        links.append('<a href="../index.html">also the latest edition, at an address that moves</a>')
    if f"{WHAT_CHANGED}" in manifest["editions"][name] and name != min(manifest["editions"]):
        links.append(f'<a href="{name}/{WHAT_CHANGED}.html">what changed since the edition before</a>')
    return f"<li>{' · '.join(links)}: {words}</li>"


def index_page(manifest: dict) -> str:
    """editions/index.html: every edition held, newest first, each at its stable address."""
    items = "\n".join(_edition_item(name, manifest) for name in sorted(manifest["editions"], reverse=True))
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Editions of the book</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
line-height: 1.5; background: #fff; color: #1a1a1a; }} li {{ margin: 0.5rem 0; }} a {{ color: #0b5cad; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #121212; color: #ececec; }} a {{ color: #8cb4ff; }} }}
</style></head>
<body><main>
<h1>Editions of the book</h1>
<p>Each edition of the book is built on one NATO data release and stays at its own address, unchanged when a
newer edition is published: cite that address. The <a href="../index.html">latest edition</a> is always at the
root of the site; its address moves to each new edition.</p>
<ul>
{items}
</ul>
</main></body>
</html>
"""
