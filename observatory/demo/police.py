"""The police side of the demo: police.uk street, outcomes and stop-and-search files, and the
force's record-level extract, month by month, in exactly their real layouts.

Rows are built as numpy arrays for a whole month and formatted and written in chunks, so a
month of any size needs only a bounded amount of memory for its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from observatory.demo import files
from observatory.demo import profiles as p
from observatory.demo.events import (
    MINUTES_PER_DAY,
    Events,
    Victimisation,
    area_weights,
    minutes_to_text,
    month_start_minute,
    next_month,
)
from observatory.demo.geography import MAP_POINTS_PER_AREA, Region

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES_HEADER = [*STREET_HEADER[:9], "Outcome type"]  # same location columns
STOP_SEARCH_HEADER = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
FORCE_HEADER = [
    "crime_reference",
    "offence_from",
    "offence_to",
    "ho_offence_code",
    "offence_description",
    "easting",
    "northing",
    "street",
    "knife_flag",
    "domestic_flag",
    "victim_age",
    "victim_sex",
]
CHUNK = 100_000
NO_LOCATION_SHARE = 0.015
# A point well outside the region (central London), for spoiled coordinates.
FAR_AWAY = ("-0.127600", "51.507200")


@dataclass
class MonthCrimes:
    """Every police-recorded crime and ASB incident of a month, as parallel arrays."""

    crime_type: np.ndarray
    area: np.ndarray
    point: np.ndarray  # which of the area's anonymised map points
    x: np.ndarray
    y: np.ndarray
    minute: np.ndarray
    violent_event: np.ndarray  # index into the month's violent events, -1 for others
    reference: np.ndarray  # force crime reference number, -1 for ASB

    def __len__(self):
        return len(self.crime_type)


class PoliceFiles:
    """Writes each month's police files; keeps the little state that crosses months."""

    def __init__(
        self,
        region: Region,
        out: Path,
        seed: int,
        scale: float,
        dirty_rate: float,
        truth: files.Truth,
    ):
        self.region = region
        self.out = out
        self.seed = seed
        self.scale = scale
        self.dirty_rate = dirty_rate
        self.truth = truth
        self.next_reference = 1
        self.pending_outcomes: dict | None = None
        deprivation = (region.deprivation - region.deprivation.mean()) / region.deprivation.std()
        self.other_weights = {}
        for name in p.OTHER_CRIME_RATES:
            d, n = p.OTHER_CRIME_DRIVERS.get(name, (0.5, 0.3))
            weight = np.exp(d * deprivation) * (1 + n * region.nightlife)
            self.other_weights[name] = (
                weight / (weight * region.population).sum() * (region.population.sum())
            )
        self.search_weights = area_weights(region) * region.population
        self.search_weights /= self.search_weights.sum()

    # -- building the month ---------------------------------------------------------------

    def crimes(self, rng, year, month, violent: Events, victim: Victimisation) -> MonthCrimes:
        recorded = np.flatnonzero(victim.police)
        start = month_start_minute(year, month)
        days = (month_start_minute(*next_month(year, month)) - start) // MINUTES_PER_DAY
        parts_type, parts_area, parts_minute = [], [], []
        for name, rate in p.OTHER_CRIME_RATES.items():
            counts = rng.poisson(
                rate * self.region.population / 1000 * self.other_weights[name] * self.scale
            )
            area = np.repeat(np.arange(self.region.size, dtype=np.int32), counts)
            parts_area.append(area)
            parts_type.append(np.full(len(area), p.CRIME_TYPES.index(name), np.int8))
            parts_minute.append(start + rng.integers(0, days * MINUTES_PER_DAY, len(area)))
        other_area = np.concatenate(parts_area)
        other_point = rng.integers(0, MAP_POINTS_PER_AREA, len(other_area))
        other_point_xy = self.region.point_xy[other_area, other_point]
        other_xy = self.region.keep_inside(
            other_point_xy + rng.normal(0, 40, (len(other_area), 2)), other_point_xy
        )
        violent_xy = np.stack([violent.x[recorded], violent.y[recorded]], axis=1)
        violent_area = violent.area[recorded]
        nearest = np.argmin(
            ((self.region.point_xy[violent_area] - violent_xy[:, None]) ** 2).sum(-1), axis=1
        )
        crime_type = np.concatenate([np.full(len(recorded), p.VIOLENCE, np.int8), *parts_type])
        n = len(crime_type)
        order = rng.permutation(n)  # real files are not grouped by crime type
        crimes = MonthCrimes(
            crime_type=crime_type,
            area=np.concatenate([violent_area, other_area]),
            point=np.concatenate([nearest, other_point]),
            x=np.concatenate([violent_xy[:, 0], other_xy[:, 0]]),
            y=np.concatenate([violent_xy[:, 1], other_xy[:, 1]]),
            minute=np.concatenate([violent.minute[recorded], *parts_minute]),
            violent_event=np.concatenate([recorded, np.full(len(other_area), -1)]),
            reference=np.full(n, -1, np.int64),
        )
        crimes = MonthCrimes(**{k: v[order] for k, v in vars(crimes).items()})
        is_crime = crimes.crime_type != p.ASB
        crimes.reference[is_crime] = self.next_reference + np.arange(is_crime.sum())
        self.next_reference += int(is_crime.sum())
        return crimes

    # -- writing --------------------------------------------------------------------------

    def write_month(self, year, month, violent: Events, victim: Victimisation) -> dict:
        """Write the month's four files; return rows per file and the crime reference of
        each police-recorded violent event (for the truth's ED-police links)."""
        rng = np.random.default_rng([self.seed, 5, year, month])
        crimes = self.crimes(rng, year, month, violent, victim)
        stamp = f"{year:04d}-{month:02d}"
        n = len(crimes)
        crime_ids = bytes(rng.bytes(32 * n)).hex()
        is_crime = crimes.crime_type != p.ASB
        outcome_now = is_crime & (rng.random(n) < 0.55)
        outcome_later = is_crime & ~outcome_now & (rng.random(n) < 0.55)
        outcome = rng.choice(len(p.OUTCOMES), size=n, p=p.OUTCOME_SHARES)
        located = rng.random(n) >= NO_LOCATION_SHARE

        rows = {}
        rows[f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-street.csv"] = self._street(
            rng, stamp, crimes, crime_ids, outcome, outcome_now, located
        )
        rows[f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-outcomes.csv"] = self._outcomes(
            rng, stamp, crimes, crime_ids, outcome, outcome_now, outcome_later, located
        )
        rows[f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-stop-and-search.csv"] = self._searches(
            rng, year, month
        )
        rows[f"police/force_extract/{stamp}.csv"] = self._force_extract(
            rng, stamp, year, crimes, violent, victim
        )
        violent_rows = np.flatnonzero(crimes.violent_event >= 0)
        references = {
            int(crimes.violent_event[i]): self._reference_text(crimes.reference[i], year)
            for i in violent_rows
        }
        return {"rows": rows, "references": references}

    def _street_spoilers(self):
        def bad_month(rng, row):
            row[1] = ("2024/13", "Jan-24", row[1].replace("-", ""), "")[int(rng.integers(0, 4))]
            return row

        def far_away(rng, row):
            if not row[4]:
                return None
            row[4], row[5] = FAR_AWAY
            return row

        def unknown_type(rng, row):
            row[9] = ("Violent crime", "Burglery", "Criminal Damage", "Other")[
                int(rng.integers(0, 4))
            ]
            return row

        def missing(rng, row):
            row[9] = ""
            return row

        return {
            "malformed_date": bad_month,
            "coordinates_outside_region": far_away,
            "unknown_crime_type": unknown_type,
            "missing_required": missing,
            # Identical anti-social-behaviour rows (no Crime ID) are separate incidents,
            # so only rows with a Crime ID are ever sent twice.
            "duplicate": lambda rng, row: row if row[0] else None,
            "trailing_spaces": files.add_trailing_spaces,
        }

    def _location_columns(self, area, point, located):
        lonlat = self.region.point_lonlat[area, point]
        lon = [f"{v:.6f}" for v in lonlat[:, 0]]
        lat = [f"{v:.6f}" for v in lonlat[:, 1]]
        streets = self.region.point_street
        location = [f"On or near {streets[a][k]}" for a, k in zip(area, point, strict=True)]
        code = [self.region.lsoa_code[a] for a in area]
        name = [self.region.lsoa_name[a] for a in area]
        for i in np.flatnonzero(~located):
            lon[i] = lat[i] = code[i] = name[i] = ""
            location[i] = "No location"
        return lon, lat, location, code, name

    def _street(self, rng, stamp, crimes, crime_ids, outcome, outcome_now, located):
        relative = f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-street.csv"
        out = files.CsvOut(
            self.out,
            relative,
            STREET_HEADER,
            rng,
            self.truth,
            self.dirty_rate,
            self._street_spoilers(),
        )
        for start in range(0, len(crimes), CHUNK):
            part = slice(start, start + CHUNK)
            area, point = crimes.area[part], crimes.point[part]
            lon, lat, location, code, name = self._location_columns(area, point, located[part])
            rows = []
            for i, t in enumerate(crimes.crime_type[part]):
                row_index = start + i
                asb = t == p.ASB
                if asb:
                    crime_id = last = ""
                else:
                    crime_id = crime_ids[row_index * 64 : row_index * 64 + 64]
                    last = (
                        p.OUTCOMES[outcome[row_index]]
                        if outcome_now[row_index]
                        else "Under investigation"
                    )
                rows.append(
                    [
                        crime_id,
                        stamp,
                        p.FORCE,
                        p.FORCE,
                        lon[i],
                        lat[i],
                        location[i],
                        code[i],
                        name[i],
                        p.CRIME_TYPES[t],
                        last,
                        "",
                    ]
                )
            out.write(rows)
        return out.close()

    def _outcomes(self, rng, stamp, crimes, crime_ids, outcome, now, later, located):
        relative = f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-outcomes.csv"
        out = files.CsvOut(self.out, relative, OUTCOMES_HEADER, rng, self.truth)
        pending = self.pending_outcomes
        if pending is not None and len(pending["area"]):
            lon, lat, location, code, name = self._location_columns(
                pending["area"], pending["point"], pending["located"]
            )
            out.write(
                [
                    pid,
                    stamp,
                    p.FORCE,
                    p.FORCE,
                    lon[i],
                    lat[i],
                    location[i],
                    code[i],
                    name[i],
                    p.OUTCOMES[pending["outcome"][i]],
                ]
                for i, pid in enumerate(pending["crime_id"])
            )
        chosen = np.flatnonzero(now)
        for start in range(0, len(chosen), CHUNK):
            index = chosen[start : start + CHUNK]
            lon, lat, location, code, name = self._location_columns(
                crimes.area[index], crimes.point[index], located[index]
            )
            out.write(
                [
                    crime_ids[j * 64 : j * 64 + 64],
                    stamp,
                    p.FORCE,
                    p.FORCE,
                    lon[i],
                    lat[i],
                    location[i],
                    code[i],
                    name[i],
                    p.OUTCOMES[outcome[j]],
                ]
                for i, j in enumerate(index)
            )
        carry = np.flatnonzero(later)
        self.pending_outcomes = {
            "crime_id": [crime_ids[j * 64 : j * 64 + 64] for j in carry],
            "area": crimes.area[carry],
            "point": crimes.point[carry],
            "located": located[carry],
            "outcome": outcome[carry],
        }
        return out.close()

    def _searches(self, rng, year, month):
        stamp = f"{year:04d}-{month:02d}"
        relative = f"police/{stamp}/{stamp}-{p.FORCE_SLUG}-stop-and-search.csv"
        out = files.CsvOut(self.out, relative, STOP_SEARCH_HEADER, rng, self.truth)
        n = int(rng.poisson(2_000 * self.scale))
        area = rng.choice(self.region.size, size=n, p=self.search_weights)
        point = rng.integers(0, MAP_POINTS_PER_AREA, n)
        start = month_start_minute(year, month)
        days = (month_start_minute(*next_month(year, month)) - start) // MINUTES_PER_DAY
        minutes = start + rng.integers(0, days * MINUTES_PER_DAY, n)
        when = np.datetime_as_string(minutes.astype("datetime64[m]"), unit="s")
        summer = 4 <= month <= 9  # British Summer Time, near enough for a demo
        offset = "+01:00" if summer else "+00:00"
        lonlat = self.region.point_lonlat[area, point]
        choose = rng.choice
        kinds = ("Person search", "Person and Vehicle search", "Vehicle search")
        ages = ("10-17", "18-24", "25-34", "over 34", "under 10")
        ethnic_self = (
            "White - English/Welsh/Scottish/Northern Irish/British",
            "Asian/Asian British - Pakistani",
            "Black/African/Caribbean/Black British - Caribbean",
            "Black/African/Caribbean/Black British - African",
            "Asian/Asian British - Indian",
            "Mixed/Multiple ethnic groups - White and Black Caribbean",
            "Other ethnic group - Not stated",
            "",
        )
        ethnic_officer = ("White", "Asian", "Black", "Other", "")
        laws = (
            ("Misuse of Drugs Act 1971 (section 23)", "Controlled drugs"),
            ("Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons"),
            ("Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods"),
            ("Police and Criminal Evidence Act 1984 (section 1)", "Article for use in theft"),
            ("Criminal Justice and Public Order Act 1994 (section 60)", "Offensive weapons"),
            ("Firearms Act 1968 (section 47)", "Firearms"),
        )
        outcomes = (
            "A no further action disposal",
            "Arrest",
            "Community resolution",
            "Summons / charged by post",
            "Khat or Cannabis warning",
            "Penalty Notice for Disorder",
        )
        kind = choose(3, n, p=[0.86, 0.1, 0.04])
        age = choose(5, n, p=[0.2, 0.36, 0.24, 0.19, 0.01])
        self_e = choose(len(ethnic_self), n, p=[0.42, 0.14, 0.08, 0.06, 0.06, 0.05, 0.04, 0.15])
        officer_e = choose(len(ethnic_officer), n, p=[0.46, 0.26, 0.17, 0.03, 0.08])
        law = choose(len(laws), n, p=[0.58, 0.16, 0.1, 0.08, 0.06, 0.02])
        result = choose(len(outcomes), n, p=[0.68, 0.13, 0.08, 0.04, 0.05, 0.02])
        male = rng.random(n) < 0.91
        located = rng.random(n) > 0.08
        rows = []
        for i in range(n):
            vehicle_only = kind[i] == 2
            rows.append(
                [
                    kinds[kind[i]],
                    f"{when[i]}{offset}",
                    "False",
                    "",
                    f"{lonlat[i, 1]:.6f}" if located[i] else "",
                    f"{lonlat[i, 0]:.6f}" if located[i] else "",
                    "" if vehicle_only else ("Male" if male[i] else "Female"),
                    "" if vehicle_only else ages[age[i]],
                    "" if vehicle_only else ethnic_self[self_e[i]],
                    "" if vehicle_only else ethnic_officer[officer_e[i]],
                    laws[law[i]][0],
                    laws[law[i]][1],
                    outcomes[result[i]],
                    "" if result[i] == 0 else ("True" if rng.random() < 0.4 else "False"),
                    "" if vehicle_only else "False",
                ]
            )
        out.write(rows)
        return out.close()

    @staticmethod
    def _reference_text(number: int, year: int) -> str:
        return f"20/{int(number):07d}/{year % 100:02d}"

    def _force_spoilers(self):
        def bad_date(rng, row):
            row[1] = files.malformed_datetime(rng, row[1])
            return row

        def as_24(rng, row):
            row[1] = files.midnight_as_24(row[1])
            return row

        def far_away(rng, row):
            row[5], row[6] = "530000", "180000"  # London, in British National Grid metres
            return row

        def missing(rng, row):
            row[(0, 1, 3)[int(rng.integers(0, 3))]] = ""
            return row

        return {
            "malformed_date": bad_date,
            "time_24": as_24,
            "coordinates_outside_region": far_away,
            "missing_required": missing,
            "duplicate": None,
            "trailing_spaces": files.add_trailing_spaces,
        }

    def _force_extract(self, rng, stamp, year, crimes, violent, victim):
        relative = f"police/force_extract/{stamp}.csv"
        out = files.CsvOut(
            self.out,
            relative,
            FORCE_HEADER,
            rng,
            self.truth,
            self.dirty_rate,
            self._force_spoilers(),
        )
        keep = np.flatnonzero(crimes.crime_type != p.ASB)
        violent_codes = [code for code, _, _ in p.VIOLENT_OFFENCES]
        weights = np.array([w for _, _, w in p.VIOLENT_OFFENCES])
        streets = self.region.point_street
        for start in range(0, len(keep), CHUNK):
            index = keep[start : start + CHUNK]
            event = crimes.violent_event[index]
            is_violent = event >= 0
            window_before = np.where(
                is_violent,
                rng.integers(0, 20, len(index)),
                rng.exponential(240, len(index)).astype(np.int64),
            )
            window_after = np.where(
                is_violent,
                rng.integers(0, 30, len(index)),
                rng.exponential(120, len(index)).astype(np.int64),
            )
            offence_from = minutes_to_text(crimes.minute[index] - window_before)
            offence_to = minutes_to_text(crimes.minute[index] + window_after)
            offence = rng.choice(len(weights), size=len(index), p=weights / weights.sum())
            easting = np.rint(crimes.x[index]).astype(np.int64)
            northing = np.rint(crimes.y[index]).astype(np.int64)
            rows = []
            for i, j in enumerate(index):
                t = crimes.crime_type[j]
                age = sex = ""
                knife = domestic = "N"
                if is_violent[i]:
                    e = event[i]
                    code, description = violent_codes[offence[i]], p.VIOLENT_OFFENCES[offence[i]][1]
                    if victim.ed[e]:
                        code, description = (
                            ("5D", p.VIOLENT_OFFENCES[4][1])
                            if victim.knife[e]
                            else ("8N", p.VIOLENT_OFFENCES[1][1])
                        )
                        if victim.knife[e] and rng.random() < 0.01:
                            code, description = p.HOMICIDE
                    knife = "Y" if victim.knife[e] else "N"
                    domestic = "Y" if victim.domestic[e] else "N"
                    age = "" if rng.random() < 0.03 else str(victim.age[e])
                    sex = "M" if victim.male[e] else "F"
                else:
                    code, description = p.OTHER_OFFENCE_CODES[p.CRIME_TYPES[t]]
                    if p.CRIME_TYPES[t] in ("Robbery", "Theft from the person"):
                        age = str(int(rng.integers(14, 70)))
                        sex = "M" if rng.random() < 0.6 else "F"
                    knife = "Y" if p.CRIME_TYPES[t] == "Robbery" and rng.random() < 0.2 else "N"
                rows.append(
                    [
                        self._reference_text(crimes.reference[j], year),
                        offence_from[i],
                        offence_to[i],
                        code,
                        description,
                        str(easting[i]),
                        str(northing[i]),
                        streets[crimes.area[j]][crimes.point[j]],
                        knife,
                        domestic,
                        age,
                        sex,
                    ]
                )
            out.write(rows)
        return out.close()
