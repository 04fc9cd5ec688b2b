"""Run: the report registry, parameters, the plan and its cache keys, execution of the notebooks."""
