"""The demo partnership's year of training: courses, sessions, bookings, attendance and
feedback, for newcomers to explore the coordinator's pages.

Deterministic (one seeded random generator, dates counted from `today`) and idempotent:
when the demo courses exist nothing is added, so restarting the demo keeps what people did
in it. Past sessions have attendance and feedback; upcoming ones have places left, one is
full with a waitlist, and a consultation group has bookings awaiting approval. Every name
is made up and every e-mail address is at example.org (reserved: it reaches nobody).
Records are written directly, not through the booking rules: no e-mail is sent.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from observatory.web.accounts.models import LocalAuthority
from observatory.web.training.models import Booking, Course, Feedback, Session, organisation_key

SEED = 8
FIRST = [
    "Amara", "Bilal", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hamza", "Imani", "Jonah",
    "Kiran", "Leah", "Mo", "Nadia", "Owen", "Priya", "Quinn", "Rhys", "Sana", "Tom",
    "Uma", "Vik", "Wren", "Yusuf", "Zara",
]  # fmt: skip
LAST = [
    "Ashby", "Brennan", "Chaudhry", "Delaney", "Ekwueme", "Fairbrother", "Gill", "Hollis",
    "Idris", "Jarvis", "Kaur", "Lomax", "Mensah", "Norbury", "Okafor", "Pennant", "Quarry",
    "Rahman", "Stokes", "Thorne",
]  # fmt: skip
ORGANISATIONS = [
    # fictional name, sector, contributor category for consultation groups
    ("Northfield Academy", "education", "large_funded_organisation"),
    ("Canal Side Primary School", "education", "statutory_body"),
    ("Black Country Boxing Club", "sport", "grassroots_or_small_charity"),
    ("Riverside Youth Football", "sport", "grassroots_or_small_charity"),
    ("Children's Services", "social_work", "statutory_body"),
    ("Community Health Trust", "health", "statutory_body"),
    ("Neighbourhood Policing Team", "police", "statutory_body"),
    ("Open Door Youth Project", "youth_work", "grassroots_or_small_charity"),
    ("Streetwise Mentors CIC", "youth_work", "grassroots_or_small_charity"),
    ("Interfaith Youth Forum", "faith", "grassroots_or_small_charity"),
    ("Independent practitioner", "other", "independent_practitioner"),
    ("Lived Experience Panel", "other", "expert_by_experience"),
    ("University research group", "other", "independent_academic"),
]
COURSES = [
    # title, description, audiences, partner, outcomes, every n months, capacity, kind
    (
        "Preventing violence against women and girls: an introduction",
        "A monthly session on recognising and responding to violence against women and girls.",
        [],
        "West Midlands VRP and local specialist services",
        "Recognise the signs of abuse\nRespond safely to a disclosure\nKnow where to refer",
        1,
        50,
        Session.Kind.TRAINING,
    ),
    (
        "Working with young men and boys",
        "Healthy relationships and positive masculinity, for those who work with boys.",
        ["education", "sport", "youth_work", "faith"],
        "Streetwise Mentors CIC",
        "Open conversations about relationships\nChallenge harmful attitudes safely",
        2,
        30,
        Session.Kind.TRAINING,
    ),
    (
        "Trauma-informed practice",
        "Understanding trauma and adverse childhood experiences in everyday work.",
        [],
        "Community Health Trust",
        "Explain how trauma shapes behaviour\nAdapt practice to avoid re-traumatising",
        3,
        25,
        Session.Kind.TRAINING,
    ),
    (
        "Exploitation awareness",
        "Criminal and sexual exploitation of young people: signs, grooming and referral.",
        ["education", "social_work", "police", "youth_work"],
        "West Midlands VRP",
        "Spot the signs of exploitation\nUse the referral pathway",
        2,
        40,
        Session.Kind.TRAINING,
    ),
    (
        "Shaping the strategy: consultation group",
        "A focus group on the partnership's strategy. Eligible contributors are paid for their "
        "time.",
        [],
        "H.O.P.E. community network",
        "Contribute lived and professional experience to the strategy",
        3,
        12,
        Session.Kind.CONSULTATION,
    ),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _people(rng: random.Random) -> list[dict]:
    """A pool of fictional professionals, so some book more than once (and no-show twice)."""
    areas = [*LocalAuthority.objects.all(), None]
    pool = []
    for number in range(400):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        organisation, sector, category = rng.choice(ORGANISATIONS)
        pool.append(
            {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{number}@example.org".lower(),
                "organisation": organisation,
                "organisation_key": organisation_key(organisation),
                "job_role": rng.choice(["Practitioner", "Team leader", "Coach", "Teacher"]),
                "sector": sector,
                "local_authority": rng.choice(areas),
                "young_people": rng.choice([None, *range(30, 1001, 10)]),
                "category": category,
            }
        )
    return pool


def _session(course, kind, capacity, day, rng) -> Session:
    starts = _at(day, rng.choice([10, 13]))
    online = rng.random() < 0.4
    return Session.objects.create(
        course=course,
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2 if kind == Session.Kind.CONSULTATION else 3),
        venue="" if online else rng.choice(["Council House, Birmingham", "Walsall Arena"]),
        online_link="https://meet.example.org/training" if online else "",
        capacity=capacity,
        facilitators=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        booking_opens_at=starts - datetime.timedelta(days=60),
        booking_closes_at=starts - datetime.timedelta(hours=2),
        cancellation_cutoff=starts - datetime.timedelta(days=2),
        requires_approval=kind == Session.Kind.CONSULTATION,
        organisation_cap=2 if kind == Session.Kind.CONSULTATION else None,
        hourly_rate=Decimal("25.00") if kind == Session.Kind.CONSULTATION else None,
    )


def _book(session, person, status, **fields) -> Booking:
    consultation = session.kind == Session.Kind.CONSULTATION
    return Booking(
        session=session,
        name=person["name"],
        email=person["email"],
        organisation=person["organisation"],
        organisation_key=person["organisation_key"],
        job_role=person["job_role"],
        sector=person["sector"],
        local_authority=person["local_authority"],
        young_people=person["young_people"],
        contributor_category=person["category"] if consultation else "",
        status=status,
        **fields,
    )


def _past(session, people, rng) -> tuple[list[Booking], list[tuple[Booking, bool]]]:
    """A finished session: most places booked, most attended, many answered feedback."""
    chosen = rng.sample(people, min(len(people), session.capacity))
    bookings, attended = [], []
    hours = Decimal((session.ends_at - session.starts_at).total_seconds() / 3600)
    for person in chosen[: int(session.capacity * rng.uniform(0.75, 1.0))]:
        if rng.random() < 0.05:
            bookings.append(_book(session, person, Booking.Status.CANCELLED))
            continue
        came = rng.random() < 0.85
        booking = _book(
            session,
            person,
            Booking.Status.CONFIRMED,
            attendance=Booking.Attendance.ATTENDED if came else Booking.Attendance.NO_SHOW,
            hours_attended=hours.quantize(Decimal("0.01"))
            if came and session.kind == Session.Kind.CONSULTATION
            else None,
        )
        bookings.append(booking)
        if came:
            attended.append((booking, rng.random() < 0.6))
    return bookings, attended


def _upcoming(session, people, rng, *, full: bool) -> list[Booking]:
    """A session ahead: some places taken, or (full) every place and a waitlist."""
    taken = session.capacity if full else int(session.capacity * rng.uniform(0.3, 0.7))
    chosen = rng.sample(people, taken + (3 if full else 0))
    pending = session.kind == Session.Kind.CONSULTATION
    bookings = [
        _book(
            session,
            person,
            Booking.Status.PENDING_APPROVAL if pending and i % 3 == 0 else Booking.Status.CONFIRMED,
        )
        for i, person in enumerate(chosen[:taken])
    ]
    bookings += [_book(session, p, Booking.Status.WAITLISTED) for p in chosen[taken:]]
    return bookings


@transaction.atomic
def ensure_demo_training(today: datetime.date | None = None) -> bool:
    """Add the demo year of training unless its courses exist; True when it was added."""
    if Course.objects.filter(title=COURSES[0][0]).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    people = _people(rng)
    for number, (
        title,
        description,
        audiences,
        partner,
        outcomes,
        every,
        capacity,
        kind,
    ) in enumerate(COURSES):
        course = Course.objects.create(
            title=title,
            description=description,
            audiences=audiences,
            delivery_partner=partner,
            learning_outcomes=outcomes,
        )
        for months_back in range(12 - number % every, -3, -every):
            day = today - datetime.timedelta(days=30 * months_back - 3 * number)
            session = _session(course, kind, capacity, day, rng)
            if day < today:
                bookings, attended = _past(session, people, rng)
                Booking.objects.bulk_create(bookings)
                Feedback.objects.bulk_create(
                    _feedback(booking, rng) for booking, answered in attended if answered
                )
            else:
                full = title == "Exploitation awareness" and months_back in (0, -1, -2)
                Booking.objects.bulk_create(_upcoming(session, people, rng, full=full))
    return True


def _feedback(booking: Booking, rng: random.Random) -> Feedback:
    before = rng.choice([1, 2, 2, 3, 3, 3, 4])
    after = min(5, before + rng.choice([0, 1, 1, 1, 2, 2]))
    return Feedback(
        booking=booking,
        confidence_before=before,
        confidence_after=after,
        most_useful=rng.choice(["The case studies", "Hearing from survivors", "Referral routes"]),
        improve=rng.choice(["", "More time for questions", "Shorter breaks"]),
    )
