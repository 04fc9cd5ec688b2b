"""The glossary's terms, apart from its panels: the message catalogues (`pipelines.tools.messages`)
declare a key per term without importing what the panels import."""

#: The terms, in the order a reader meets them on a benchmark's page.
TERMS: tuple[str, ...] = (
    "benchmark",
    "target",
    "deadline",
    "baseline",
    "counted",
    "share_of_way",
    "pace",
    "milestone",
    "milestone_levels",
    "points",
    "known_on",
    "confidence",
    "set_aside",
    "rule",
)
