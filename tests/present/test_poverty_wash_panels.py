"""The geography a poverty/WASH report covers: a region read in the roadmap's country, by name,
P-code or ISO code, and refused (a usage error) when it is another country's."""

from __future__ import annotations

import pytest

from pipelines.reports.poverty_wash import panels as poverty_wash_panels


@pytest.mark.parametrize(
    ("region", "country", "code"),
    [
        ("", "ML", "ML"),
        (" ", "CD", "CD"),
        ("Gao", "ML", "ML-7"),
        ("ML07", "ML", "ML-7"),
        ("ML09", "ML", "ML-BKO"),
        ("Kinshasa", "CD", "CD-KN"),
    ],
)
def test_a_region_is_read_in_the_roadmaps_country(region: str, country: str, code: str) -> None:
    assert poverty_wash_panels.region_code(region, country) == code


def test_a_region_of_another_country_is_a_usage_error() -> None:
    from pipelines.core.errors import UsageError

    with pytest.raises(UsageError, match="region: 'Kinshasa' is not a region of Mali"):
        poverty_wash_panels.region_code("Kinshasa", "ML")
