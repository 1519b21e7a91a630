"""What Sphinx loads into the published site: the book's extensions, the bibliography style, citations, the data package."""
