"""The Home Office serious-violence measures, as far as the partnership's data allows.

For violence reduction partnerships the Home Office asks about hospital admissions for
assault with a knife or sharp object, knife or sharp-object enabled serious violence
recorded by the police, and homicides, especially among victims under 25. From the data a
partnership holds, Observatory measures:

- ED attendances for assault with a knife or sharp object (the ED data stands in for
  admissions: an admission starts as an attendance);
- knife or sharp-object enabled offences recorded by the force: the Home Office's selected
  offences (`offences.KNIFE_MEASURE_CODES`) with the knife flag set;
- homicides recorded by the force;
- violence with injury and violence without injury recorded by the force (their ONS groups).

each for victims under 25 and for all ages, as counts and crude rates per 100,000 residents
of those ages, for the region or one area.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from observatory.analysis import offences
from observatory.analysis.engine import Engine
from observatory.analysis.events import ED, FORCE
from observatory.analysis.indicators import Filters, rates

MEASURES = {
    "ed_knife_assaults": ("ED attendances for assault with a knife or sharp object", ED),
    "knife_enabled_offences": ("Knife or sharp-object enabled offences (police)", FORCE),
    "homicides": ("Homicides (police)", FORCE),
    "violence_with_injury": ("Violence with injury (police)", FORCE),
    "violence_without_injury": ("Violence without injury (police)", FORCE),
}
AGES = {"under_25": True, "all_ages": None}


def _filters_for(measure: str, base: Filters) -> Filters | None:
    _, source = MEASURES[measure]
    if source not in base.sources:
        return None
    narrowed = replace(base, sources=(source,))
    if measure == "ed_knife_assaults":
        return replace(narrowed, knife=True)
    if measure == "knife_enabled_offences":
        return replace(narrowed, knife=True, offence_codes=offences.KNIFE_MEASURE_CODES)
    group = {
        "homicides": offences.HOMICIDE,
        "violence_with_injury": offences.VIOLENCE_WITH_INJURY,
        "violence_without_injury": offences.VIOLENCE_WITHOUT_INJURY,
    }[measure]
    return replace(narrowed, categories=(group,))


def serious_violence_measures(
    engine: Engine, filters: Filters, per: int = 100_000, level: float = 95
) -> pl.DataFrame:
    """One row per measure and age group: `measure`, `label`, `ages` ('under_25' or
    'all_ages'), `count`, `population`, `value`, `lower`, `upper`, `method`. A measure
    whose source is filtered out or not in the lake is left out."""
    rows = []
    for measure, (label, _) in MEASURES.items():
        narrowed = _filters_for(measure, filters)
        if narrowed is None or not engine.has(
            "istv" if narrowed.sources == (ED,) else "force_crime"
        ):
            continue
        for ages, under_25 in AGES.items():
            scoped = replace(narrowed, under_25=under_25) if under_25 is not None else narrowed
            table = rates(engine, scoped, "region", per=per, level=level)
            rows.append(
                table.select(
                    pl.lit(measure).alias("measure"),
                    pl.lit(label).alias("label"),
                    pl.lit(ages).alias("ages"),
                    "count",
                    "population",
                    "value",
                    "lower",
                    "upper",
                    "method",
                )
            )
    return pl.concat(rows) if rows else pl.DataFrame()
