"""The provenance page (`natobook-provenance` directive): the commit, data editions, data files with their
sha256, every notebook with its parameters, and the package versions the build used; rewritten on every build."""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from natobook import myst, paths
from natobook.build import provenance
from natobook.data import editions


def _base_year(entry: dict) -> str:
    """'2015', or '2021 (not stated in NATO's report; ...)' where the release does not state its base year."""
    year = entry["price_base_year"]
    if entry["price_base_year_source"]:
        return f"{year} ({entry['price_base_year_source']})"
    return "" if year is None else str(year)


def provenance_markdown() -> str:
    runs = provenance.notebook_runs(paths.CHAPTERS)
    stamp = provenance.build_stamp()
    used = {run["parameters"].get("edition") for run in runs} - {None}
    sections = [
        f"Built from commit `{myst.inline(stamp['commit'])}`; build time {myst.inline(stamp['time'])} "
        "(the commit's time, so that rebuilding the same inputs gives the same pages).",
        "## Data editions",
        myst.pipe_table(
            ["edition", "title", "reference", "published", "price base year"],
            [
                [name, entry["title"], entry["reference"], entry["published"], _base_year(entry)]
                for name, entry in editions.registry().items()
                if name in used
            ],
        ),
        "## Data files",
        "Every input the pages were made from:",
        myst.pipe_table(
            ["file", "what it is", "sha256"],
            [[entry["file"], entry["what"], entry["sha256"]] for entry in provenance.data_files(runs)],
        ),
        "## Notebooks and their parameters",
        myst.pipe_table(
            ["page", "notebook", "parameters (recorded by papermill)"],
            [[run["notebook"], run["source"], json.dumps(run["parameters"], sort_keys=True)] for run in runs],
        ),
        "## Package versions",
        myst.pipe_table(["package", "version"], [list(pair) for pair in provenance.package_versions()]),
    ]
    return "\n\n".join(sections)


class ProvenanceDirective(SphinxDirective):
    """`natobook-provenance`: the tables of what this build was made from."""

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(provenance_markdown())


def provenance_docs(env) -> list[str]:
    return sorted(doc for doc in env.found_docs if doc.endswith("provenance"))


def always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The provenance page describes the whole build, so it is rewritten on every build."""
    return provenance_docs(env)
