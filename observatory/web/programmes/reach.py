"""Reach: what the partnership's programmes reached in a period, from accepted returns only.

The period is whole financial quarters: a financial year (the default) or a run of quarters
from one to another. A return counts in the period when its quarter does; only **accepted**
returns count (draft, submitted and queried ones are still open to change).

For each programme (`programme_reach`): participants in total, aged 24 and under
(YOUNG_AGE_BANDS), over 24 (ADULT_AGE_BANDS) and age not known (everyone the age breakdown
does not put in a band, so the three always add up to the total); professionals trained,
sessions and hours; the amount for the period, **pro rata** (the programme's amount times the
share of its days, start to end inclusive, that fall in the period); cost per participant
(that amount over participants, none when nobody was reached); and completeness (returns
accepted over returns due: a quarter is due when it lies in the period and the programme's
dates and its due date, Quarter.due, has come).

Totals add contacts up: a person reached by two programmes, or in two quarters of one
programme as a continuing participant, is counted each time (CAVEAT, shown with every total).
Every table is a polars DataFrame of true counts; what leaves the partnership goes through
disclosure control (`public_reach`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from django.db.models import Q, QuerySet

from observatory.analysis.disclosure import Audience, protect
from observatory.errors import ObservatoryError
from observatory.web.accounts.models import LocalAuthority
from observatory.web.programmes.categories import (
    ADULT_AGE_BANDS,
    YOUNG_AGE_BANDS,
    local_authority_categories,
)
from observatory.web.programmes.models import Programme, QuarterlyReturn, ReturnBreakdown
from observatory.web.programmes.quarters import (
    Quarter,
    financial_year_bounds,
    quarters_between,
)

CAVEAT = (
    "Totals count contacts reported by providers; a person reached by two programmes is "
    "counted twice."
)
PRO_RATA = (
    "Amounts for the period are pro rata: each programme's amount times the share of its days "
    "that fall in the period."
)

COUNTS = ["participants", "young", "adults", "age_not_known", "professionals_trained", "sessions"]
SUMMED = [*COUNTS, "hours", "amount", "amount_in_period", "returns_due", "returns_accepted"]
GROUPINGS = {
    "workstream": "Workstream",
    "approach": "Approach",
    "funder": "Funder",
    "provider": "Provider",
}
AGE_GROUPS = {"young": "Aged 24 and under", "adults": "Over 24", "age_not_known": "Age not known"}


@dataclass(frozen=True)
class Period:
    """From the first day of one financial quarter to the last day of another, inclusive."""

    first: Quarter
    last: Quarter

    def __post_init__(self):
        if self.last < self.first:
            raise ObservatoryError(
                f"The period starts ({self.first.label}) after it ends ({self.last.label})."
            )

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """The financial year starting in April of `year` (2025 for 2025-26)."""
        first_day, last_day = financial_year_bounds(year)
        return cls(Quarter(first_day), Quarter.of(last_day))

    @property
    def first_day(self) -> datetime.date:
        return self.first.start

    @property
    def last_day(self) -> datetime.date:
        return self.last.end

    @property
    def quarters(self) -> list[Quarter]:
        return quarters_between(self.first_day, self.last_day)

    @property
    def is_financial_year(self) -> bool:
        return (
            self.first.number == 1
            and self.last == Period.financial_year(self.first.financial_year).last
        )

    @property
    def label(self) -> str:
        """ "2025-26" for a financial year, "2025-26 Q2 to 2026-27 Q1" otherwise."""
        if self.is_financial_year:
            year = self.first.financial_year
            return f"{year}-{(year + 1) % 100:02d}"
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label} to {self.last.label}"

    @property
    def dates(self) -> str:
        """ "1 April 2025 to 31 March 2026"."""
        return f"{_day(self.first_day)} to {_day(self.last_day)}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def parse_year(text: str) -> int:
    """The start year of a financial year written "2025-26"; ObservatoryError otherwise."""
    try:
        return Quarter.parse(f"{(text or '').strip()} Q1").financial_year
    except ObservatoryError:
        raise ObservatoryError(f"{text!r} is not a financial year: write it like 2025-26") from None


def pro_rata(amount: float, start: datetime.date, end: datetime.date, period: Period) -> float:
    """The part of `amount`, spent evenly from `start` to `end` inclusive, that falls in the
    period, to the penny."""
    days = (end - start).days + 1
    overlap = (min(end, period.last_day) - max(start, period.first_day)).days + 1
    if days <= 0 or overlap <= 0:
        return 0.0
    return round(amount * overlap / days, 2)


def programmes_in(programmes: QuerySet, period: Period) -> QuerySet:
    """Those of `programmes` running during the period, or with an accepted return in it."""
    return programmes.filter(
        Q(start_date__lte=period.last_day, end_date__gte=period.first_day)
        | Q(
            returns__status=QuarterlyReturn.Status.ACCEPTED,
            returns__quarter_start__range=(period.first_day, period.last_day),
        )
    ).distinct()


def _accepted(programme_ids, period: Period) -> QuerySet:
    return QuarterlyReturn.objects.filter(
        programme_id__in=programme_ids,
        status=QuarterlyReturn.Status.ACCEPTED,
        quarter_start__range=(period.first_day, period.last_day),
    )


def _nothing_reached() -> dict:
    return dict.fromkeys([*COUNTS, "hours"], 0) | {"quarters": set()}


def _return_rows(programme_ids, period: Period) -> dict[int, dict]:
    """Each programme's summed figures from its accepted returns in the period, and the
    quarters those returns are for."""
    accepted = _accepted(programme_ids, period)
    ages = defaultdict(lambda: {"young": 0, "adults": 0})
    for return_id, category, count in ReturnBreakdown.objects.filter(
        quarterly_return__in=accepted, dimension="age_band"
    ).values_list("quarterly_return_id", "category", "count"):
        if category in YOUNG_AGE_BANDS:
            ages[return_id]["young"] += count
        elif category in ADULT_AGE_BANDS:
            ages[return_id]["adults"] += count
    summed: dict[int, dict] = defaultdict(_nothing_reached)
    for row in accepted.values(
        "id",
        "programme_id",
        "quarter_start",
        "participants_new",
        "participants_continuing",
        "sessions_delivered",
        "hours_delivered",
        "professionals_trained",
    ):
        into = summed[row["programme_id"]]
        participants = row["participants_new"] + row["participants_continuing"]
        age = ages[row["id"]]
        into["participants"] += participants
        into["young"] += age["young"]
        into["adults"] += age["adults"]
        # Never below zero, even for a return whose breakdown over-counts (checks refuse
        # that at submission), so the age groups remain counts.
        into["age_not_known"] += max(participants - age["young"] - age["adults"], 0)
        into["professionals_trained"] += row["professionals_trained"]
        into["sessions"] += row["sessions_delivered"]
        into["hours"] += float(row["hours_delivered"])
        into["quarters"].add(row["quarter_start"])
    return summed


def _due_quarters(programme: Programme, period: Period, today: datetime.date) -> list[Quarter]:
    return [
        quarter
        for quarter in period.quarters
        if quarter.overlaps(programme.start_date, programme.end_date) and quarter.due <= today
    ]


def programme_reach(programmes: QuerySet, period: Period, today: datetime.date) -> pl.DataFrame:
    """One row per programme of `programmes` running in the period (or with an accepted
    return in it): its description, amounts, completeness and reach (module docstring)."""
    chosen = list(
        programmes_in(programmes, period)
        .select_related("provider", "funding_source", "approach")
        .prefetch_related("local_authorities")
        .order_by("name", "provider__name")
    )
    figures = _return_rows([p.pk for p in chosen], period)
    rows = []
    for programme in chosen:
        reached = figures.get(programme.pk) or _nothing_reached()
        due = _due_quarters(programme, period, today)
        accepted_due = sum(1 for quarter in due if quarter.start in reached["quarters"])
        authorities = sorted(programme.local_authorities.all(), key=lambda a: a.name)
        amount_in_period = pro_rata(
            float(programme.amount), programme.start_date, programme.end_date, period
        )
        rows.append(
            {
                "programme_id": programme.pk,
                "programme": programme.name,
                "provider": programme.provider.name,
                "workstream": programme.get_workstream_display(),
                "approach": programme.approach.name,
                "funder": programme.funding_source.name,
                "status": programme.get_status_display(),
                "start_date": programme.start_date,
                "end_date": programme.end_date,
                "local_authorities": "; ".join(a.name for a in authorities),
                "la_codes": [a.code for a in authorities],
                "amount": float(programme.amount),
                "amount_in_period": amount_in_period,
                "returns_due": len(due),
                "returns_accepted": accepted_due,
                **{key: reached[key] for key in [*COUNTS, "hours"]},
            }
        )
    frame = pl.DataFrame(rows, schema=_SCHEMA)
    return _with_ratios(frame)


_SCHEMA = {
    "programme_id": pl.Int64,
    "programme": pl.String,
    "provider": pl.String,
    "workstream": pl.String,
    "approach": pl.String,
    "funder": pl.String,
    "status": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "local_authorities": pl.String,
    "la_codes": pl.List(pl.String),
    "amount": pl.Float64,
    "amount_in_period": pl.Float64,
    "returns_due": pl.Int64,
    "returns_accepted": pl.Int64,
    **dict.fromkeys(COUNTS, pl.Int64),
    "hours": pl.Float64,
}


def _with_ratios(frame: pl.DataFrame) -> pl.DataFrame:
    """Cost per participant and completeness (a share from 0 to 1), null where undefined."""
    return frame.with_columns(
        cost_per_participant=pl.when(pl.col("participants") > 0)
        .then((pl.col("amount_in_period") / pl.col("participants")).round(2))
        .otherwise(None),
        completeness=pl.when(pl.col("returns_due") > 0)
        .then(pl.col("returns_accepted") / pl.col("returns_due"))
        .otherwise(None),
    )


def totals_by(by_programme: pl.DataFrame, column: str) -> pl.DataFrame:
    """`by_programme` (programme_reach) added up by one of GROUPINGS, with the number of
    programmes, cost per participant and completeness of each group, largest reach first."""
    return _with_ratios(
        by_programme.group_by(column)
        .agg(pl.len().alias("programmes"), *[pl.col(c).sum() for c in SUMMED])
        .sort(["participants", column], descending=[True, False])
    )


def overall(by_programme: pl.DataFrame) -> dict:
    """The totals of every column of `totals_by` over all the programmes, as one row."""
    totals = by_programme.select(
        pl.len().alias("programmes"), *[pl.col(c).sum() for c in SUMMED]
    ).cast({c: pl.Int64 for c in ["programmes", *COUNTS, "returns_due", "returns_accepted"]})
    return _with_ratios(totals).row(0, named=True)


def residence(programmes: QuerySet, period: Period) -> pl.DataFrame:
    """Participants by local authority of residence (the returns' breakdown), from the
    accepted returns in the period of `programmes`: code, local authority, participants,
    in the breakdown's category order; authorities with none are listed with 0."""
    ids = programmes_in(programmes, period).values_list("pk", flat=True)
    counts = defaultdict(int)
    for category, count in ReturnBreakdown.objects.filter(
        quarterly_return__in=_accepted(ids, period), dimension="local_authority"
    ).values_list("category", "count"):
        counts[category] += count
    return pl.DataFrame(
        [
            {"code": code, "local_authority": name, "participants": counts[code]}
            for code, name in local_authority_categories()
        ],
        schema={"code": pl.String, "local_authority": pl.String, "participants": pl.Int64},
    )


def served(by_programme: pl.DataFrame) -> pl.DataFrame:
    """For each of the region's local authorities: the programmes serving it and their amount
    for the period. A programme serving several authorities counts in each, so the column of
    amounts adds up to more than the amount spent."""
    exploded = by_programme.select("la_codes", "amount_in_period").explode("la_codes")
    summed = exploded.group_by("la_codes").agg(
        pl.len().alias("programmes"), pl.col("amount_in_period").sum()
    )
    found = {row["la_codes"]: row for row in summed.iter_rows(named=True)}
    return pl.DataFrame(
        [
            {
                "code": code,
                "local_authority": name,
                "programmes": found.get(code, {}).get("programmes", 0),
                "amount_in_period": found.get(code, {}).get("amount_in_period", 0.0),
            }
            for code, name in LocalAuthority.objects.order_by("name").values_list("code", "name")
        ],
        schema={
            "code": pl.String,
            "local_authority": pl.String,
            "programmes": pl.Int64,
            "amount_in_period": pl.Float64,
        },
    )


@dataclass(frozen=True)
class PublicReach:
    """Reach as the public may see it: per programme and in total, participants by age group
    and professionals trained, each a count already through disclosure control (a value, or
    None with a status saying why)."""

    participants: pl.DataFrame  # programme_id (null = all), age_group (null = all ages)
    professionals: pl.DataFrame  # programme_id (null = all)

    def cell(self, programme_id: int | None, age_group: str | None) -> dict:
        """{"participants": value or None, "participants_status": ...} for one cell."""
        return _find(self.participants, programme_id=programme_id, age_group=age_group)

    def trained(self, programme_id: int | None) -> dict:
        return _find(self.professionals, programme_id=programme_id)


def _find(table: pl.DataFrame, **keys) -> dict:
    condition = pl.lit(True)
    for column, value in keys.items():
        condition &= pl.col(column).is_null() if value is None else pl.col(column) == value
    return table.filter(condition).row(0, named=True)


def public_reach(by_programme: pl.DataFrame) -> PublicReach:
    """Protect the programmes' reach for the public: one two-way table of programme by age
    group with every margin (so that secondary suppression sees the age groups add up to
    each programme's total and the programmes to each age group's), and one table of
    professionals trained with its total."""
    ids = by_programme["programme_id"].to_list()
    groups = list(AGE_GROUPS)
    rows = []
    for row in by_programme.iter_rows(named=True):
        rows += [(row["programme_id"], group, row[group]) for group in groups]
        rows.append((row["programme_id"], None, sum(row[group] for group in groups)))
    for group in groups:
        rows.append((None, group, int(by_programme[group].sum())))
    rows.append((None, None, sum(int(by_programme[group].sum()) for group in groups)))
    participants = pl.DataFrame(
        rows,
        schema={"programme_id": pl.Int64, "age_group": pl.String, "participants": pl.Int64},
        orient="row",
    )
    trained = pl.DataFrame(
        {
            "programme_id": [*ids, None],
            "professionals_trained": [
                *by_programme["professionals_trained"].to_list(),
                int(by_programme["professionals_trained"].sum()),
            ],
        },
        schema={"programme_id": pl.Int64, "professionals_trained": pl.Int64},
    )
    return PublicReach(
        protect(
            participants,
            audience=Audience.PUBLIC,
            counts=["participants"],
            dimensions=["programme_id", "age_group"],
        ).table,
        protect(
            trained,
            audience=Audience.PUBLIC,
            counts=["professionals_trained"],
            dimensions=["programme_id"],
        ).table,
    )
