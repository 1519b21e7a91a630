"""Names that the data layer (schema, ingest) and the analysis (indicators, profiles) both speak.

Kept here, with no imports, so that each layer says them once without importing the other.
"""

EUROPE_AND_CANADA = "NATO Europe and Canada"
NATO_TOTAL = "NATO Total"
AGGREGATES = (EUROPE_AND_CANADA, NATO_TOTAL)  # NATO's group rows: blank iso3, not Allies
NATIONAL_2PCT_LAW = "national_2pct_law"  # NATO's asterisk: a national law or agreement calls for >= 2% of GDP
