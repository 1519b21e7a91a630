"""One house style (style.py) and one function per figure, grouped by chapter topic."""
