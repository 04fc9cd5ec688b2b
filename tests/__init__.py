"""The tests, in folders that mirror the package: tests/<step>/test_<module>.py holds the tests
of pipelines/<step>/<module>.py, and tests/e2e/ those that build, run or open whole reports.
Each folder is a package, so two folders may each hold a test_step.py."""
