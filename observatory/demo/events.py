"""The true violence of the demo region, month by month: a self-exciting point process.

Background events arise in each small area at a rate driven by population, deprivation and
night-time economy, and at licensed premises in proportion to each premises' hidden risk.
Every event may trigger follow-ups (Poisson(BRANCHING) of them) a few days later and a
few hundred metres away, and those may trigger more: near-repeat victimisation and
retaliation, so hotspot and forecasting methods have real signal to find. Only some events
reach an emergency department, and only some reach the police; the two overlap for about a
quarter of ED attendances.

Each month is generated from its own seeded stream, plus the follow-ups carried over from
the month before, so memory stays bounded by one month however long the run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from observatory.demo import profiles as p
from observatory.demo.geography import Region

MINUTES_PER_DAY = 1440


@dataclass
class Events:
    """Parallel arrays, one entry per event. Times are minutes since 1970-01-01 (UTC-free
    local time, as police and ED systems record it)."""

    minute: np.ndarray
    x: np.ndarray
    y: np.ndarray
    area: np.ndarray
    setting: np.ndarray
    premises: np.ndarray  # index into the licensing register, -1 when not at premises

    def __len__(self) -> int:
        return len(self.minute)

    def take(self, index) -> Events:
        return Events(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        return Events(
            **{f.name: np.concatenate([getattr(e, f.name) for e in parts]) for f in fields(Events)}
        )

    @staticmethod
    def empty() -> Events:
        return Events(
            np.empty(0, np.int64),
            np.empty(0),
            np.empty(0),
            np.empty(0, np.int32),
            np.empty(0, np.int8),
            np.empty(0, np.int32),
        )


@dataclass
class Victimisation:
    """What happened to the victim of each event, and who found out."""

    age: np.ndarray
    male: np.ndarray
    knife: np.ndarray
    domestic: np.ndarray
    ed: np.ndarray  # attended an emergency department
    police: np.ndarray  # recorded by the police
    method: np.ndarray  # ISTV method code


def minutes_to_text(minutes: np.ndarray) -> np.ndarray:
    """Minutes since 1970 as `YYYY-MM-DD HH:MM`, the layout police and ED extracts use."""
    text = np.datetime_as_string(minutes.astype("datetime64[m]"), unit="m")
    return np.char.replace(text, "T", " ")


def month_start_minute(year: int, month: int) -> int:
    return int(np.datetime64(f"{year:04d}-{month:02d}-01", "m").astype(np.int64))


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def area_weights(region: Region) -> np.ndarray:
    """Relative violence per resident: concentrated where deprivation and nightlife meet."""
    deprivation = (region.deprivation - region.deprivation.mean()) / region.deprivation.std()
    return np.exp(0.75 * deprivation) * (1 + 6 * region.nightlife**1.5)


def sample_times(rng, setting, year, month, weekly) -> np.ndarray:
    """Minutes for events of the given settings, following each setting's week profile."""
    start = month_start_minute(year, month)
    days = (month_start_minute(*next_month(year, month)) - start) // MINUTES_PER_DAY
    first_weekday = int((np.datetime64(f"{year:04d}-{month:02d}-01").astype(np.int64) + 3) % 7)
    day_of_week = (first_weekday + np.arange(days)) % 7
    counts = np.bincount(day_of_week, minlength=7)
    day_table = np.zeros((7, 5), dtype=np.int64)  # the days of the month on each weekday
    for weekday in range(7):
        matching = np.flatnonzero(day_of_week == weekday)
        day_table[weekday, : len(matching)] = matching
    minute = np.empty(len(setting), dtype=np.int64)
    for s in np.unique(setting):
        members = np.flatnonzero(setting == s)
        slot = rng.choice(7 * 24, size=len(members), p=weekly[s].ravel())
        weekday, hour = np.divmod(slot, 24)
        nth = (rng.random(len(members)) * counts[weekday]).astype(np.int64)
        minute[members] = (
            start
            + day_table[weekday, nth] * MINUTES_PER_DAY
            + hour * 60
            + rng.integers(0, 60, len(members))
        )
    return minute


