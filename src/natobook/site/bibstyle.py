"""A Sphinx extension that lets sphinxcontrib-bibtex read our BibLaTeX bibliography.

`data/references.bib` is written in BibLaTeX: entry types `@online` and `@report`, and a `date`
field (``2025-04-24``) instead of BibTeX's `year`/`month`. Pybtex's stock styles only know BibTeX:
`@report` stops the build ("'Style' object has no attribute 'format_report'"), dates are never
shown, and author-year citations read "(Reuters, n.d.)". This extension:

* registers a pybtex formatting style ``natobook`` (and a sorting style of the same name) (select it with ``bibtex_default_style: natobook``)
  that formats `@online`, `@misc`, `@report` (and falls back to pybtex's `unsrt` for the rest),
  shows the publishing outlet (`organization`), the full date, the note and the date accessed;
* after the bibliography is parsed, gives every entry that has a `date` but no `year` the year
  of that date, so author-year references get their year. The `.bib` file itself is not changed.

Enable it in `_config.yml`::

    sphinx:
      extra_extensions: [natobook.site.bibstyle]
      config:
        bibtex_default_style: natobook
"""

from __future__ import annotations

import datetime as dt
import re

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    href,
    join,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

STYLE_NAME = "natobook"
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def human_date(value: str) -> str:
    """'2025-04-24' -> '24 April 2025'; '2025-04' -> 'April 2025'; '2025' -> '2025'; else unchanged."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return value
    year, month, day = match.groups()
    if month is None:
        return year
    month_name = dt.date(int(year), int(month), 1).strftime("%B")
    if day is None:
        return f"{month_name} {year}"
    return f"{int(day)} {month_name} {year}"


@node
def entry_date(children, context, name="date"):
    """The entry's `date` (BibLaTeX) written out in words, else BibTeX's month and year."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    value = entry.fields.get(name)
    if value:
        return Text(human_date(str(value)))
    if "year" in entry.fields:
        return words[optional_field("month"), field("year")].format_data(context)
    raise FieldIsMissing(name, entry)


@node
def accessed(children, context):
    """'accessed 27 November 2026' from `urldate`."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    if "urldate" not in entry.fields:
        raise FieldIsMissing("urldate", entry)
    return Text("accessed ", human_date(str(entry.fields["urldate"])))


class SortingStyle(AuthorYearTitle):
    """Author, year, title, with the braces of corporate authors ({{Reuters}}) ignored.

    Pybtex's own key keeps the braces, so every corporate author sorted after every person.
    """

    def sorting_key(self, entry):
        author, year, title = super().sorting_key(entry)
        return (_unbraced(author), str(entry.fields.get("date", year)), _unbraced(title).lower())


def _unbraced(text: str) -> str:
    return str(text).replace("{", "").replace("}", "").strip()


class Style(UnsrtStyle):
    """Author. Title. Outlet, date. Note. URL (accessed ...). Sorted by author, date, title."""

    default_sorting_style = STYLE_NAME

    def format_web_refs(self, e):
        url = field("url", raw=True)
        return sentence[
            optional[join[words["URL:", href(url)[url]], optional[" (", accessed, ")"]]],
            optional[self.format_doi(e)],
        ]

    def get_online_template(self, e):
        return toplevel[
            optional[sentence[self.format_names("author")]],
            sentence[field("title")],
            sentence[
                optional[field("organization")],
                optional[field("howpublished")],
                optional[entry_date],
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return self.get_online_template(e)

    def get_report_template(self, e):
        return toplevel[
            optional[sentence[self.format_names("author")]],
            sentence[tag("em")[field("title")]],
            sentence[
                first_of[optional_field("institution"), optional_field("organization")],
                optional[join[optional_field("type"), " ", field("number")]],
                optional[entry_date],
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def add_years(app, env) -> list[str]:
    """Give entries with a BibLaTeX `date` and no `year` the year of that date (in memory only)."""
    domain = env.get_domain("cite")
    for entry in domain.bibdata.data.entries.values():
        if "year" in entry.fields:
            continue
        match = _ISO_DATE.match(str(entry.fields.get("date", "")).strip())
        if match:
            entry.fields["year"] = match.group(1)
    return []


def register() -> None:
    """Make the style known to pybtex by name (done on import, so plain pybtex use works too)."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, Style, force=True)
    pybtex.plugin.register_plugin("pybtex.style.sorting", STYLE_NAME, SortingStyle, force=True)


register()


def setup(app):
    register()
    # sphinxcontrib-bibtex parses the .bib files in its own env-updated handler (priority 500).
    app.connect("env-updated", add_years, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
