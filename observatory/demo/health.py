"""The health side of the demo: one ISTV extract per emergency department per month, in the
layout of docs/formats/istv.md, with free text as receptionists really type it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from observatory.demo import files, text
from observatory.demo import profiles as p
from observatory.demo.events import (
    Events,
    Victimisation,
    minutes_to_text,
    month_start_minute,
    next_month,
)
from observatory.demo.geography import TO_BNG, Region

ISTV_HEADER = [
    "site_code",
    "period_start",
    "period_end",
    "attendance_id",
    "arrival_datetime",
    "assault_datetime",
    "assault_method_code",
    "assault_method_other",
    "assault_location_type",
    "assault_location_description",
    "patient_age",
    "patient_sex",
    "patient_lsoa",
]
# Seven type-1 emergency departments; ODS-like codes that are not real ones.
ED_SITES = (
    ("RZA01", 52.4530, -1.9380),  # south Birmingham
    ("RZA02", 52.4790, -1.8150),  # east Birmingham
    ("RZB01", 52.4210, -1.4390),  # Coventry
    ("RZC01", 52.4980, -2.1190),  # Dudley
    ("RZD01", 52.5030, -1.9590),  # Sandwell
    ("RZE01", 52.6020, -2.0130),  # Walsall
    ("RZF01", 52.6040, -2.0960),  # Wolverhampton
)


def _spoilers():
    def bad_date(rng, row):
        column = (4, 5)[int(rng.integers(0, 2))]
        if not row[column]:
            return None
        row[column] = files.malformed_datetime(rng, row[column])
        return row

    def as_24(rng, row):
        if not row[5]:
            return None
        row[5] = files.midnight_as_24(row[5])
        return row

    def unknown_code(rng, row):
        row[6] = ("7", "3", "knife", "00")[int(rng.integers(0, 4))]
        return row

    def missing(rng, row):
        row[(3, 4)[int(rng.integers(0, 2))]] = ""
        return row

    return {
        "malformed_date": bad_date,
        "time_24": as_24,
        "unknown_code": unknown_code,
        "missing_required": missing,
        "duplicate": None,
        "trailing_spaces": files.add_trailing_spaces,
    }


class HealthFiles:
    """Writes each month's ISTV extracts and reports which attendance is which event, and
    which attendances happened at which licensed premises (`venues` and `licences` are the
    register's names and licence numbers, in the order `Events.premises` indexes)."""

    def __init__(
        self,
        region: Region,
        out: Path,
        seed: int,
        dirty_rate: float,
        truth: files.Truth,
        venues: list[str],
        licences: list[str],
    ):
        self.region = region
        self.out = out
        self.seed = seed
        self.dirty_rate = dirty_rate
        self.truth = truth
        self.venues = venues
        self.licences = licences
        self.site_xy = np.array([TO_BNG.transform(lon, lat) for _, lat, lon in ED_SITES])
        self.sequence = np.zeros(len(ED_SITES), dtype=np.int64)
        self.residence_weights = region.population / region.population.sum()

    def write_month(self, year, month, events: Events, victim: Victimisation) -> dict:
        rng = np.random.default_rng([self.seed, 6, year, month])
        attended = np.flatnonzero(victim.ed)
        xy = np.stack([events.x[attended], events.y[attended]], axis=1)
        site = np.argmin(((self.site_xy[None] - xy[:, None]) ** 2).sum(-1), axis=1)
        start = month_start_minute(year, month)
        end = month_start_minute(*next_month(year, month)) - 1
        delay = np.round(rng.lognormal(np.log(70), 0.9, len(attended))).astype(np.int64)
        arrival = np.minimum(events.minute[attended] + delay, end)
        arrival_text = minutes_to_text(arrival)
        assault_text = minutes_to_text(events.minute[attended])
        period_start = str(np.datetime64(start, "m").astype("datetime64[D]"))
        period_end = str(np.datetime64(end, "m").astype("datetime64[D]"))
        home_area = np.where(
            (events.setting[attended] == p.HOME) | (rng.random(len(attended)) < 0.45),
            events.area[attended],
            rng.choice(self.region.size, size=len(attended), p=self.residence_weights),
        )
        rows_by_site = {s: [] for s in range(len(ED_SITES))}
        links, at_premises = [], []
        for i, e in enumerate(attended):
            s = int(site[i])
            self.sequence[s] += 1
            code = ED_SITES[s][0]
            attendance = f"{code}-{year % 100:02d}{self.sequence[s]:07d}"
            setting = int(events.setting[e])
            method = str(victim.method[e])
            venue = self.venues[events.premises[e]] if events.premises[e] >= 0 else None
            area, point = int(events.area[e]), int(rng.integers(0, 6))
            street = self.region.point_street[area][point]
            unknown_place = rng.random() < 0.03
            # Drawn in the order of the row's columns, so the files stay as they were.
            assault = "" if rng.random() < 0.04 else assault_text[i]
            method_other = text.method_other_description(rng) if method == "06" else ""
            description, venue_named = text.location_description(
                rng, "unknown" if unknown_place else p.SETTINGS[setting], venue, street
            )
            rows_by_site[s].append(
                [
                    code,
                    period_start,
                    period_end,
                    attendance,
                    arrival_text[i],
                    assault,
                    method,
                    method_other,
                    "99" if unknown_place else p.ISTV_LOCATION_CODE[setting],
                    description,
                    "" if rng.random() < 0.03 else str(victim.age[e]),
                    "U" if rng.random() < 0.01 else ("M" if victim.male[e] else "F"),
                    "" if rng.random() < 0.05 else self.region.lsoa_code[home_area[i]],
                ]
            )
            links.append((int(e), code, attendance))
            if venue is not None:
                licence = self.licences[events.premises[e]]
                at_premises.append((code, attendance, licence, venue_named))
        written = {}
        stamp = f"{year:04d}-{month:02d}"
        for s, rows in rows_by_site.items():
            relative = f"health/istv/{ED_SITES[s][0]}_{stamp}.csv"
            out = files.CsvOut(
                self.out, relative, ISTV_HEADER, rng, self.truth, self.dirty_rate, _spoilers()
            )
            out.write(rows)
            written[relative] = out.close()
        return {"rows": written, "attendances": links, "at_premises": at_premises}
