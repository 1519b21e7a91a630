"""The one module that writes MyST Markdown from data: escaping, list-tables and pipe tables.

Text from data (an Ally's name, a claim, a file name) must never become markup, whichever page or table it goes
into; so every writer of MyST escapes it here, the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|~^$])")
# Table cells: text that starts like a list item ("1. ", "- ") or a colon fence (":::") would become markup.
_LIST_START = re.compile(r"^(\d+)([.)])|^([-+:])")


def escape(text: str) -> str:
    """Literal text for MyST: every character that could start markup is backslash-escaped."""
    return _SPECIALS.sub(r"\\\1", text.replace("&", "&amp;"))


def inline(text) -> str:
    """Data as literal MyST on one line: markup characters escaped, line breaks made spaces."""
    return escape(" ".join(str(text).split()))


def cell(text) -> str:
    """Data that opens a list-table cell: literal, and with no list marker or fence at its start either."""
    return _LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", inline(text))


def list_table(
    caption: str,
    widths: str,
    css_class: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    name: str | None = None,
) -> str:
    """A MyST list-table with a header row. The caption is escaped here; the cells must already be MyST
    (data escaped with `cell`, roles where wanted), for only the caller knows which of its text is data."""
    lines = [f"```{{list-table}} {escape(caption)}", ":header-rows: 1", f":widths: {widths}"]
    lines += [f":name: {name}"] if name else []
    lines += [f":class: {css_class}", ""]
    for row in (header, *rows):
        lines += [f"{'*' if index == 0 else ' '} - {text}" for index, text in enumerate(row)]
    lines.append("```")
    return "\n".join(lines) + "\n"


def pipe_table(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A pipe table whose every cell is data, escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(inline(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
