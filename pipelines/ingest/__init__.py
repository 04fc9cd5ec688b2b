"""Ingest: raw files in data/raw -> typed Parquet tables in data/processed, loaders of downloaded extracts, the quarantine of rows that could not be read."""
