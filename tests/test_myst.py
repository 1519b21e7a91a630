"""Every writer of MyST escapes data one way (natobook.myst): text from data never becomes markup."""

from __future__ import annotations

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from natobook import myst


def _html(text: str) -> str:
    return create_md_parser(MdParserConfig(), RendererHTML).render(text)


def test_a_pipe_table_cell_keeps_bars_angle_brackets_and_stars_as_text():
    table = myst.pipe_table(["file", "what"], [["a|b.csv", "<script>x</script> *bold* 1. item"]])
    rendered = _html(table)
    assert rendered.count("<tr>") == 2 and rendered.count("<td>") == 2
    assert "a|b.csv" in rendered and "&lt;script&gt;x&lt;/script&gt; *bold* 1. item" in rendered
    assert "<strong>" not in rendered and "<em>" not in rendered


def test_a_list_table_cell_that_starts_like_a_list_or_a_fence_stays_text():
    assert myst.cell("1. The first") == "1\\. The first"
    assert myst.cell("- a dash") == "\\- a dash"
    assert myst.cell(":::fence") == "\\:::fence"
    assert myst.cell("two\nlines") == "two lines"


def test_a_list_table_escapes_its_caption_and_names_itself():
    table = myst.list_table("Claims *as reported*", "50 50", "claims-table", ["A", "B"], [["x", "y"]], name="tbl-c")
    assert table.splitlines()[:5] == [
        "```{list-table} Claims \\*as reported\\*",
        ":header-rows: 1",
        ":widths: 50 50",
        ":name: tbl-c",
        ":class: claims-table",
    ]
    assert "* - A" in table and "  - y" in table
