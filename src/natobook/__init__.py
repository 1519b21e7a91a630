"""natobook: the engine behind the NATO defence-spending research book.

Data flows one way: raw workbook -> ingest -> validate -> processed CSV ->
parameterized notebooks (papermill) -> Jupyter Book -> static site.
"""
