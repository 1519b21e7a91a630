"""Every figure of the book as SVG, PNG (2x) and PDF, beside the CSV behind it, under its stable name.

The notebooks glue each chart with its Vega-Lite spec (see charts.style.offline_mimebundle); this
module reads the specs back from the executed notebooks and converts them with vl-convert, offline.
An export whose spec and credit have not changed since the last run is kept, not redone.

An exported figure stands alone, pasted into someone else's report: drawn inside it are its title, a
subtitle with the units (and price basis) of its axes, the source line with the data edition, the book's
name and address, and the licence (`credit_lines`). The SVG is drawn once with them, and the PNG and the
PDF are made from that very SVG, so the three carry the same words.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import nbformat
import pikepdf
import vl_convert
import yaml

from natobook import citation, paths
from natobook.charts.style import FONT, SPEC_MIMETYPE, SUBTITLE_COLOUR
from natobook.data import editions

GLUED_SPEC = f"application/papermill.record/{SPEC_MIMETYPE}"
FORMATS = ("svg", "png", "pdf")
PNG_SCALE = 2
# Bump when the same spec gives other bytes (2: canonical PDFs; 3: rewritten by qpdf; 4: the credit drawn in), so
# earlier exports are redone.
EXPORT_REVISION = 4
PUBLISHED_MODE = 0o644
CREDIT_FONT_SIZE = 10
CREDIT_LINE_HEIGHT = 14
CREDIT_MARGIN = 8


def glued_figures(notebook_path: Path) -> Iterator[tuple[str, dict]]:
    """(name, Vega-Lite spec) of every figure glued in an executed notebook."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            spec = output.get("data", {}).get(GLUED_SPEC)
            if name.startswith("fig-") and spec:
                yield name, spec


@cache
def site_base_url() -> str:
    """html.baseurl of _config.yml: the book's public address, the one setting for it; empty while it has none."""
    with open(paths.ROOT / "_config.yml", encoding="utf-8") as handle:
        return (yaml.safe_load(handle).get("html") or {}).get("baseurl") or ""


def figure_page(notebook_path: Path) -> str:
    """The page of the site a notebook becomes: chapters/equipment, chapters/countries/pol (relative to the folder
    that holds chapters/, the book's root); a notebook written elsewhere is a page of its own name."""
    path, book = notebook_path.resolve(), paths.CHAPTERS.resolve().parent
    return (path.relative_to(book) if path.is_relative_to(book) else Path(path.name)).with_suffix("").as_posix()


def notebook_edition(notebook_path: Path) -> str | None:
    notebook = nbformat.read(notebook_path, as_version=4)
    return notebook.metadata.get("papermill", {}).get("parameters", {}).get("edition")


def credit_lines(name: str, edition: str | None, page: str) -> list[str]:
    """What an exported figure says of itself under the chart: the source with its edition, the book and the
    figure's address (under the public base URL; else the repository's address, when CITATION.cff gives one),
    the licence."""
    meta = citation.metadata()
    base = site_base_url()
    address = citation.figure_address(base, page, name, edition) if base else meta.get("repository-code", "")
    source = f"Source: {editions.source_note(edition)}; data edition {edition}." if edition else "Source: NATO."
    book = f"From: {meta['title']}, version {meta['version']}, figure {name}" + (f", {address}" if address else "")
    licence = f"Licence: {meta['license'].replace('-', ' ')} (the chart); NATO's data are reproduced with acknowledgement of the source."
    return [source, book + ".", licence]


def with_units(spec: dict) -> dict:
    """The spec with a subtitle naming the units of its value axes ("Units: USD billion, constant 2015 prices
    ..."), under any subtitle it has; on the page the axes say it, on its own the figure says it once more."""
    units = list(dict.fromkeys(_axis_titles(spec)))
    if not units:
        return spec
    title = spec.get("title", "")
    title = dict(title) if isinstance(title, dict) else {"text": title}
    subtitle = title.get("subtitle", [])
    title["subtitle"] = [*([subtitle] if isinstance(subtitle, str) else subtitle), "Units: " + "; ".join(units)]
    return {**spec, "title": title}


def title_text(title: str | list[str]) -> str:
    """A chart's title as one line: Vega-Lite draws a list as lines (a long axis title on a phone)."""
    return title if isinstance(title, str) else " ".join(map(str, title))


def _axis_titles(spec) -> Iterator[str]:
    """The titles of the quantitative x and y axes anywhere in a spec (its layers, panels, facets)."""
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            encoding = (spec.get("encoding") or {}).get(channel)
            if isinstance(encoding, dict) and encoding.get("type") == "quantitative" and encoding.get("title"):
                yield title_text(encoding["title"])
        for value in spec.values():
            yield from _axis_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _axis_titles(value)


SVG_SIZE = re.compile(r'^(<svg[^>]*?) width="([\d.]+)" height="([\d.]+)" viewBox="0 0 ([\d.]+) ([\d.]+)"')
BACKGROUND = re.compile(r'(<rect width="[\d.]+" height=")([\d.]+)(")')


