"""What the pages compute from the tidy data: indicators, country profiles, the reproduction of the report's figures, the landing page's key figures."""
