"""Synthetic subnational monthly observations, for measuring the pipeline at scale.

``python -m pipelines.tools.synthetic ROWS OUT_DIR`` writes a complete raw folder (a roadmap file
declaring synthetic indicators, one source, and one observations CSV) that ingest and
validate accept. Values are deterministic (a hash of the row number), so two runs of the
benchmark measure the same work. Nothing here ever touches ``data/raw/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from pipelines.core import geo

FIRST_YEAR = 1990
MONTHS = 12 * 35  # 1990-01 .. 2024-12
SOURCE_ID = "synthetic"


#: The synthetic roadmap's country: Mali, whose eleven ISO 3166-2 units the rows cover.
COUNTRY = "ML"
ROADMAP_ID = "synthetic"


def regions() -> list[str]:
    """The ISO 3166-2 units of `COUNTRY`, in a fixed order."""
    return sorted(geo.geography(COUNTRY).regions)


def indicators_needed(rows: int) -> int:
    """Each indicator holds one value per region and month, so more rows need more indicators."""
    per_indicator = len(regions()) * MONTHS
    return max(1, -(-rows // per_indicator))


def roadmap_yaml(count: int) -> str:
    """A roadmap with one benchmark and `count` regional share indicators."""
    lines = [
        f"roadmap_id: {ROADMAP_ID}",
        "symbol: SYNTHETIC/1",
        "published: 2021-03-25",
        f"source_id: {SOURCE_ID}",
        "mission: {acronym: SYNTH, name_fr: Mission synthétique, name_en: Synthetic mission}",
        f"country: {COUNTRY}",
        "title_fr: Feuille de route synthétique",
        "title_en: Synthetic roadmap",
        "benchmarks:",
        "  - benchmark: Z",
        "    paragraph: 1",
        "    title_fr: Synthétique",
        "    title_en: Synthetic",
        "    text_fr: Données synthétiques pour mesurer la chaîne de traitement.",
        "    text_en: Synthetic data to measure the pipeline.",
        "    phase: I",
        "    horizon: 2022-12-31",
        "    kind: indicators",
        "    indicators:",
    ]
    for k in range(count):
        lines += [
            f"      - indicator_id: synthetic_share_{k:05d}",
            f"        name_fr: Part synthétique {k}",
            f"        name_en: Synthetic share {k}",
            "        unit: percent",
            "        direction: increase",
            "        target: {value: 30, date: 2022-12-31}",
            '        assessment: {rule_fr: Au moins 30 %., rule_en: At least 30 %., quote_fr: "30 %"}',
        ]
    return "\n".join(lines) + "\n"


def observations(rows: int, seed: int = 0) -> pl.DataFrame:
    """`rows` observations: indicator x region x month, values in [0, 100)."""
    n_regions = len(regions())
    i = pl.int_range(rows, eager=True, dtype=pl.Int64).alias("i")
    frame = pl.DataFrame(i).with_columns(
        indicator=pl.col("i") // (n_regions * MONTHS),
        month=(pl.col("i") // n_regions) % MONTHS,
        region=pl.col("i") % n_regions,
    )
    return frame.select(
        indicator_id=pl.format("synthetic_share_{}", pl.col("indicator").cast(pl.String).str.zfill(5)),
        geo=pl.col("region").replace_strict(dict(enumerate(regions())), return_dtype=pl.String),
        period_start=pl.format(
            "{}-{}",
            (FIRST_YEAR + pl.col("month") // 12).cast(pl.String),
            (pl.col("month") % 12 + 1).cast(pl.String).str.zfill(2),
        ),
        period_end=pl.lit(""),
        value=((pl.col("i").hash(seed) % 10_000).cast(pl.Float64) / 100).cast(pl.String),
        unit=pl.lit("percent"),
        source_id=pl.lit(SOURCE_ID),
        confidence=pl.lit("secondary"),
        note=pl.lit(""),
    )


def junk(rows: int, seed: int = 0) -> pl.DataFrame:
    """`rows` rows of junk under the observations' columns (a valid header, every cell a run of
    digits): what a wrong export or a corrupted download looks like to ingest, which refuses
    every one of them (no such indicator). About 180 bytes a row as CSV."""
    i = pl.int_range(rows, eager=True, dtype=pl.Int64).alias("i")
    return pl.DataFrame(i).select(
        pl.col("i").hash(seed * 16 + k).cast(pl.String).alias(column)
        for k, column in enumerate(observations(0).columns)
    )


def write(rows: int, out: Path, seed: int = 0) -> Path:
    """Write a raw folder of `rows` synthetic observations under `out`; returns `out`."""
    (out / "roadmaps").mkdir(parents=True, exist_ok=True)
    (out / "observations").mkdir(exist_ok=True)
    (out / "roadmaps" / "synthetic.yaml").write_text(roadmap_yaml(indicators_needed(rows)), encoding="utf-8")
    (out / "sources.csv").write_text(
        "source_id,title,publisher,symbol,url,published,published_rule,paragraph,kind\n"
        f"{SOURCE_ID},Synthetic observations,pipelines.tools.synthetic,,https://example.org/synthetic,,"
        f"{FIRST_YEAR + MONTHS // 12 - 1}-12: the last month the synthetic rows cover,,secondary\n",
        encoding="utf-8",
    )
    (out / "milestones.csv").write_text(
        "roadmap_id,benchmark,milestone_id,date,status,description_fr,description_en,source_id,confidence\n",
        encoding="utf-8",
    )
    observations(rows, seed).write_csv(out / "observations" / "synthetic.csv")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.tools.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, help="number of observations (up to 10,000,000 and more)")
    parser.add_argument("out", type=Path, help="folder to write (a raw folder for `ingest --raw`)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(Path(__file__).resolve().parents[2] / "data" / "raw"):
        parser.error("refusing to write synthetic data into data/raw/")
    write(args.rows, args.out, args.seed)
    print(f"wrote {args.rows} synthetic observations to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