def with_credit(svg: str, lines: list[str]) -> str:
    """The SVG made taller by the credit lines, drawn under the chart as text (searchable, selectable)."""
    size = SVG_SIZE.match(svg)
    if not size:
        raise ValueError("vl-convert's SVG has no width, height and viewBox on its root: cannot add the credit")
    width, height = float(size[2]), float(size[3])
    # An address is never broken: a reader copies it from the figure.
    columns = int((width - 2 * CREDIT_MARGIN) / (0.55 * CREDIT_FONT_SIZE))
    wrapped = [
        part for line in lines for part in textwrap.wrap(line, columns, break_long_words=False, break_on_hyphens=False)
    ]
    taller = height + CREDIT_MARGIN + CREDIT_LINE_HEIGHT * len(wrapped)
    svg = SVG_SIZE.sub(lambda m: f'{m[1]} width="{m[2]}" height="{taller:g}" viewBox="0 0 {m[4]} {taller:g}"', svg, 1)
    svg = BACKGROUND.sub(lambda m: f"{m[1]}{taller:g}{m[3]}", svg, 1)
    texts = "".join(
        f'<text x="{CREDIT_MARGIN}" y="{height + CREDIT_LINE_HEIGHT * (index + 1):g}">{xml_escape(line)}</text>'
        for index, line in enumerate(wrapped)
    )
    credit = (
        f'<g class="natobook-credit" font-family="{xml_escape(FONT)}" font-size="{CREDIT_FONT_SIZE}" '
        f'fill="{SUBTITLE_COLOUR}">{texts}</g>'
    )
    return svg[: svg.rindex("</svg>")] + credit + "</svg>"


def render(spec: dict, credit: list[str]) -> dict[str, bytes]:
    """The figure as SVG, PNG and PDF, its units and credit drawn in; PNG and PDF made from the SVG."""
    svg = with_credit(vl_convert.vegalite_to_svg(with_units(spec)), credit)
    return {
        "svg": svg.encode("utf-8"),
        "png": vl_convert.svg_to_png(svg, scale=PNG_SCALE),
        "pdf": _canonical_pdf(vl_convert.svg_to_pdf(svg)),
    }


def _canonical_pdf(pdf: bytes) -> bytes:
    """The same chart as the same bytes in every build. vl-convert writes some dictionaries and font objects in
    the order of Rust hash maps, random in each process; qpdf (pikepdf) rewrites a PDF with sorted dictionary
    keys and objects numbered as a walk from the trailer meets them, and `static_id` fixes the file's /ID."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, static_id=True)
    return out.getvalue()


def _spec_digest(spec: dict, credit: list[str]) -> str:
    return hashlib.sha256(json.dumps([EXPORT_REVISION, spec, credit], sort_keys=True).encode("utf-8")).hexdigest()


def write_atomically(target: Path, content: bytes) -> None:
    """Write under a temporary name in the same folder, then rename: a reader (the site being copied, a
    download) never meets half a file, and an interrupted export leaves the last whole one."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, PUBLISHED_MODE)  # mkstemp makes it private: a web server must read it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_figure(name: str, spec: dict, out_dir: Path, credit: list[str]) -> None:
    """Write name.svg/.png/.pdf with `credit` drawn in (unless this very spec and credit were exported before) and
    copy name.csv, each file atomically."""
    stamp = out_dir / f".{name}.sha256"
    digest = _spec_digest(spec, credit)
    if not (
        stamp.exists() and stamp.read_text() == digest and all((out_dir / f"{name}.{f}").exists() for f in FORMATS)
    ):
        for fmt, content in render(spec, credit).items():
            write_atomically(out_dir / f"{name}.{fmt}", content)
        write_atomically(stamp, digest.encode("utf-8"))
    data = paths.FIGURES / f"{name}.csv"
    if data.exists():
        write_atomically(out_dir / f"{name}.csv", data.read_bytes())


def export_notebook(notebook_path: Path, out_dir: Path) -> list[str]:
    """Export every figure an executed notebook glues, each credited with its page and the notebook's edition."""
    edition, page = notebook_edition(notebook_path), figure_page(notebook_path)
    names = []
    for name, spec in glued_figures(notebook_path):
        out_dir.mkdir(parents=True, exist_ok=True)
        export_figure(name, spec, out_dir, credit_lines(name, edition, page))
        names.append(name)
    return names


def export_all(chapters_dir: Path, out_dir: Path, jobs: int = 2) -> list[str]:
    """Export every figure glued in the executed notebooks under `chapters_dir`; returns their names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        exported = pool.map(lambda notebook: export_notebook(notebook, out_dir), sorted(chapters_dir.rglob("*.ipynb")))
        figures = {name for names in exported for name in names}
    remove_stale(out_dir, figures)
    return sorted(figures)


def remove_stale(out_dir: Path, names: set[str]) -> None:
    """A figure that no notebook glues any more must not linger in the downloads."""
    for path in out_dir.iterdir():
        if path.name.lstrip(".").split(".")[0] not in names:
            path.unlink()
