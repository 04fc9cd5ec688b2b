"""Region names and codes to ISO 3166: one code per place, whatever the file wrote, for the
country of each roadmap.

A roadmap names its country (ISO 3166-1 alpha-2); its figures are national (the bare country
code, ``ML``) or for a first-level subdivision (ISO 3166-2, ``ML-7``). The ISO list of each
country's subdivisions comes from pycountry (Debian's iso-codes data), not from a hand-typed
table. What ISO does not know, how files of that country actually write places, is data: the
country's alias table ``data/raw/geography/<CC>.yaml`` (OCHA p-codes, spellings, the units a
reform split), one file per country, so another mission's country is another file.

Files name places in four ways: ISO 3166-2 codes (``ML-7``), OCHA p-codes (``ML07``), names
with or without accents (``Ségou``/``Segou``, even OCHA's misspelt ``Koulikouro``) and, for
the country, ISO alpha-3 in either case (``MLI``) or its name. Codes are matched by their
exact form, never by stripping punctuation: OCHA's ``ML09`` is Bamako while ISO's ``ML-9``
is Ménaka.

"National" is a rule of the code, not of a country: a two-letter code is a country, a code
with a hyphen a subdivision (`is_national`, `NATIONAL`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl
import pycountry

from pipelines.core import paths

#: The folder of the country alias tables, under data/raw/.
FOLDER = "geography"
_COUNTRY = re.compile(r"[A-Z]{2}")
_SUBDIVISION = re.compile(r"([A-Z]{2})-[A-Z0-9]{1,3}")


class UnknownRegion(ValueError):
    """A geo value that names no known region of the roadmap's country."""


