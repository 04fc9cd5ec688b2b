"""The core every step stands on: paths, the error contract, the table schemas and store,
crash-safe publishing, safe YAML, a country's geography and the report strings (i18n).

It imports nothing else of the project (tests/test_architecture.py), so any step can use it and
none of it can reach back into a step.
"""
