"""Violent events from every source, as one table with one vocabulary.

`violent_events(engine)` unions what each source knows about violence, one row per event
record, with these columns (null where a source does not say):

| column | police.uk street | force extract | ED (ISTV) |
|---|---|---|---|
| `source` | `police.uk` | `force` | `ed` |
| `month` | month published | month of the offence | month of the assault |
| `occurred_at` | - | middle of the offence window, if at most 3 hours | assault, else arrival |
| `category` | crime type | ONS offence group | assault method |
| `offence_code` | - | Home Office offence code | - |
| `location_type` | - | - | where the assault happened |
| `age_band`, `sex`, `under_25` | - | the victim's | the patient's |
| `knife` | - | knife flag | method knife/sharp object |
| `domestic` | - | domestic flag | - |
| `lsoa_code`, `ward_code`, `la_code` | where it happened | where | where the patient lives |
| `easting`, `northing` | the (anonymised) point | the point | - |

plus `quarter` (`2025 Q1`) and `financial_year` (`2024/25`, April to March) derived from
`month`. The three sources count different things (recorded crimes, published crimes,
hospital attendances): an analysis picks one source, or shows them side by side, and never
adds them up as if they were one count.

Violence is: police.uk "Violence and sexual offences" and "Robbery"; the force offences in
`offences.VIOLENCE_GROUPS`; every ED assault attendance.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from observatory.analysis import offences
from observatory.analysis.engine import Engine

POLICE_UK, FORCE, ED = "police.uk", "force", "ed"
SOURCES = (POLICE_UK, FORCE, ED)
SOURCE_TABLES = {POLICE_UK: "police_street", FORCE: "force_crime", ED: "istv"}
# An offence window longer than this has no usable time of day.
LONGEST_TIMED_WINDOW_HOURS = 3
KNIFE_METHOD = "03"  # ISTV assault method code: knife or sharp object

COLUMNS = {
    "source": "string",
    "month": "string",
    "occurred_at": "timestamp",
    "category": "string",
    "offence_code": "string",
    "location_type": "string",
    "age_band": "string",
    "sex": "string",
    "under_25": "boolean",
    "knife": "boolean",
    "domestic": "boolean",
    "lsoa_code": "string",
    "ward_code": "string",
    "la_code": "string",
    "easting": "int32",
    "northing": "int32",
}


def _null(kind: str) -> ir.Value:
    return ibis.null().cast(kind)


def police_uk_events(engine: Engine, categories: tuple[str, ...] = ()):
    """police.uk street crimes that are violence (of `categories`, if given): the table and
    its values for COLUMNS, or None when no category of this source is wanted."""
    wanted = [c for c in offences.POLICE_UK_VIOLENCE if not categories or c in categories]
    if not wanted:
        return None
    street = engine.table("police_street")
    street = street.filter(street.crime_type.isin(wanted))
    return street, {
        "source": ibis.literal(POLICE_UK),
        "month": street.month,
        "category": street.crime_type,
        "lsoa_code": street.lsoa_code,
        "ward_code": street.ward_code,
        "la_code": street.la_code,
        "easting": street.easting,
        "northing": street.northing,
    }


def force_events(engine: Engine, categories: tuple[str, ...] = ()):
    """The force's violent crimes, chosen by offence code before codes are mapped to groups
    (a list of codes is far cheaper to test than the mapping on every row)."""
    codes = [
        code
        for code, group in offences.OFFENCE_GROUPS.items()
        if group in offences.VIOLENCE_GROUPS and (not categories or group in categories)
    ]
    if not codes:
        return None
    crime = engine.table("force_crime")
    crime = crime.filter(crime.ho_offence_code.isin(codes))
    window = crime.offence_to.epoch_seconds() - crime.offence_from.epoch_seconds()
    middle = crime.offence_from + ((window / 2).cast("int64")).as_interval("s")
    timed = window.between(0, LONGEST_TIMED_WINDOW_HOURS * 3600)
    return crime, {
        "source": ibis.literal(FORCE),
        "month": crime.month,
        "occurred_at": ibis.ifelse(timed, middle, _null("timestamp")),
        "category": crime.ho_offence_code.substitute(offences.OFFENCE_GROUPS),
        "offence_code": crime.ho_offence_code,
        "age_band": crime.victim_age_band,
        "sex": crime.victim_sex,
        "under_25": crime.victim_under_25,
        "knife": crime.knife,
        "domestic": crime.domestic,
        "lsoa_code": crime.lsoa_code,
        "ward_code": crime.ward_code,
        "la_code": crime.la_code,
        "easting": crime.easting,
        "northing": crime.northing,
    }


def ed_events(engine: Engine, categories: tuple[str, ...] = ()):
    """ED assault attendances (of the assault methods in `categories`, if given), placed in
    the small area where the patient lives."""
    ed = engine.table("istv")
    if categories:
        ed = ed.filter(ed.assault_method.isin(categories))
    areas = engine.table("small_areas").select("lsoa_code", "ward_code", "la_code")
    placed = ed.left_join(areas, ed.residence_lsoa_code == areas.lsoa_code)
    return placed, {
        "source": ibis.literal(ED),
        "month": placed.month,
        "occurred_at": placed.assault_datetime.coalesce(placed.arrival_datetime),
        "category": placed.assault_method,
        "location_type": placed.assault_location,
        "age_band": placed.age_band,
        "sex": placed.patient_sex,
        "under_25": placed.under_25,
        "knife": placed.assault_method_code == KNIFE_METHOD,
        "lsoa_code": placed.lsoa_code,
        "ward_code": placed.ward_code,
        "la_code": placed.la_code,
    }


BUILDERS = {POLICE_UK: police_uk_events, FORCE: force_events, ED: ed_events}
PERIODS = ("quarter", "financial_year")


def violent_events(
    engine: Engine,
    sources: tuple[str, ...] = SOURCES,
    categories: tuple[str, ...] = (),
    columns=None,
) -> ir.Table:
    """The union of the sources' violent events that the lake holds (module docstring), of
    `categories` if given, with only `columns` (default: all, periods included): a query
    that names what it uses compiles and runs several times faster. With no source data,
    an empty table of the same columns."""
    wanted = set(COLUMNS) | set(PERIODS) if columns is None else set(columns)
    periods = [p for p in PERIODS if p in wanted]
    base = [c for c in COLUMNS if c in wanted or (periods and c == "month")]
    parts = []
    for source in sources:
        if not engine.has(SOURCE_TABLES[source]) or (
            source == ED and not engine.has("small_areas")
        ):
            continue
        built = BUILDERS[source](engine, tuple(categories))
        if built is None:
            continue
        table, values = built
        parts.append(
            table.select(
                **{
                    c: (values[c] if c in values else _null(COLUMNS[c])).cast(COLUMNS[c])
                    for c in base
                }
            )
        )
    if not parts:
        parts = [ibis.memtable({c: [] for c in base}, schema={c: COLUMNS[c] for c in base})]
    events = ibis.union(*parts) if len(parts) > 1 else parts[0]
    return with_periods(events, periods) if periods else events


def with_periods(events: ir.Table, periods=PERIODS) -> ir.Table:
    """Add `quarter` (calendar, `2025 Q1`) and/or `financial_year` (April-March, `2024/25`)."""
    year = events.month.substr(0, 4).cast("int32")
    month_number = events.month.substr(5, 2).cast("int32")
    quarter = ((month_number - 1) // 3 + 1).cast("int32")
    starts = ibis.ifelse(month_number >= 4, year, year - 1)
    labels = {
        "quarter": year.cast("string").concat(" Q", quarter.cast("string")),
        "financial_year": starts.cast("string").concat(
            "/", ((starts + 1) % 100).cast("string").lpad(2, "0")
        ),
    }
    return events.mutate(**{p: labels[p] for p in periods})
