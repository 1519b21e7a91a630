"""How the book is made: parameter sets, the notebook cache, execution, figure exports, the Sphinx run, the atomic publish, the PDF."""
