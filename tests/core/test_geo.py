"""A country's regions (`pipelines.core.geo`): how people write them, as ISO 3166-2 codes, and
which spellings are refused."""

from __future__ import annotations

import pytest

from pipelines.core import geo


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("ML-9", "ML-9"),
        ("Ménaka", "ML-9"),
        ("Menaka", "ML-9"),
        ("ML09", "ML-BKO"),  # OCHA's ML09 is Bamako, not ISO's ML-9
        ("ML07", "ML-7"),
        ("Koulikouro", "ML-2"),  # OCHA 2015 spelling
        ("Segou", "ML-4"),
        ("  ségou ", "ML-4"),
        ("Taoudenni", "ML-10"),
        ("Tombouctou", "ML-6"),
        ("Bamako", "ML-BKO"),
        ("MLI", "ML"),
        ("mli", "ML"),
        ("Mali", "ML"),
        ("ml-bko", "ML-BKO"),
    ],
)
def test_region_spellings_map_to_iso(written: str, code: str) -> None:
    # Mali's geography: pycountry's ISO list and the aliases of data/raw/geography/ML.yaml
    assert geo.geography("ML").to_iso(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "ML-11", "ML10", "FR", "", "CD-KN", "Kinshasa"])
def test_unknown_regions_are_refused_with_the_accepted_forms(written: str) -> None:
    with pytest.raises(geo.UnknownRegion, match=r"is not a region of Mali: .*ISO 3166-2 .*OCHA p-code"):
        geo.geography("ML").to_iso(written)


def test_iso_list_has_the_eleven_current_units() -> None:
    mali = geo.geography("ML")
    assert len(mali.regions) == 11
    assert mali.known_codes() == {"ML", *mali.regions} and len(mali.known_codes()) == 12
    assert geo.name("ML-10") == "Taoudénit" and geo.name("ML") == "Mali"
    assert mali.region_name("ML-BKO") == "Bamako"


def test_a_country_is_named_in_the_reports_language_and_its_regions_by_their_iso_name() -> None:
    assert (geo.name("HT"), geo.name("HT", lang="fr")) == ("Haiti", "Haïti")
    assert geo.name("CD", lang="fr") == "République démocratique du Congo"
    assert geo.name("ML", lang="fr") == "Mali"  # ML.yaml gives one name: the same in both
    assert geo.name("HT-GA", lang="fr") == geo.name("HT-GA") == "Grande’Anse"
    haiti = geo.geography("HT")
    assert len(haiti.regions) == 10 and not haiti.pcodes  # no source gave Haiti's p-codes
    assert haiti.to_iso("Haïti") == haiti.to_iso("Haiti") == "HT" and haiti.to_iso("Grand'Anse") == "HT-GA"
