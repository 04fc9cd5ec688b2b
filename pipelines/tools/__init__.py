"""Tools: verify, bench, synthetic data, spreadsheet templates."""
