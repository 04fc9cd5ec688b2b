"""Validate: the suites, the rules, Great Expectations, the results, the data-quality pages, and the reader of results (`quality`) that never imports GX."""