def fold(text: str) -> str:
    """Lower case, accents removed, inner spaces collapsed: 'Ségou ' -> 'segou'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def is_national(code: str | None) -> bool:
    """True for a country code (``ML``), False for a subdivision (``ML-7``)."""
    return code is not None and _COUNTRY.fullmatch(code) is not None


#: The polars form of `is_national`, for filtering observations.
NATIONAL = pl.col("geo_code").str.len_chars() == 2


def country_of(code: str) -> str:
    """The country of a geo code: 'ML-9' -> 'ML', 'CD' -> 'CD'."""
    found = _SUBDIVISION.fullmatch(code)
    return found.group(1) if found else code


@dataclass(frozen=True)
class Geography:
    """The places of one country, as files may write them."""

    country: str
    #: The country's name in English (the geography file's ``name`` or ``name_en``, else pycountry's).
    name: str
    #: ISO 3166-2 code -> ISO name.
    regions: Mapping[str, str]
    #: OCHA p-code -> ISO 3166-2 (only those a cited list gives).
    pcodes: Mapping[str, str] = field(default_factory=dict)
    #: folded spelling -> ISO code.
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: region of the current ISO list -> the older unit that held it (for pre-reform maps).
    formed_from: Mapping[str, str] = field(default_factory=dict)
    #: The country's name in French (the geography file's ``name_fr``; None: as in English).
    name_fr: str | None = None
    #: folded name -> code, every form `to_iso` accepts by name (built once).
    lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup", self._lookup())

    def known_codes(self) -> frozenset[str]:
        """Every geo code an observation of this country may carry: the country and its regions."""
        return frozenset({self.country, *self.regions})

    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for code, name in self.regions.items():
            table[fold(name)] = code
            table[fold(name) + " region"] = code
        table[fold(self.name)] = self.country
        if self.name_fr:
            table[fold(self.name_fr)] = self.country
        table[self.country.casefold()] = self.country
        found = pycountry.countries.get(alpha_2=self.country)
        if found is not None:
            table[found.alpha_3.casefold()] = self.country
            table[fold(found.name)] = self.country
        table.update(self.aliases)
        return table

    def to_iso(self, value: str) -> str:
        """The ISO 3166 code of a place of this country as written in a file.

        Raises UnknownRegion with the accepted forms when nothing matches (a code of another
        country included: a Mali indicator cannot carry a figure for Kinshasa).
        """
        text = value.strip()
        upper = text.upper()
        if upper in self.regions or upper == self.country:
            return upper
        if upper in self.pcodes:
            return self.pcodes[upper]
        found = self.lookup.get(fold(text))
        if found:
            return found
        raise UnknownRegion(
            f"'{value}' is not a region of {self.name}: use an ISO 3166-2 code "
            f"({self.country}, {_span(self.regions)})"
            + (f", an OCHA p-code ({_span(self.pcodes)})" if self.pcodes else "")
            + " or a region name"
        )

    def region_name(self, code: str, lang: str = "en") -> str:
        """The ISO name of a geo code ('ML-9' -> 'Ménaka'; 'ML' -> 'Mali'). The country itself
        is named in the report's language ('HT' -> 'Haïti' in French); regions keep their ISO
        name, which is the local one."""
        if code == self.country:
            return self.name_fr if lang == "fr" and self.name_fr else self.name
        return self.regions[code]


def _span(codes: Iterable[str]) -> str:
    """Codes as a reader scans them: 'ML-1 … ML-10, ML-BKO' (numbered ones as a range)."""
    numbered = sorted((c for c in codes if c[-1].isdigit()), key=lambda c: (len(c), c))
    named = sorted(c for c in codes if not c[-1].isdigit())
    shown = [f"{numbered[0]} … {numbered[-1]}"] if len(numbered) > 2 else numbered
    return ", ".join(shown + named)


def geography(country: str, raw_dir: Path | None = None) -> Geography:
    """The geography of `country`: pycountry's subdivisions and, when present, its alias table
    ``<raw_dir>/geography/<country>.yaml`` (raw_dir defaults to data/raw). Read once per
    version of that file: an analyst who edits it sees the edit in the same session."""
    record = pycountry.countries.get(alpha_2=country) if _COUNTRY.fullmatch(country or "") else None
    if record is None:
        raise UnknownRegion(f"'{country}' is not an ISO 3166-1 alpha-2 country code")
    path = Path(raw_dir if raw_dir is not None else paths.RAW) / FOLDER / f"{country}.yaml"
    try:
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        version = None
    return _read_geography(country, record.name, path, version)


@cache
def _read_geography(country: str, name: str, path: Path, version: tuple[int, int, int] | None) -> Geography:
    from pipelines.core.errors import DataError, Problem
    from pipelines.core.yamlsafe import read_yaml_text

    regions = {s.code: s.name for s in pycountry.subdivisions.get(country_code=country) or [] if s.parent_code is None}
    if version is None:
        return Geography(country, name, regions)
    import yaml

    doc = yaml.safe_load(read_yaml_text(path)) or {}
    shown = paths.display(path)

    def table(key: str, *, folded: bool) -> dict[str, str]:
        value = doc.get(key) or {}
        if not isinstance(value, dict):
            raise DataError(Problem(shown, None, key, None, "geography", f"'{key}' must map names or codes to codes"))
        out: dict[str, str] = {}
        for k, v in value.items():
            code = str(v).strip().upper()
            if code != country and code not in regions:
                raise DataError(
                    Problem(
                        shown,
                        None,
                        f"{key}.{k}",
                        str(v),
                        "geography",
                        f"{v} is not {country} nor an ISO 3166-2 region of {country}",
                    )
                )
            out[fold(str(k)) if folded else str(k).strip().upper()] = code
        return out

    if doc.get("country") not in (None, country):
        raise DataError(
            Problem(shown, None, "country", str(doc.get("country")), "geography", f"the file is named for {country}")
        )
    return Geography(
        country,
        str(doc.get("name") or doc.get("name_en") or name),
        regions,
        table("pcodes", folded=False),
        table("aliases", folded=True),
        table("formed_from", folded=False),
        str(doc["name_fr"]) if doc.get("name_fr") else None,
    )


def name(code: str, raw_dir: Path | None = None, lang: str = "en") -> str:
    """The display name of any geo code, from its country's geography ('ML-9' -> 'Ménaka'), the
    country's in `lang` ('CD' -> 'République démocratique du Congo' in French)."""
    return geography(country_of(code), raw_dir).region_name(code, lang)
