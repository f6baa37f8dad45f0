"""Reads of the catalogue for pages, the API and exports: models, providers and
authors (selectors.py), price history rebuilt from price events (history.py), and
CSV cells that a spreadsheet never reads as a formula (spreadsheet.py). Search's
reads are in catalog/search/, the ranked lists they order by in catalog/ranking.py."""
