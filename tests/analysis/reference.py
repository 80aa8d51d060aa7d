"""A small, obviously correct reference implementation of the indicators, in plain Python.

It works on lists of dicts (the rows of the lake tables) with loops and Counters, so that
the engine's answers on generated data can be checked against something with no SQL, no
joins and no vectorisation in it."""

from __future__ import annotations

from collections import Counter

from observatory.analysis import offences

FORCE_VIOLENCE = {
    code for code, group in offences.OFFENCE_GROUPS.items() if group in offences.VIOLENCE_GROUPS
}


def force_violence_counts(crimes: list[dict], areas: list[dict], by: list[str]) -> Counter:
    """Violent force crimes per `by` (any of month, category, la_code, ward_code, lsoa_code,
    knife, domestic, under_25)."""
    area_of = {a["lsoa_code"]: a for a in areas}
    counted = Counter()
    for crime in crimes:
        if crime["ho_offence_code"] not in FORCE_VIOLENCE:
            continue
        area = area_of.get(crime["lsoa_code"], {})
        row = {
            "month": crime["month"],
            "category": offences.OFFENCE_GROUPS[crime["ho_offence_code"]],
            "lsoa_code": crime["lsoa_code"],
            "ward_code": area.get("ward_code"),
            "la_code": area.get("la_code"),
            "knife": crime["knife"],
            "domestic": crime["domestic"],
            "under_25": crime["victim_under_25"],
        }
        counted[tuple(row[b] for b in by)] += 1
    return counted


def population_by_area(people: list[dict], areas: list[dict], level: str) -> Counter:
    area_of = {a["lsoa_code"]: a for a in areas}
    totals = Counter()
    for person in people:
        totals[area_of[person["lsoa_code"]][level]] += person["population"]
    return totals
