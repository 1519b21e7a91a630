"""A paragraph, caption or figure whose inputs an edition lacks gives way, whole, to one plain note."""

from __future__ import annotations

import nbformat
import pytest

from natobook.pages import paragraphs


def _notebook(lacks: dict[str, list[str]], *markdown: tuple[str, list[str] | dict], cases=None):
    """A page's declaration, then markdown cells: (source, needs) or (source, metadata)."""
    cells = [
        nbformat.v4.new_markdown_cell(
            source, metadata=meta if isinstance(meta, dict) else {"needs": meta} if meta else {}
        )
        for source, meta in markdown
    ]
    declared = nbformat.v4.new_code_cell("show_page(page)", metadata={"tags": ["remove-cell"]})
    declared.outputs = [nbformat.v4.new_output("display_data", data=paragraphs.declaration(lacks, cases))]
    return nbformat.v4.new_notebook(cells=[declared, *cells])


def _markdown(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


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


VERDICTS = (
    ("**Extra spending.** We compute USD {glue:md}`extra_text` billion.", ["extra"]),
    ("That is more than the printed figure: reproduced.", {"case": {"extra": "reproduced"}, "continues": True}),
    ("It does not reproduce the printed figure.", {"case": {"extra": "differs"}, "continues": True}),
    ("NATO revises its estimates.", []),
)


def test_a_wording_is_kept_in_its_case_only_and_continues_its_paragraph():
    for case, verdict in (
        ("reproduced", "That is more than the printed figure: reproduced."),
        ("differs", "It does not reproduce the printed figure."),
    ):
        notebook = _notebook({}, *VERDICTS, cases={"extra": case})
        paragraphs.give_way(notebook)
        assert _markdown(notebook) == [
            f"**Extra spending.** We compute USD {{glue:md}}`extra_text` billion. {verdict}",
            "NATO revises its estimates.",
        ]


def test_a_case_may_take_any_of_several_values():
    notebook = _notebook(
        {},
        ("A count.", []),
        ("No verdict.", {"case": {"extra": ["not computable", "no printed value"]}}),
        cases={"extra": "no printed value"},
    )
    paragraphs.give_way(notebook)
    assert _markdown(notebook) == ["A count.", "No verdict."]


def test_a_continuation_starting_with_punctuation_joins_without_a_space():
    notebook = _notebook(
        {},
        ("a run of 10 years", []),
        (": reproduced.", {"case": {"increase": "reproduced"}, "continues": True}),
        cases={"increase": "reproduced"},
    )
    paragraphs.give_way(notebook)
    assert _markdown(notebook) == ["a run of 10 years: reproduced."]


def test_a_continuation_goes_with_its_paragraph_when_that_gives_way_to_its_note():
    """The page need not declare the case of a paragraph it could not compute."""
    notebook = _notebook({"extra": ["defence expenditure at constant prices"]}, *VERDICTS)
    paragraphs.give_way(notebook)
    assert _markdown(notebook) == [
        "**Extra spending.** Not available in this edition: needs defence expenditure at constant prices.",
        "NATO revises its estimates.",
    ]


def test_the_wordings_of_an_opening_share_what_continues_them():
    cells = (
        ("This book rests on that release.", {"case": {"edition": "cited"}}),
        ("This book rests on NATO's {glue:md}`edition` data.", {"case": {"edition": "other"}}),
        ("(No figure for {glue:md}`left_out`.)", {"case": {"edition": "other", "left_out": "some"}, "continues": True}),
        ("How far each Ally stood is shown in {doc}`targets`.", {"continues": True}),
    )
    for edition, left_out, expected in (
        ("cited", "some", "This book rests on that release. How far"),
        ("other", "none", "This book rests on NATO's {glue:md}`edition` data. How far"),
        (
            "other",
            "some",
            "This book rests on NATO's {glue:md}`edition` data. (No figure for {glue:md}`left_out`.) How far",
        ),
    ):
        notebook = _notebook({}, *cells, cases={"edition": edition, "left_out": left_out})
        paragraphs.give_way(notebook)
        assert _markdown(notebook) == [f"{expected} each Ally stood is shown in {{doc}}`targets`."]


def test_a_case_the_page_did_not_declare_is_an_error_naming_it():
    notebook = _notebook({}, *VERDICTS, cases={"extras": "reproduced"})
    with pytest.raises(ValueError, match="names the case 'extra', which its page did not declare .declared: extras."):
        paragraphs.give_way(notebook)


def test_a_new_paragraph_after_a_wording_shares_its_cells_needs_and_its_one_note():
    cells = (
        ("**Gaps.** Three Allies were below.", ["gaps"]),
        ("None reached 5%.", {"case": {"hague": "none"}, "continues": True}),
        ("The other 1.5 per cent is different.", {"continues": "paragraph"}),
        ("NATO revises its estimates.", []),
    )
    notebook = _notebook({}, *cells, cases={"hague": "none"})
    paragraphs.give_way(notebook)
    assert _markdown(notebook) == [
        "**Gaps.** Three Allies were below. None reached 5%.\n\nThe other 1.5 per cent is different.",
        "NATO revises its estimates.",
    ]
    lacking = _notebook({"gaps": ["GDP for 2024"]}, *cells)
    paragraphs.give_way(lacking)
    assert _markdown(lacking) == [
        "**Gaps.** Not available in this edition: needs GDP for 2024.",
        "NATO revises its estimates.",
    ]


def test_a_continuation_that_runs_on_into_a_heading_is_an_error():
    """Jupytext ends a markdown cell at the next +++ only: a forgotten +++ would pull a heading into a sentence."""
    notebook = _notebook(
        {}, ("Rests on that release.", []), ("Shown in targets.\n\n## What the reports got right", {"continues": True})
    )
    with pytest.raises(ValueError, match="holds more than one paragraph .end it with [+][+][+].: 'Shown in targets"):
        paragraphs.give_way(notebook)
