"""Region names and codes to ISO 3166: one code per place, whatever the file wrote.

Files name Mali's regions in four ways: ISO 3166-2 codes (``ML-7``), OCHA p-codes (``ML07``),
names with or without accents (``Ségou``/``Segou``, even OCHA's misspelt ``Koulikouro``) and,
for the country, ISO alpha-3 in either case (``MLI``, ``mli``) or its name. The trap is that
OCHA's ``ML09`` is Bamako while ISO's ``ML-9`` is Ménaka: codes are matched by their exact
form, never by stripping punctuation.

The ISO list comes from pycountry (Debian's iso-codes data), not from a hand-typed table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

COUNTRY = "ML"

#: OCHA COD-AB admin-1 p-codes (2015 geography: 8 regions + Bamako) -> ISO 3166-2.
OCHA_PCODES: dict[str, str] = {
    "ML01": "ML-1",  # Kayes
    "ML02": "ML-2",  # Koulikoro
    "ML03": "ML-3",  # Sikasso
    "ML04": "ML-4",  # Ségou
    "ML05": "ML-5",  # Mopti
    "ML06": "ML-6",  # Tombouctou
    "ML07": "ML-7",  # Gao
    "ML08": "ML-8",  # Kidal
    "ML09": "ML-BKO",  # Bamako: NOT ISO's ML-9 (Ménaka)
}

#: Spellings seen in public files that are not the ISO name once accents and case are folded.
NAME_ALIASES: dict[str, str] = {
    "koulikouro": "ML-2",  # OCHA COD-AB 2015 spelling
    "timbuktu": "ML-6",
    "tombouctou": "ML-6",
    "taoudeni": "ML-10",
    "taoudenni": "ML-10",
    "taoudenit": "ML-10",
    "menaka": "ML-9",
    "bamako": "ML-BKO",
    "district de bamako": "ML-BKO",
    "bamako district": "ML-BKO",
    "mali": COUNTRY,
    "mli": COUNTRY,
    "ml": COUNTRY,
}


class UnknownRegion(ValueError):
    """A geo value that names no known region of Mali."""


def fold(text: str) -> str:
    """Lower case, accents removed, inner spaces collapsed: 'Ségou ' -> 'segou'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


@cache
def iso_regions() -> dict[str, str]:
    """ISO 3166-2 code -> name, for Mali (ML-1 … ML-10, ML-BKO)."""
    return {s.code: s.name for s in pycountry.subdivisions.get(country_code=COUNTRY)}


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, name in iso_regions().items():
        table[fold(name)] = code
        table[fold(name) + " region"] = code
    table.update(NAME_ALIASES)
    return table


def known_codes() -> frozenset[str]:
    """Every geo code an observation may carry: the country and its ISO regions."""
    return frozenset({COUNTRY, *iso_regions()})


def to_iso(value: str) -> str:
    """The ISO 3166 code of a region or country as written in a file.

    Raises UnknownRegion with the list of accepted forms when nothing matches.
    """
    text = value.strip()
    upper = text.upper()
    if upper in known_codes():
        return upper
    if upper in OCHA_PCODES:
        return OCHA_PCODES[upper]
    found = _lookup().get(fold(text))
    if found:
        return found
    raise UnknownRegion(
        f"'{value}' is not a region of Mali: use an ISO 3166-2 code (ML, ML-1 … ML-10, ML-BKO), "
        "an OCHA p-code (ML01 … ML09) or a region name"
    )


def name(code: str) -> str:
    """The ISO name of a geo code ('ML-9' -> 'Ménaka'; 'ML' -> 'Mali')."""
    return "Mali" if code == COUNTRY else iso_regions()[code]
