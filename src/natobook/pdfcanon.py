"""Byte-reproducible PDFs from vl-convert: the same chart gives the same bytes in every build.

vl-convert (svg2pdf) writes the entries of some dictionaries (a page's XObject and ExtGState resources)
and the objects of embedded fonts in the order of Rust hash maps, which is random in each process: the
same chart gives another PDF each time. Content streams, font subsets and names do not vary. `canonical`
rewrites such a PDF with every dictionary's entries sorted by key and the objects numbered in the order a
walk from the trailer meets them; streams are copied byte for byte, so nothing a reader sees changes.

It reads exactly the layout svg2pdf writes (one object after another, dictionaries one entry a line,
indented by two spaces a level, a classic xref table); a PDF in any other layout comes back unchanged
(`LayoutError` is caught), which the reproducibility test (tests/test_rebuild.py) would then report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OBJECT = re.compile(rb"(\d+) 0 obj\n")
REFERENCE = re.compile(rb"(?<![\w.])(\d+) 0 R\b")
TRAILER = re.compile(rb"xref\n.*?trailer\n(<<\n.*?\n>>)\nstartxref\n\d+\n%%EOF\n?$", re.DOTALL)
LENGTH = re.compile(rb"^  /Length (\d+)$", re.MULTILINE)


class LayoutError(ValueError):
    """Not the layout svg2pdf writes."""


@dataclass
class _Object:
    text: bytes  # the object's dictionary (or other value) in text, without its stream
    stream: bytes | None  # the raw stream bytes, as written


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" "))


def _sorted_dictionaries(lines: list[bytes]) -> list[bytes]:
    """The lines of a value with every dictionary's entries (a line at one level deeper than the `<<` line,
    with the deeper lines after it) in the order of their keys."""
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        if not line.endswith(b"<<"):
            out.append(line)
            index += 1
            continue
        level = _indent(line)
        closing = (i for i in range(index + 1, len(lines)) if _indent(lines[i]) == level and lines[i].lstrip() == b">>")
        end = next(closing, None)
        if end is None:
            raise LayoutError("a dictionary without its closing line")
        entries: list[list[bytes]] = []
        for inner in lines[index + 1:end]:
            if _indent(inner) == level + 2 and inner.lstrip().startswith(b"/"):
                entries.append([inner])
            elif entries and (_indent(inner) > level + 2 or inner.lstrip() in (b">>", b"]")):  # inside the entry
                entries[-1].append(inner)
            else:
                raise LayoutError(f"unexpected line in a dictionary: {inner[:60]!r}")
        entries.sort(key=lambda entry: entry[0].split()[0])  # keys are unique in a dictionary
        out.append(line)
        out += [sorted_line for entry in entries for sorted_line in _sorted_dictionaries(entry)]
        out.append(lines[end])
        index = end + 1
    return out


def _objects(pdf: bytes) -> tuple[bytes, dict[int, _Object], bytes]:
    """The header, every object by number, and the trailer dictionary."""
    header_end = pdf.index(b"\n\n") + 2
    objects, position = {}, header_end
    while match := OBJECT.match(pdf, position):
        start = match.end()
        end = pdf.index(b"\nendobj\n", start)
        text, stream = pdf[start:end], None
        if b"\n>>\nstream\n" in text:
            text_end = pdf.index(b"\n>>\nstream\n", start) + 3
            length = LENGTH.search(pdf, start, text_end)
            if not length:
                raise LayoutError("a stream without a /Length of its own")
            data_start = text_end + len(b"\nstream\n")
            data_end = data_start + int(length.group(1))
            if pdf[data_end:data_end + 18] != b"\nendstream\nendobj\n":
                raise LayoutError("a stream whose /Length does not end it")
            text, stream, end = pdf[start:text_end], pdf[data_start:data_end], data_end + len(b"\nendstream")
        objects[int(match.group(1))] = _Object(text, stream)
        position = end + len(b"\nendobj\n")
        position += pdf[position:position + 1] == b"\n"
    trailer = TRAILER.match(pdf, position)
    if not objects or not trailer:
        raise LayoutError("no objects, or no classic xref table and trailer after them")
    return pdf[:header_end], objects, trailer.group(1)


def _numbering(objects: dict[int, _Object], trailer: bytes) -> dict[int, int]:
    """New numbers in the order a walk from the trailer (breadth first, references in text order) meets them."""
    order, queue = [], [int(n) for n in REFERENCE.findall(trailer)]
    while queue:
        number = queue.pop(0)
        if number in objects and number not in order:
            order.append(number)
            queue += [int(n) for n in REFERENCE.findall(objects[number].text)]
    order += sorted(set(objects) - set(order))  # unreachable: kept, after the rest
    return {old: new for new, old in enumerate(order, start=1)}


def _renumbered(text: bytes, numbers: dict[int, int]) -> bytes:
    return REFERENCE.sub(lambda m: b"%d 0 R" % numbers[int(m.group(1))], text)


def _canonical(pdf: bytes) -> bytes:
    header, objects, trailer = _objects(pdf)
    for item in objects.values():
        item.text = b"\n".join(_sorted_dictionaries(item.text.split(b"\n")))
    trailer = b"\n".join(_sorted_dictionaries(trailer.split(b"\n")))
    numbers = _numbering(objects, trailer)
    out, offsets = bytearray(header), []
    for old in sorted(objects, key=numbers.__getitem__):
        offsets.append(len(out))
        item = objects[old]
        out += b"%d 0 obj\n" % numbers[old] + _renumbered(item.text, numbers)
        if item.stream is not None:
            out += b"\nstream\n" + item.stream + b"\nendstream"
        out += b"\nendobj\n\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    out += b"trailer\n" + _renumbered(trailer, numbers) + b"\nstartxref\n%d\n%%%%EOF" % xref
    return bytes(out)


def canonical(pdf: bytes) -> bytes:
    """`pdf` with sorted dictionaries and numbered in walk order; unchanged if it is not in svg2pdf's layout."""
    try:
        return _canonical(pdf)
    except (LayoutError, ValueError, KeyError):
        return pdf
