"""bench/RESULTS.md is written in sections, each by its own script: one replaces its section and keeps the rest."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
# The sections after bench.py's own, each written by its script.
FLOOR = "## Per-notebook floor"  # bench/floor.py
SCALE = "## Scale: one edition of a file of many"  # bench/scale.py
GROWTH = "## Growth: more notebooks"  # bench/growth.py
LATER_SECTIONS = (FLOOR, SCALE, GROWTH)


def replace_section(heading: str, lines: list[str]) -> None:
    """Put `lines` (starting with `heading`) where the section `heading` stands in RESULTS.md, or at its end."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    head, found, rest = text.partition(heading)
    tail = rest[rest.index("\n## ") + 1 :] if found and "\n## " in rest else ""
    body = "\n".join(lines).rstrip("\n") + "\n"
    RESULTS.write_text(f"{head.rstrip(chr(10))}\n\n{body}" + (f"\n{tail}" if tail else ""), encoding="utf-8")


def replace_head(lines: list[str]) -> None:
    """Put `lines` before the first of LATER_SECTIONS that RESULTS.md holds (written by other scripts, kept)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    starts = [text.index(heading) for heading in LATER_SECTIONS if heading in text]
    tail = text[min(starts) :] if starts else ""
    body = "\n".join(lines).rstrip("\n") + "\n"
    RESULTS.write_text(body + (f"\n{tail}" if tail else ""), encoding="utf-8")