class ViolenceProcess:
    """Generates the region's violent events one month at a time, in order."""

    def __init__(self, region: Region, premises_xy, premises_area, premises_risk, seed, scale):
        self.region = region
        self.seed = seed
        self.scale = scale
        self.weights = area_weights(region)
        self.weights *= 1 / (self.weights * region.population).sum() * region.population.sum()
        self.premises_xy = premises_xy
        self.premises_area = premises_area
        self.premises_risk = premises_risk
        self.weekly = p.weekly_profiles()
        self.carried = Events.empty()
        # Some places report more to the police than others (a hidden truth per authority).
        place_rng = np.random.default_rng([seed, 3])
        self.reporting_factor = place_rng.uniform(0.75, 1.25, size=7)

    def intensity(self, year: int, month: int, month_index: int) -> np.ndarray:
        """Expected background events per small area this month (the ground truth)."""
        seasonal = 1 + p.SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (month - 7) / 12)
        trend = (1 + p.ANNUAL_TREND) ** (month_index / 12)
        factor = self.scale * seasonal * trend
        areas = p.VIOLENCE_RATE * self.region.population / 1000 * self.weights * factor
        premises = np.bincount(
            self.premises_area,
            weights=p.LICENSED_RATE * self.premises_risk * factor,
            minlength=self.region.size,
        )
        return areas + premises

    def month(self, year: int, month: int, month_index: int) -> tuple[Events, np.ndarray]:
        """This month's events (background, carried-over follow-ups and their cascades) and
        the expected background intensity per area."""
        rng = np.random.default_rng([self.seed, 2, year, month])
        seasonal = 1 + p.SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (month - 7) / 12)
        factor = self.scale * seasonal * (1 + p.ANNUAL_TREND) ** (month_index / 12)

        per_area = rng.poisson(
            p.VIOLENCE_RATE * self.region.population / 1000 * self.weights * factor
        )
        area = np.repeat(np.arange(self.region.size, dtype=np.int32), per_area)
        setting = rng.choice(len(p.SETTINGS), size=len(area), p=p.AREA_SETTING_SHARES)
        centre = self.region.centre_xy[area]
        xy = self.region.keep_inside(centre + rng.normal(0, 230, size=(len(area), 2)), centre)
        background = Events(
            sample_times(rng, setting, year, month, self.weekly),
            xy[:, 0],
            xy[:, 1],
            area,
            setting.astype(np.int8),
            np.full(len(area), -1, np.int32),
        )
        per_premises = rng.poisson(p.LICENSED_RATE * self.premises_risk * factor)
        premises = np.repeat(np.arange(len(per_premises), dtype=np.int32), per_premises)
        door = self.premises_xy[premises]
        pxy = self.region.keep_inside(door + rng.normal(0, 12, size=(len(premises), 2)), door)
        licensed_setting = np.full(len(premises), p.LICENSED, np.int8)
        at_premises = Events(
            sample_times(rng, licensed_setting, year, month, self.weekly),
            pxy[:, 0],
            pxy[:, 1],
            self.premises_area[premises],
            licensed_setting,
            premises,
        )
        end = month_start_minute(*next_month(year, month))
        events, carried = self._cascade(rng, [background, at_premises, self.carried], end)
        self.carried = carried
        order = np.argsort(events.minute, kind="stable")
        return events.take(order), self.intensity(year, month, month_index)

    def _cascade(self, rng, parents: list[Events], end: int) -> tuple[Events, Events]:
        this_month, later = list(parents), []
        generation = Events.concat(parents)
        while len(generation):
            children = rng.poisson(p.BRANCHING, size=len(generation))
            child = generation.take(np.repeat(np.arange(len(generation)), children))
            delay_days = rng.geometric(1 / p.FOLLOW_UP_MEAN_DAYS, size=len(child))
            jitter = rng.normal(0, 90, size=len(child)).astype(np.int64)
            child.minute = child.minute + delay_days * MINUTES_PER_DAY + jitter
            parent = np.column_stack([child.x, child.y])
            spread = rng.normal(0, p.FOLLOW_UP_SPREAD_M, size=(len(child), 2))
            moved = self.region.keep_inside(parent + spread, parent)
            child.x, child.y = moved[:, 0], moved[:, 1]
            inside = child.minute < end
            this_month.append(child.take(inside))
            later.append(child.take(~inside))
            generation = child.take(inside)
        return Events.concat(this_month), Events.concat(later) if later else Events.empty()

    def victimisation(self, events: Events, year: int, month: int) -> Victimisation:
        """Victim, weapon, ED attendance and police recording for each event."""
        rng = np.random.default_rng([self.seed, 4, year, month])
        s = events.setting.astype(int)
        n = len(events)
        mean, shape = p.VICTIM_AGE[s], p.VICTIM_AGE_SHAPE[s]
        age = np.clip(np.round(rng.gamma(shape, mean / shape)), 5, 95).astype(int)
        male = rng.random(n) < p.VICTIM_MALE[s]
        young = age < 25
        knife = rng.random(n) < np.where(young, p.KNIFE_CHANCE_YOUNG[s], p.KNIFE_CHANCE_OLDER[s])
        domestic = rng.random(n) < p.DOMESTIC_CHANCE[s]
        ed = rng.random(n) < p.ED_CHANCE[s] * np.where(knife, 2.0, 1.0)
        chance_if_ed = (
            p.POLICE_CHANCE_IF_ED
            * self.reporting_factor[self.region.la_index[events.area]]
            * np.where(knife, 1.5, 1.0)
            * np.where(age < 18, 0.7, 1.0)
        )
        police = rng.random(n) < np.where(ed, chance_if_ed, p.POLICE_CHANCE_OTHERWISE[s])
        cumulative = p.METHOD_SHARES.cumsum(axis=1)[s]
        pick = (rng.random(n)[:, None] > cumulative).sum(axis=1)
        method = np.array(p.METHOD_CODES)[np.minimum(pick, len(p.METHOD_CODES) - 1)]
        method = np.where(knife, "03", method)
        return Victimisation(age, male, knife, domestic, ed, police, method)
