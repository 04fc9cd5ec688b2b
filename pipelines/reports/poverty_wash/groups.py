"""The report's groups of series, apart from its panels: the message catalogues
(`pipelines.tools.messages`) declare a key per group without importing Altair, which the panels
import."""

#: The roles that are groups of series, in the order the report shows them.
GROUPS: tuple[str, ...] = ("poverty_multidimensional", "poverty_monetary", "water", "sanitation", "population")
