"""A paragraph, caption or figure whose inputs an edition lacks gives way, whole, to one plain note."""

from __future__ import annotations

import nbformat

from natobook.pages import paragraphs


def _notebook(lacks: dict[str, list[str]], *markdown: tuple[str, list[str]]):
    cells = [
        nbformat.v4.new_markdown_cell(source, metadata={"needs": needs} if needs else {}) for source, needs in markdown
    ]
    declared = nbformat.v4.new_code_cell("show_page(page)", metadata={"tags": ["remove-cell"]})
    declared.outputs = [nbformat.v4.new_output("display_data", data=paragraphs.declaration(lacks))]
    return nbformat.v4.new_notebook(cells=[declared, *cells])


FIGURE = "```{glue:figure} fig-share\n:name: fig-share\n\nShare of GDP at {glue:md}`price_basis`.\n```"


def test_a_paragraph_lacking_its_inputs_becomes_one_note_naming_what_is_missing():
    notebook = _notebook(
        {"latest": ["share of GDP for 2025"]},
        ("In {glue:md}`year`, {glue:md}`n` Allies spent at least 2%.", ["latest"]),
        ("NATO revises its estimates.", []),
    )
    paragraphs.give_way(notebook)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    assert sources == ["**Not available in this edition: needs share of GDP for 2025.**", "NATO revises its estimates."]


def test_a_paragraph_keeps_its_run_in_title_before_its_note():
    notebook = _notebook(
        {"growth": ["annual real change in defence expenditure"]},
        ("**Real growth of Europe.** The report gives {glue:text}`printed:.1f` per cent.", ["growth"]),
    )
    paragraphs.give_way(notebook)
    assert notebook.cells[1].source == (
        "**Real growth of Europe.** Not available in this edition: needs annual real change in defence expenditure."
    )


def test_a_paragraph_whose_needs_are_held_is_left_as_written():
    text = "In {glue:md}`year`, {glue:md}`n` Allies spent at least 2%."
    notebook = _notebook({"latest": []}, (text, ["latest", "comparison"]))
    paragraphs.give_way(notebook)
    assert notebook.cells[1].source == text


def test_needs_of_one_cell_are_joined_in_one_note():
    notebook = _notebook(
        {"latest": ["share of GDP for 2025"], "comparison": ["share of GDP for 2014"]},
        ("A sentence.", ["latest", "comparison"]),
    )
    paragraphs.give_way(notebook)
    assert notebook.cells[1].source == (
        "**Not available in this edition: needs share of GDP for 2025; share of GDP for 2014.**"
    )


def test_a_figure_keeps_its_name_and_number_with_the_note_as_its_whole_caption():
    notebook = _notebook({"fig-share": ["defence expenditure in USD at constant prices"]}, (FIGURE, ["fig-share"]))
    paragraphs.give_way(notebook)
    assert notebook.cells[1].source == (
        "```{glue:figure} fig-share\n:name: fig-share\n\n"
        "Not available in this edition: needs defence expenditure in USD at constant prices.\n```"
    )
    assert "{glue:md}" not in notebook.cells[1].source


def test_a_page_lacking_everything_says_so_once_at_the_top():
    notebook = _notebook(
        {"page": ["share of GDP"], "latest": ["share of GDP"], "fig-share": ["share of GDP"]},
        ("Intro that needs the page.", ["page"]),
        ("In 2025, ...", ["latest"]),
        (FIGURE, ["fig-share"]),
        ("Text that needs nothing.", []),
    )
    paragraphs.give_way(notebook)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    assert sources == ["**Not available in this edition: needs share of GDP.**", "Text that needs nothing."]


def test_markup_in_a_note_is_escaped():
    notebook = _notebook({"latest": ["share of GDP for <b>Ally</b>"]}, ("A sentence.", "latest"))
    paragraphs.give_way(notebook)
    assert (
        notebook.cells[1].source == "**Not available in this edition: needs share of GDP for &lt;b&gt;Ally&lt;/b&gt;.**"
    )


def test_a_figure_named_by_a_placeholder_keeps_its_name_for_the_pipeline_to_fill():
    """The country pages name their figures fig-{{ iso3|lower }}-...; the placeholder is filled after give_way."""
    figure = (
        "```{glue:figure} fig-{{ iso3|lower }}-real-change\n:name: fig-{{ iso3|lower }}-real-change\n\nCaption.\n```"
    )
    notebook = _notebook({"changes": ["annual real change in defence expenditure"]}, (figure, ["changes"]))
    paragraphs.give_way(notebook)
    assert notebook.cells[1].source == (
        "```{glue:figure} fig-{{ iso3|lower }}-real-change\n:name: fig-{{ iso3|lower }}-real-change\n\n"
        "Not available in this edition: needs annual real change in defence expenditure.\n```"
    )
