"""Every figure of the book as SVG, PNG (2x) and PDF, beside the CSV behind it, under its stable name.

The notebooks glue each chart with its Vega-Lite spec (see charts.style.offline_mimebundle); this
module reads the specs back from the executed notebooks and converts them with vl-convert, offline.
An export whose spec has not changed since the last run is kept, not redone.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pikepdf
import vl_convert

from natobook import paths
from natobook.charts.style import SPEC_MIMETYPE

GLUED_SPEC = f"application/papermill.record/{SPEC_MIMETYPE}"
FORMATS = ("svg", "png", "pdf")
PNG_SCALE = 2
# Bump when the same spec gives other bytes (2: canonical PDFs; 3: rewritten by qpdf), so earlier exports are redone.
EXPORT_REVISION = 3


def glued_figures(notebook_path: Path) -> Iterator[tuple[str, dict]]:
    """(name, Vega-Lite spec) of every figure glued in an executed notebook."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            spec = output.get("data", {}).get(GLUED_SPEC)
            if name.startswith("fig-") and spec:
                yield name, spec


def _convert(spec: dict, fmt: str) -> bytes:
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)
    return _canonical_pdf(vl_convert.vegalite_to_pdf(spec))


def _canonical_pdf(pdf: bytes) -> bytes:
    """The same chart as the same bytes in every build. vl-convert writes some dictionaries and font objects in
    the order of Rust hash maps, random in each process; qpdf (pikepdf) rewrites a PDF with sorted dictionary
    keys and objects numbered as a walk from the trailer meets them, and `static_id` fixes the file's /ID."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, static_id=True)
    return out.getvalue()


def _spec_digest(spec: dict) -> str:
    return hashlib.sha256(json.dumps([EXPORT_REVISION, spec], sort_keys=True).encode("utf-8")).hexdigest()


def export_figure(name: str, spec: dict, out_dir: Path) -> None:
    """Write name.svg/.png/.pdf (unless this very spec was exported before) and copy name.csv."""
    stamp = out_dir / f".{name}.sha256"
    digest = _spec_digest(spec)
    if not (stamp.exists() and stamp.read_text() == digest and all((out_dir / f"{name}.{f}").exists() for f in FORMATS)):
        for fmt in FORMATS:
            (out_dir / f"{name}.{fmt}").write_bytes(_convert(spec, fmt))
        stamp.write_text(digest)
    data = paths.FIGURES / f"{name}.csv"
    if data.exists():
        shutil.copyfile(data, out_dir / f"{name}.csv")


def export_all(chapters_dir: Path, out_dir: Path, jobs: int = 2) -> list[str]:
    """Export every figure glued in the executed notebooks under `chapters_dir`; returns their names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = dict(
        figure for notebook in sorted(chapters_dir.rglob("*.ipynb")) for figure in glued_figures(notebook)
    )
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda item: export_figure(*item, out_dir), figures.items()))
    remove_stale(out_dir, set(figures))
    return sorted(figures)


def remove_stale(out_dir: Path, names: set[str]) -> None:
    """A figure that no notebook glues any more must not linger in the downloads."""
    for path in out_dir.iterdir():
        if path.name.lstrip(".").split(".")[0] not in names:
            path.unlink()
