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


def force_hour_weekday(crimes: list[dict]) -> Counter:
    """Violent force crimes per (weekday, hour) of the middle of their offence window, for
    windows of at most three hours."""
    counted = Counter()
    for crime in crimes:
        if crime["ho_offence_code"] not in FORCE_VIOLENCE:
            continue
        window = crime["offence_to"] - crime["offence_from"]
        if window.total_seconds() < 0 or window.total_seconds() > 3 * 3600:
            continue
        middle = crime["offence_from"] + window / 2
        counted[(middle.weekday(), middle.hour)] += 1
    return counted


def knife_enabled(crimes: list[dict], under_25: bool | None = None) -> int:
    """The Home Office knife measure: selected offences with the knife flag set."""
    return sum(
        1
        for crime in crimes
        if crime["knife"]
        and crime["ho_offence_code"] in offences.KNIFE_MEASURE_CODES
        and (under_25 is None or crime["victim_under_25"] is under_25)
    )
