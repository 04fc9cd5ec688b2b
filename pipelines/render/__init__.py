"""Render: executed notebooks -> offline HTML, its cache, the CSV downloads."""
