"""The licensing register: every licensed premises, where it is and when it opens
(docs/formats/premises.md).

The register is a snapshot, not a stream of events: the table has one slice, `all`, with no
month, and importing a newer register replaces it wholesale (the import summary says so).
The licence number is the record key, so a register that lists a licence twice with other
details has the second row rejected.

Each premises is placed by its longitude and latitude (small area, ward, local authority,
British National Grid), or kept unlocated when the register gives no coordinates: it can
still be matched by name. `weekly_opening_hours` is computed from `opening_hours` when that
is written as `;`-separated `<days> <HH:MM>-<HH:MM>` entries (see `weekly_hours`), for rates
per opening hour later; otherwise it is blank and the text is kept as written.
"""

from __future__ import annotations

import re

import polars as pl

from observatory.sources.base import REASON, Context, Source, first_failure, missing
from observatory.sources.csvfile import ROW
from observatory.sources.police_uk import coordinate_checks

HEADER = [
    "licence_number", "premises_name", "address", "postcode", "latitude", "longitude",
    "premises_type", "opening_hours",
]  # fmt: skip
POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ENTRY = re.compile(
    r"^(?P<days>[a-z]{3}(?:\s*[-,]\s*[a-z]{3})*)\s+"
    r"(?:(?P<always>24 ?h(?:ou)?rs?)|(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2}))$"
)


def weekly_hours(text: str | None) -> float | None:
    """Hours open in a week, from entries like `Mon-Thu 11:00-23:00; Fri-Sat 11:00-01:00;
    Sun 12:00-22:30` (days: a day, a range `Mon-Thu`, or a list `Mon,Wed`; a closing time
    at or before the opening time is the next morning's; `Mon-Sun 24 hours` is all day).
    A day named twice counts once per entry. None when any entry does not parse."""
    if not text:
        return None
    total = 0.0
    for entry in text.lower().split(";"):
        entry = entry.strip()
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None:
            return None
        days = _days(match["days"])
        if days is None:
            return None
        if match["always"]:
            hours = 24.0
        else:
            opens, closes = _minutes(match["open"]), _minutes(match["close"])
            if opens is None or closes is None:
                return None
            hours = ((closes - opens) % (24 * 60) or 24 * 60) / 60
        total += hours * days
    return total


def _days(text: str) -> int | None:
    count = 0
    for part in re.split(r"\s*,\s*", text):
        ends = [d.strip() for d in part.split("-")]
        if any(d not in DAYS for d in ends) or len(ends) > 2:
            return None
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        count += (last - first) % 7 + 1
    return count


def _minutes(text: str) -> int | None:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


class Premises(Source):
    name = "premises"
    table = "premises"
    header = HEADER
    required_columns = set(HEADER)
    key_label = "licence_number"
    safe_columns = [*HEADER[:4], "premises_type"]  # a public register: nothing personal
    placement = "lonlat"

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        coordinates, lon, lat = coordinate_checks("longitude", "latitude")
        postcode = pl.col("postcode").str.to_uppercase().str.replace_all(r"\s+", " ")
        hours = {
            text: weekly_hours(text)
            for text in batch["opening_hours"].drop_nulls().unique().to_list()
        }
        reason = first_failure(
            [
                *(missing(column) for column in ("licence_number", "premises_name", "address")),
                (
                    postcode.is_not_null() & ~postcode.str.contains(POSTCODE),
                    pl.format("postcode '{}' is not a UK postcode", pl.col("postcode")),
                ),
                *coordinates,
            ]
        )
        return batch.select(
            pl.col("licence_number"),
            pl.col("premises_name"),
            pl.col("address"),
            postcode.alias("postcode"),
            lon.alias("longitude"),
            lat.alias("latitude"),
            pl.col("premises_type").str.to_lowercase().alias("premises_type"),
            pl.col("opening_hours"),
            pl.col("opening_hours")
            .replace_strict(hours, default=None, return_dtype=pl.Float64)
            .alias("weekly_opening_hours"),
            pl.lit(None, dtype=pl.String).alias("month"),
            pl.col(ROW),
            reason.alias(REASON),
            pl.lit("all").alias("_slice"),
            pl.col("licence_number").alias("_key"),
            lon.alias("_lon"),
            lat.alias("_lat"),
            pl.lit(None, dtype=pl.String).alias("_stated_lsoa"),
        )


from observatory.sources.registry import register  # noqa: E402  (registry imports this module)

register("premises", Premises)
