"""The country profiles in the order of their titles (Albania to the United States, not by ISO code) in the sidebar
and the previous/next links, with figures numbered within each profile."""

from __future__ import annotations

import unicodedata

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from natobook.site import executed


def title_order(title: str) -> str:
    """Alphabetical as a reader expects it: "Türkiye" among the T's, not after "United States"."""
    return unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()


class GlobsByTitle(SphinxTransform):
    """The pages a `_toc.yml` glob lists (the country profiles, one file per ISO code) in the order of their titles,
    so that the sidebar and the previous/next links run from Albania to the United States.

    Runs after sphinx-external-toc has made the toctree (its transform's priority is 100) and before Sphinx
    collects it (at doctree-read), which sets the previous/next order.
    """

    default_priority = 101

    def apply(self, **kwargs) -> None:
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("glob"):
                toctree["entries"] = sorted(toctree["entries"], key=self.order)
                toctree["includefiles"] = [docname for _, docname in toctree["entries"]]

    def order(self, entry: tuple) -> str:
        title = executed.page_title(str(self.env.doc2path(entry[1])))
        return title_order(title or entry[1])


def _globbed_docs(env) -> set[str]:
    return {
        doc
        for toctrees in env.tocs.values()
        for toctree in toctrees.findall(addnodes.toctree)
        if toctree.get("glob")
        for doc in toctree["includefiles"]
    }


def figures_within_page(app: Sphinx, env) -> list[str]:
    """The pages a glob lists (31 country profiles) number their figures within the page, Figure 1 to 4 on each, not
    106 to 109 of the whole book: a reader cites "Poland, Figure 2" (or the figure's stable name, under it).

    Runs after Sphinx has numbered the figures through the book (its handler's priority is 500).
    """
    renumbered = []
    for docname in sorted(_globbed_docs(env)):
        numbers = env.toc_fignumbers.get(docname, {})
        for figtype, figures in numbers.items():
            in_page_order = sorted(figures, key=lambda figure_id: figures[figure_id])
            numbers[figtype] = {figure_id: (index,) for index, figure_id in enumerate(in_page_order, start=1)}
        if numbers:
            renumbered.append(docname)
    return renumbered
