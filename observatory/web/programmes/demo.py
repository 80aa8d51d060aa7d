"""The demo partnership's commissioned programmes, their providers, and a few years of
quarterly returns, so that `observatory demo start` shows a populated register, returns
workflow and commissioning dashboard.

The programmes are modelled on what the West Midlands VRP commissions (A&E navigators in the
region's hospitals, Step Together chaperone routes, sport, mentoring, CBT, resettlement,
custody navigators, focused deterrence, faith-community and VAWG work); the providers and
every person named in a case study or a comment are fictional.

Dates are relative to `today`: programmes run over the last three financial years, some have
ended, most are active and two are planned. The returns of each ended quarter are mostly
accepted; some are submitted and await review, a few are queried with a thread, some are
missing (late), and the latest quarter has drafts. The demo provider (demo-provider, Walsall
Street Sport CIC) owns three programmes: one with a return due now and not started, one with
a queried return, and one whose returns were all accepted.

Everything is deterministic (a random stream seeded by each programme's name) and
idempotent: a programme that already exists, with its returns, is left alone, so a second
`observatory demo start` changes nothing. Rows are written with bulk_create; accepted and
submitted returns always pass `returns.check`.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from observatory.errors import ObservatoryError
from observatory.web.accounts.models import LocalAuthority, Organisation, User
from observatory.web.programmes import categories
from observatory.web.programmes.models import (
    Approach,
    FundingSource,
    Outcome,
    Programme,
    QuarterlyReturn,
    ReturnBreakdown,
    ReturnComment,
    ReturnOutcome,
)
from observatory.web.programmes.quarters import Quarter, current_financial_year, quarters_between

LEAD_USERNAME = "demo-admin"
PROVIDER_USERNAME = "demo-provider"
DEMO_PROVIDER = "Walsall Street Sport CIC"

BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL = "E08000025", "E08000026", "E08000027", "E08000028"
SOLIHULL, WALSALL, WOLVERHAMPTON = "E08000029", "E08000030", "E08000031"
TENTH = Decimal("0.1")
REGION = [BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL, SOLIHULL, WALSALL, WOLVERHAMPTON]

Kind = Organisation.Kind
Workstream = Programme.Workstream
Commissioner = Programme.Commissioner
Status = QuarterlyReturn.Status

# Providers the programmes below need, besides the demo organisations of accounts/demo.py.
PROVIDERS = [
    # name, kind, home local authority
    ("Midlands Hospital Youth Work Service", Kind.VOLUNTARY, BIRMINGHAM),
    ("Safe Passage Youth Work CIC", Kind.VOLUNTARY, BIRMINGHAM),
    ("Precious Futures Mentors CIC", Kind.VOLUNTARY, BIRMINGHAM),
    ("Midlands Youth Psychology Service", Kind.HEALTH, SANDWELL),
    ("Second Chance Resettlement Trust", Kind.VOLUNTARY, WOLVERHAMPTON),
    ("Custody Youth Link CIC", Kind.VOLUNTARY, BIRMINGHAM),
    ("Faith Together West Midlands", Kind.VOLUNTARY, COVENTRY),
    ("Dudley Community Voices", Kind.VOLUNTARY, DUDLEY),
    ("Safer Futures Women's Network", Kind.VOLUNTARY, SANDWELL),
    ("Bystander Schools Network", Kind.VOLUNTARY, WALSALL),
    ("Solihull Early Years Trust", Kind.VOLUNTARY, SOLIHULL),
    ("Black Country Youth Justice Partnership", Kind.YOUTH_JUSTICE, WOLVERHAMPTON),
    ("Dudley Detached Youth Project", Kind.VOLUNTARY, DUDLEY),
    ("Midlands Trauma-Informed Practice Collective", Kind.VOLUNTARY, SOLIHULL),
]

# How each approach delivers: sessions per participant in a quarter, hours per session,
# the share of participants new each quarter, and where referrals come from.
DELIVERY = {
    "A&E navigators": (
        2.5,
        1.0,
        0.85,
        {"ed": 80, "health": 8, "police": 5, "self": 4, "family": 3},
    ),
    "Safe routes (chaperones)": (0.15, 1.5, 0.3, {"school": 90, "self": 10}),
    "Sport": (
        0.4,
        2.0,
        0.4,
        {"self": 40, "school": 25, "family": 15, "youth_justice": 10, "police": 5},
    ),
    "Mentoring": (
        4,
        1.0,
        0.4,
        {"school": 40, "social_care": 20, "youth_justice": 15, "police": 10, "family": 10},
    ),
    "Cognitive behavioural therapy (CBT)": (
        6,
        1.0,
        0.5,
        {"health": 35, "school": 25, "youth_justice": 20, "social_care": 20},
    ),
    "Resettlement support": (5, 1.5, 0.35, {"youth_justice": 40, "other": 50, "police": 10}),
    "Custody navigators": (1.5, 1.0, 0.8, {"police": 85, "youth_justice": 10, "other": 5}),
    "Focused deterrence": (3, 1.0, 0.3, {"police": 80, "youth_justice": 15, "other": 5}),
    "Parenting support": (3, 1.5, 0.4, {"social_care": 40, "school": 30, "self": 30}),
    "Detached youth work": (0.3, 3.0, 0.5, {"self": 70, "school": 15, "police": 10, "other": 5}),
    "Trauma-informed training": (0.2, 3.0, 0.9, {"other": 60, "school": 25, "health": 15}),
    "Bystander programmes": (0.05, 1.0, 0.7, {"school": 100}),
}

# The outcomes each approach counts (names from the Outcome list of migration 0004).
OUTCOMES = {
    "A&E navigators": ["Safety plan in place", "Reduced risk, as assessed by the keyworker"],
    "Custody navigators": [
        "No further arrest reported in the quarter",
        "Reduced risk, as assessed by the keyworker",
    ],
    "Focused deterrence": [
        "No further arrest reported in the quarter",
        "Re-engaged in education, employment or training",
    ],
    "Resettlement support": [
        "Re-engaged in education, employment or training",
        "No further arrest reported in the quarter",
    ],
    "Cognitive behavioural therapy (CBT)": ["Improved wellbeing score"],
    "Mentoring": [
        "Re-engaged in education, employment or training",
        "Moved on to positive activities",
        "Exited exploitation",
    ],
    "Sport": ["Moved on to positive activities", "Improved wellbeing score"],
    "Detached youth work": ["Moved on to positive activities", "Safety plan in place"],
    "Parenting support": ["Safety plan in place", "Improved wellbeing score"],
}

# Participants by sex (percent); VAWG programmes work mostly with women and girls.
SEX_SHARES = {"male": 60, "female": 38, "other": 1, categories.NOT_KNOWN: 1}
VAWG_SEX_SHARES = {"male": 10, "female": 86, "other": 2, categories.NOT_KNOWN: 2}
# Roughly the West Midlands' young people by ONS 2021 high-level ethnic group (percent).
ETHNICITY_SHARES = {
    "white": 55,
    "asian": 25,
    "black": 10,
    "mixed": 6,
    "other": 2,
    categories.NOT_KNOWN: 2,
}


@dataclass(frozen=True)
class Spec:
    """One demo programme. Start and end are (financial year offset from the current one,
    quarter number): (-1, 3) is October to December of the last financial year. `plan` fixes
    the status of the newest ended quarters' returns, newest first ("none": no return)."""

    name: str
    provider: str
    workstream: str
    commissioner: str
    funder: str
    approach: str
    areas: list[str]
    start: tuple[int, int]
    end: tuple[int, int]
    amount: int
    reach: int
    ages: tuple[int, int]
    needs: str
    description: str
    places: str = ""
    trained: int = 0
    plan: tuple[str, ...] = ()
    older_accepted: bool = False


# Funding sources (names from migration 0002).
HOME_OFFICE = "Home Office core grant"
SAFER_STREETS = "Safer Streets"
SPORT_FUND = "Youth Justice Sport Fund"
YEF = "Youth Endowment Fund"
PCC = "Police and Crime Commissioner"
LOCAL = "Local authority"
NHS = "NHS"
HOSPITALS = "Midlands Hospital Youth Work Service"

SPECS = [
    Spec(
        "A&E navigators: Birmingham Heartlands Hospital",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "A&E navigators",
        [BIRMINGHAM, SOLIHULL],
        (-2, 1),
        (0, 4),
        180_000,
        55,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "Youth workers based in the emergency department meet young people at a reachable "
        "moment and support them for up to twelve weeks after they leave hospital.",
        "Birmingham Heartlands Hospital emergency department",
        trained=35,
    ),
    Spec(
        "A&E navigators: Queen Elizabeth Hospital Birmingham",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "A&E navigators",
        [BIRMINGHAM],
        (-2, 1),
        (0, 4),
        165_000,
        50,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "Youth workers in the emergency department and the major trauma centre.",
        "Queen Elizabeth Hospital Birmingham",
        trained=30,
    ),
    Spec(
        "A&E navigators: University Hospital Coventry",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "A&E navigators",
        [COVENTRY],
        (-2, 1),
        (0, 4),
        120_000,
        35,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "Youth workers in the emergency department, with follow-up in the community.",
        "University Hospital Coventry",
        trained=20,
    ),
    Spec(
        "A&E navigators: New Cross Hospital Wolverhampton",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "A&E navigators",
        [WOLVERHAMPTON],
        (-1, 1),
        (1, 4),
        110_000,
        30,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "Youth workers in the emergency department.",
        "New Cross Hospital",
        trained=20,
        plan=("draft",),
    ),
    Spec(
        "A&E navigators: Walsall Manor Hospital",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "A&E navigators",
        [WALSALL],
        (-2, 1),
        (-1, 4),
        95_000,
        25,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "Youth workers in the emergency department (pilot year).",
        "Walsall Manor Hospital",
        trained=15,
    ),
    Spec(
        "A&E navigators: Sandwell and Russells Hall hospitals",
        HOSPITALS,
        Workstream.HEALTH,
        Commissioner.VRP,
        NHS,
        "A&E navigators",
        [SANDWELL, DUDLEY],
        (-1, 1),
        (1, 4),
        150_000,
        40,
        (10, 25),
        "Young people attending the emergency department after violence or exploitation",
        "One team of youth workers across two emergency departments.",
        "Sandwell General Hospital; Russells Hall Hospital",
        trained=25,
    ),
    Spec(
        "Step Together safe routes: Birmingham",
        "Safe Passage Youth Work CIC",
        Workstream.EDUCATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Safe routes (chaperones)",
        [BIRMINGHAM],
        (-2, 3),
        (0, 4),
        420_000,
        900,
        (11, 16),
        "Children walking to and from school through areas affected by violence",
        "Trained chaperones (detached youth workers) stand at school gates and walk set "
        "routes home with children, de-escalating conflict and linking children to support.",
        "14 routes from secondary schools in north and east Birmingham",
    ),
    Spec(
        "Step Together safe routes: Sandwell and Wolverhampton",
        "Safe Passage Youth Work CIC",
        Workstream.EDUCATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Safe routes (chaperones)",
        [SANDWELL, WOLVERHAMPTON],
        (-1, 3),
        (0, 4),
        260_000,
        500,
        (11, 16),
        "Children walking to and from school through areas affected by violence",
        "Chaperone routes from secondary schools, planned from incident data.",
        "12 routes in West Bromwich, Smethwick and Whitmore Reans",
        plan=("submitted",),
    ),
    Spec(
        "Friday Night Football",
        DEMO_PROVIDER,
        Workstream.SPORT,
        Commissioner.VRP,
        SPORT_FUND,
        "Sport",
        [WALSALL],
        (-1, 1),
        (1, 4),
        48_000,
        60,
        (10, 17),
        "Young people at risk of exclusion or of being drawn into violence",
        "Free Friday-evening football with detached youth workers, when and where violence peaks.",
        "Darlaston and Bloxwich",
        plan=("none",),
        older_accepted=True,
    ),
    Spec(
        "Boxing and mentoring: Darlaston and Bloxwich",
        DEMO_PROVIDER,
        Workstream.SPORT,
        Commissioner.PCC,
        PCC,
        "Sport",
        [WALSALL],
        (-1, 3),
        (1, 2),
        36_000,
        25,
        (12, 18),
        "Young people known to youth justice or at risk of exploitation",
        "Weekly boxing sessions with a mentor for each young person.",
        "Darlaston boxing club",
        plan=("queried",),
        older_accepted=True,
    ),
    Spec(
        "Holiday activities and sport: Walsall",
        DEMO_PROVIDER,
        Workstream.SPORT,
        Commissioner.VRP,
        SPORT_FUND,
        "Sport",
        [WALSALL],
        (-2, 1),
        (-1, 4),
        22_000,
        120,
        (8, 16),
        "Children and young people in areas with few free activities",
        "Holiday sport camps and weekend sessions in parks.",
        older_accepted=True,
    ),
    Spec(
        "Youth mentoring: Coventry",
        "Coventry Youth Mentoring Trust",
        Workstream.EDUCATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Mentoring",
        [COVENTRY],
        (-2, 1),
        (0, 4),
        210_000,
        45,
        (10, 18),
        "Young people at risk of exclusion or exploitation",
        "One-to-one mentoring for up to a year, in school and in the community.",
        plan=("submitted", "submitted"),
    ),
    Spec(
        "Lived-experience mentoring in Birmingham schools",
        "Precious Futures Mentors CIC",
        Workstream.EDUCATION,
        Commissioner.VRP,
        YEF,
        "Mentoring",
        [BIRMINGHAM],
        (-1, 1),
        (0, 4),
        140_000,
        40,
        (11, 16),
        "Pupils at risk of permanent exclusion",
        "Mentors with lived experience of violence work with pupils referred by schools.",
    ),
    Spec(
        "CBT counselling for young people at risk",
        "Midlands Youth Psychology Service",
        Workstream.HEALTH,
        Commissioner.VRP,
        HOME_OFFICE,
        "Cognitive behavioural therapy (CBT)",
        [BIRMINGHAM, SANDWELL, DUDLEY],
        (-2, 3),
        (1, 2),
        230_000,
        35,
        (10, 18),
        "Young people with trauma or anxiety linked to violence",
        "Up to twelve sessions of CBT-based counselling each.",
    ),
    Spec(
        "Therapeutic service for young people in youth justice",
        "Midlands Youth Psychology Service",
        Workstream.HEALTH,
        Commissioner.VRP,
        NHS,
        "Cognitive behavioural therapy (CBT)",
        [WOLVERHAMPTON, WALSALL],
        (-1, 3),
        (1, 1),
        90_000,
        20,
        (12, 18),
        "Young people under youth justice teams or in alternative education",
        "CBT-based therapy with clinical supervision for the workers around the young person.",
        trained=8,
    ),
    Spec(
        "Resettlement support for young adults leaving custody",
        "Second Chance Resettlement Trust",
        Workstream.CRIMINAL_JUSTICE,
        Commissioner.PCC,
        PCC,
        "Resettlement support",
        [BIRMINGHAM, COVENTRY, WOLVERHAMPTON],
        (-2, 1),
        (0, 4),
        310_000,
        30,
        (16, 30),
        "Young people and young adults associated with serious violence, leaving custody",
        "Through-the-gate support: housing, education and work, and thinking and behaviour "
        "workbooks, from before release to six months after.",
    ),
    Spec(
        "Custody navigators: Birmingham custody suites",
        "Custody Youth Link CIC",
        Workstream.CRIMINAL_JUSTICE,
        Commissioner.PCC,
        PCC,
        "Custody navigators",
        [BIRMINGHAM],
        (-1, 2),
        (1, 1),
        125_000,
        70,
        (10, 25),
        "Young people arrested for violence or weapon offences",
        "A youth worker with lived experience meets young people in police custody.",
        "Perry Barr and Birmingham central custody suites",
        plan=("accepted", "queried"),
    ),
    Spec(
        "Community Initiative to Reduce Violence: Coventry",
        "West Midlands Police",
        Workstream.CRIMINAL_JUSTICE,
        Commissioner.VRP,
        HOME_OFFICE,
        "Focused deterrence",
        [COVENTRY],
        (-1, 1),
        (1, 4),
        480_000,
        40,
        (14, 25),
        "Young people in groups involved in serious violence",
        "Focused deterrence: a clear message from police and community, with an offer of "
        "support to every young person.",
    ),
    Spec(
        "Community Initiative to Reduce Violence: Wolverhampton",
        "West Midlands Police",
        Workstream.CRIMINAL_JUSTICE,
        Commissioner.VRP,
        HOME_OFFICE,
        "Focused deterrence",
        [WOLVERHAMPTON],
        (-1, 1),
        (1, 4),
        450_000,
        35,
        (14, 25),
        "Young people in groups involved in serious violence",
        "Focused deterrence with a support offer, evaluated as a national pilot site.",
        plan=("none", "none"),
    ),
    Spec(
        "Families affected by parental imprisonment",
        "Birmingham City Council",
        Workstream.CRIMINAL_JUSTICE,
        Commissioner.VRP,
        LOCAL,
        "Parenting support",
        [BIRMINGHAM],
        (-2, 3),
        (-1, 4),
        60_000,
        12,
        (5, 17),
        "Children and families affected by a parent's imprisonment",
        "Family support workers in north-east Birmingham.",
        "North-east Birmingham",
    ),
    Spec(
        "Faith Alliance safe spaces",
        "Faith Together West Midlands",
        Workstream.FAITH,
        Commissioner.VRP,
        HOME_OFFICE,
        "Detached youth work",
        [BIRMINGHAM, SANDWELL, COVENTRY],
        (-1, 1),
        (0, 4),
        75_000,
        80,
        (10, 24),
        "Young people in neighbourhoods affected by violence",
        "Places of worship open as safe spaces with youth workers on weekday evenings.",
    ),
    Spec(
        "Community Champions and parent-led forum",
        "Dudley Community Voices",
        Workstream.FAITH,
        Commissioner.PCC,
        SAFER_STREETS,
        "Parenting support",
        [DUDLEY],
        (-2, 1),
        (-1, 4),
        40_000,
        50,
        (16, 65),
        "Parents, carers and residents who want to help prevent violence",
        "Training and small grants for community champions; a monthly parents' forum.",
    ),
    Spec(
        "Preventing violence against women and girls: training for professionals",
        "Safer Futures Women's Network",
        Workstream.VAWG,
        Commissioner.VRP,
        HOME_OFFICE,
        "Trauma-informed training",
        REGION,
        (-1, 3),
        (1, 2),
        85_000,
        20,
        (18, 65),
        "Frontline professionals in schools, health and youth services",
        "Monthly training on recognising and responding to violence against women and girls.",
        trained=150,
    ),
    Spec(
        "Mentors in Violence Prevention in secondary schools",
        "Bystander Schools Network",
        Workstream.VAWG,
        Commissioner.VRP,
        HOME_OFFICE,
        "Bystander programmes",
        [SANDWELL, WALSALL, WOLVERHAMPTON],
        (-2, 1),
        (0, 4),
        190_000,
        400,
        (11, 18),
        "Secondary-school pupils",
        "Peer mentors trained to challenge harmful attitudes and behaviour as bystanders.",
        trained=40,
    ),
    Spec(
        "Helping Hands: protective behaviours in nurseries",
        "Solihull Early Years Trust",
        Workstream.EDUCATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Parenting support",
        [COVENTRY, SOLIHULL],
        (-1, 1),
        (0, 4),
        70_000,
        250,
        (3, 7),
        "Nursery children and their families",
        "Personal safety and healthy friendships for nursery children; domestic abuse "
        "training for nursery staff.",
        trained=30,
    ),
    Spec(
        "Outreach for young women at risk of exploitation",
        "Safer Futures Women's Network",
        Workstream.EXPLOITATION,
        Commissioner.PCC,
        SAFER_STREETS,
        "Detached youth work",
        [BIRMINGHAM, WALSALL],
        (-1, 2),
        (1, 1),
        95_000,
        30,
        (13, 24),
        "Young women and girls at risk of or experiencing exploitation",
        "Outreach and one-to-one support from female youth workers.",
    ),
    Spec(
        "Tackling exploitation navigators in the missing hubs",
        "Black Country Youth Justice Partnership",
        Workstream.EXPLOITATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Mentoring",
        REGION,
        (-2, 1),
        (0, 4),
        130_000,
        45,
        (10, 17),
        "Children reported missing who are at risk of criminal exploitation",
        "Navigators in the seven exploitation and missing hubs work with children after "
        "return-home interviews.",
    ),
    Spec(
        "Detached youth work: summer violence response",
        "Dudley Detached Youth Project",
        Workstream.PLACE,
        Commissioner.PCC,
        SAFER_STREETS,
        "Detached youth work",
        [DUDLEY, SANDWELL],
        (-1, 1),
        (0, 4),
        65_000,
        150,
        (11, 21),
        "Young people gathering in parks and town centres",
        "Detached youth workers in hot-spot locations, extended over the summer.",
    ),
    Spec(
        "Place-based pilot: three estates",
        "Birmingham City Council",
        Workstream.PLACE,
        Commissioner.VRP,
        LOCAL,
        "Detached youth work",
        [BIRMINGHAM],
        (-2, 1),
        (-1, 4),
        200_000,
        110,
        (10, 24),
        "Young people and residents of three estates affected by violence",
        "Community-led action groups, safe spaces and youth work on three estates.",
        "Three estates in north and south Birmingham",
    ),
    Spec(
        "Trauma-informed practice in schools",
        "Midlands Trauma-Informed Practice Collective",
        Workstream.EDUCATION,
        Commissioner.VRP,
        YEF,
        "Trauma-informed training",
        REGION,
        (0, 1),
        (1, 4),
        55_000,
        60,
        (11, 16),
        "School staff and pupils after incidents of serious violence",
        "Whole-school trauma-informed training and support after serious incidents.",
        trained=90,
    ),
    Spec(
        "Knives virtual reality curriculum in primary schools",
        "Precious Futures Mentors CIC",
        Workstream.EDUCATION,
        Commissioner.VRP,
        HOME_OFFICE,
        "Bystander programmes",
        [BIRMINGHAM],
        (1, 1),
        (2, 4),
        80_000,
        200,
        (9, 11),
        "Primary-school pupils in years 5 and 6",
        "A curriculum around the Knives virtual reality experience, piloted in one school.",
    ),
    Spec(
        "Whole-college wellbeing pilot in further education",
        "Midlands Youth Psychology Service",
        Workstream.HEALTH,
        Commissioner.VRP,
        NHS,
        "Cognitive behavioural therapy (CBT)",
        [COVENTRY, SOLIHULL],
        (1, 2),
        (2, 1),
        120_000,
        60,
        (16, 19),
        "Further-education students",
        "An intensive whole-college approach to mental health and violence prevention.",
    ),
]

CASE_STUDIES = [
    "J (not his real name), 14, was referred after being threatened outside school. His "
    "worker met him weekly, helped his family talk to the school about a safer route home, "
    "and introduced him to an evening sports club. He now attends every week and his "
    "attendance at school has risen.",
    "A young woman, 17, came to us after a friend was assaulted. She was worried about "
    "going out at all. Over eight sessions she made a safety plan, returned to college and "
    "now volunteers as a peer mentor.",
    "K, 16, had been excluded twice. His mentor worked with him and his mother on what "
    "sets off his anger. He has had no further fixed-term exclusion this term and has "
    "applied for a construction course.",
    "After a stabbing near the estate, our workers held drop-in sessions every evening for "
    "two weeks. Twenty young people used them; four were referred on for bereavement "
    "support.",
    "S, 19, left custody with nowhere to live. We found him supported housing on the day of "
    "release, went with him to his probation appointments and to a job fair. He has started "
    "an apprenticeship.",
]

QUERIES = [
    "Reach is well below what we expected this quarter: was there a gap in delivery?",
    "The age bands show several people aged 25 and over, but the programme works with young "
    "people: can you check the ages?",
    "Can you say more about the onward referrals: which services did young people go to?",
    "The hours delivered look high for the number of sessions: can you check them?",
]
ANSWERS = [
    "Two sessions were cancelled when our venue closed for repairs; we have booked extra "
    "sessions next quarter.",
    "Those were parents who came to the sessions with their children; we have taken them out "
    "and resubmitted.",
    "Mostly to CAMHS and the local youth offer; a few to housing support.",
]
# Providers' staff who write in threads (fictional): the demo provider's is demo-provider.
STAFF_NAMES = ["Amira Khan", "Dan Okafor", "Helen Price", "Marcus Bell", "Priya Shah"]


@dataclass
class _Returns:
    """The rows of one programme's returns, before they are written."""

    returns: list[QuarterlyReturn] = field(default_factory=list)
    breakdowns: list[tuple[int, str, str, int]] = field(default_factory=list)
    outcomes: list[tuple[int, str, int]] = field(default_factory=list)
    # (return index, when, author, author name, status after, text)
    comments: list[tuple] = field(default_factory=list)


def ensure_demo_programmes(today: datetime.date | None = None) -> int:
    """Create the demo programmes that do not exist yet, their providers and their returns;
    return how many programmes were created (0 when the demo already has them all).

    Needs the demo accounts (accounts.demo.ensure_demo_accounts): demo-admin is the lead who
    queries and accepts, demo-provider answers for Walsall Street Sport CIC."""
    today = today or timezone.localdate()
    with transaction.atomic():
        users = User.objects.in_bulk([LEAD_USERNAME, PROVIDER_USERNAME], field_name="username")
        if len(users) < 2:
            raise ObservatoryError("Create the demo accounts before the demo programmes.")
        organisations = _ensure_providers()
        existing = set(Programme.objects.values_list("name", "provider__name"))
        new_specs = [spec for spec in SPECS if (spec.name, spec.provider) not in existing]
        if not new_specs:
            return 0
        programmes = _create_programmes(new_specs, organisations, today)
        _create_returns(new_specs, programmes, users, today)
    return len(new_specs)


def _ensure_providers() -> dict[str, Organisation]:
    areas = LocalAuthority.objects.in_bulk(field_name="code")
    for name, kind, area in PROVIDERS:
        Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "local_authority": areas[area]}
        )
    names = {spec.provider for spec in SPECS}
    return Organisation.objects.in_bulk(list(names), field_name="name")


def _quarter(year: int, number: int) -> Quarter:
    """Quarter `number` (1 to 4) of the financial year starting in April of `year`."""
    month = (4, 7, 10, 1)[number - 1]
    return Quarter(datetime.date(year + (number == 4), month, 1))


def _status_of(start: datetime.date, end: datetime.date, today: datetime.date) -> str:
    if start > today:
        return Programme.Status.PLANNED
    return Programme.Status.ENDED if end < today else Programme.Status.ACTIVE


def _create_programmes(specs, organisations, today) -> dict[str, Programme]:
    year = current_financial_year(today)
    funders = FundingSource.objects.in_bulk(field_name="name")
    approaches = Approach.objects.in_bulk(field_name="name")
    areas = LocalAuthority.objects.in_bulk(field_name="code")
    programmes = []
    for spec in specs:
        start = _quarter(year + spec.start[0], spec.start[1]).start
        end = _quarter(year + spec.end[0], spec.end[1]).end
        programmes.append(
            Programme(
                name=spec.name,
                description=spec.description,
                workstream=spec.workstream,
                commissioner=spec.commissioner,
                funding_source=funders[spec.funder],
                provider=organisations[spec.provider],
                amount=Decimal(spec.amount),
                start_date=start,
                end_date=end,
                places=spec.places,
                min_age=spec.ages[0],
                max_age=spec.ages[1],
                needs=spec.needs,
                approach=approaches[spec.approach],
                status=_status_of(start, end, today),
                expected_quarterly_reach=spec.reach,
            )
        )
    Programme.objects.bulk_create(programmes)
    wanted = {(spec.name, spec.provider) for spec in specs}
    created = {
        programme.name: programme
        for programme in Programme.objects.filter(
            name__in=[name for name, _ in wanted]
        ).select_related("provider")
        if (programme.name, programme.provider.name) in wanted
    }
    served = Programme.local_authorities.through
    served.objects.bulk_create(
        served(programme_id=created[spec.name].pk, localauthority_id=areas[code].pk)
        for spec in specs
        for code in spec.areas
    )
    return created


def _create_returns(specs, programmes, users, today) -> None:
    rows = _Returns()
    for spec in specs:
        _plan_returns(spec, programmes[spec.name], users, today, rows)
    QuarterlyReturn.objects.bulk_create(rows.returns)
    ids = {
        (row.programme_id, row.quarter_start): row.pk
        for row in QuarterlyReturn.objects.filter(
            programme__in=[programme.pk for programme in programmes.values()]
        )
    }
    by_index = [ids[(row.programme_id, row.quarter_start)] for row in rows.returns]
    ReturnBreakdown.objects.bulk_create(
        ReturnBreakdown(
            quarterly_return_id=by_index[index], dimension=dimension, category=category, count=n
        )
        for index, dimension, category, n in rows.breakdowns
    )
    outcomes = Outcome.objects.in_bulk(field_name="name")
    ReturnOutcome.objects.bulk_create(
        ReturnOutcome(quarterly_return_id=by_index[index], outcome=outcomes[name], count=n)
        for index, name, n in rows.outcomes
        if name in outcomes
    )
    comments = ReturnComment.objects.bulk_create(
        ReturnComment(
            quarterly_return_id=by_index[index],
            author=author,
            author_name=author_name,
            status_after=status,
            text=text,
        )
        for index, _, author, author_name, status, text in rows.comments
    )
    # created_at is set on insert; give each message its place in the demo's past.
    for comment, (_, when, *_rest) in zip(comments, rows.comments, strict=True):
        ReturnComment.objects.filter(pk=comment.pk).update(created_at=when)


def _plan_returns(spec, programme, users, today, rows) -> None:
    """Append the returns of every ended quarter of one programme to `rows`."""
    rng = random.Random(spec.name)  # noqa: S311 - reproducible demo data, not a secret
    ended = [q for q in quarters_between(programme.start_date, programme.end_date) if q.end < today]
    now = timezone.now()
    lead = users[LEAD_USERNAME]
    if spec.provider == DEMO_PROVIDER:
        provider_user, provider_name = users[PROVIDER_USERNAME], PROVIDER_USERNAME
    else:
        provider_user, provider_name = None, rng.choice(STAFF_NAMES)
    for age, quarter in enumerate(reversed(ended)):
        status = _status_for(spec, age, quarter, today, rng)
        if status == "none":
            continue
        first = quarter == ended[0]
        figures = _figures(spec, quarter, first, rng)
        submitted = _moment(quarter.end, rng.randint(3, 32), rng, now)
        row = QuarterlyReturn(programme=programme, quarter_start=quarter.start, status=status)
        for name, value in figures["headline"].items():
            setattr(row, name, value)
        if status != Status.DRAFT:
            row.submitted_at, row.submitted_by = submitted, provider_user
        if status == Status.ACCEPTED:
            row.accepted_at = _moment(submitted.date(), rng.randint(2, 20), rng, now)
            row.accepted_by = lead
        index = len(rows.returns)
        rows.returns.append(row)
        if status == Status.DRAFT and rng.random() < 0.5:
            figures["breakdowns"].pop("ethnicity")  # a draft part-way through
        rows.breakdowns.extend(
            (index, dimension, category, n)
            for dimension, counts in figures["breakdowns"].items()
            for category, n in counts.items()
            if n
        )
        rows.outcomes.extend((index, name, n) for name, n in figures["outcomes"].items() if n)
        queried = status == Status.QUERIED or (
            status == Status.ACCEPTED and age <= 4 and rng.random() < 0.08
        )
        if queried:
            asked = _moment(submitted.date(), rng.randint(1, 6), rng, now)
            rows.comments.append(
                (index, asked, lead, LEAD_USERNAME, Status.QUERIED, rng.choice(QUERIES))
            )
            answered = spec.provider != DEMO_PROVIDER and (
                status == Status.ACCEPTED or rng.random() < 0.6
            )
            if answered:
                when = _moment(asked.date(), rng.randint(1, 5), rng, now)
                rows.comments.append(
                    (index, when, provider_user, provider_name, Status.QUERIED, rng.choice(ANSWERS))
                )
            if status == Status.ACCEPTED:
                when = _moment(asked.date(), rng.randint(6, 10), rng, now)
                row.accepted_at = max(row.accepted_at, when)
                rows.comments.append(
                    (index, when, lead, LEAD_USERNAME, Status.ACCEPTED, "Thanks: accepted.")
                )


def _status_for(spec, age, quarter, today, rng) -> str:
    """The status of the return `age` quarters before the newest ended one ("none": no
    return yet, or a late one)."""
    if age < len(spec.plan):
        return spec.plan[age]
    if spec.older_accepted:
        return Status.ACCEPTED
    if age == 0:
        if quarter.due >= today:
            return rng.choices(["none", Status.DRAFT, Status.SUBMITTED], [35, 35, 30])[0]
        return rng.choices(
            [Status.ACCEPTED, Status.SUBMITTED, "none", Status.QUERIED, Status.DRAFT],
            [45, 25, 15, 10, 5],
        )[0]
    if age == 1:
        return rng.choices(
            [Status.ACCEPTED, Status.SUBMITTED, Status.QUERIED, "none"], [75, 12, 8, 5]
        )[0]
    return rng.choices([Status.ACCEPTED, "none"], [96, 4])[0]


def _moment(day: datetime.date, days_later: int, rng, now) -> datetime.datetime:
    """A working-hours moment `days_later` days after `day`, never after `now`."""
    when = datetime.datetime.combine(
        day + datetime.timedelta(days=days_later),
        datetime.time(rng.randint(9, 17), rng.randint(0, 59)),
        tzinfo=timezone.get_current_timezone(),
    )
    return min(when, now - datetime.timedelta(minutes=rng.randint(5, 600)))


def _figures(spec, quarter, first, rng) -> dict:
    """Plausible figures for one quarter: reach near the expected with noise, breakdowns
    that add up to it, delivery and outcomes to match the approach."""
    sessions_each, hours_each, new_share, referral_shares = DELIVERY[spec.approach]
    season = 1.0
    if quarter.number == 2:  # July to September: summer holidays
        season = 1.3 if spec.workstream == Workstream.SPORT else 0.7
        if spec.approach == "Safe routes (chaperones)":
            season = 0.4
    scale = (0.6 if first else 1.0) * season * rng.uniform(0.75, 1.15)
    participants = max(3, round(spec.reach * scale))
    new = participants if first else max(1, round(participants * new_share * rng.uniform(0.8, 1.2)))
    new = min(new, participants)
    sessions = max(1, round(participants * sessions_each * rng.uniform(0.85, 1.15)))
    headline = {
        "participants_new": new,
        "participants_continuing": participants - new,
        "sessions_delivered": sessions,
        "hours_delivered": Decimal(sessions * hours_each * rng.uniform(0.9, 1.2)).quantize(TENTH),
        "professionals_trained": round(spec.trained * rng.uniform(0.7, 1.3)),
        "referrals_onward": round(participants * rng.uniform(0.1, 0.3)),
        "reach_explanation": (
            "Summer holiday sessions drew more young people than a term-time quarter."
            if participants > 1.4 * spec.reach
            else ""
        ),
        "case_study": rng.choice(CASE_STUDIES) if rng.random() < 0.12 else "",
    }
    vawg = spec.workstream == Workstream.VAWG and spec.approach != "Bystander programmes"
    breakdowns = {
        "age_band": _split(participants, _age_shares(*spec.ages), rng),
        "sex": _split(participants, VAWG_SEX_SHARES if vawg else SEX_SHARES, rng),
        "ethnicity": _split(participants, ETHNICITY_SHARES, rng),
        "local_authority": _split(participants, _residence_shares(spec.areas), rng),
        "referral_source": _split(new, referral_shares, rng),
    }
    outcomes = {
        name: round(participants * rng.uniform(0.1, 0.45))
        for name in OUTCOMES.get(spec.approach, [])
    }
    return {"headline": headline, "breakdowns": breakdowns, "outcomes": outcomes}


def _split(total: int, shares: dict[str, float], rng) -> dict[str, int]:
    """`total` people drawn one by one into categories by `shares`: the counts add up to
    `total` exactly and vary like real small numbers do."""
    return dict(Counter(rng.choices(list(shares), list(shares.values()), k=total)))


def _age_shares(youngest: int, oldest: int) -> dict[str, float]:
    """Each age band weighted by the years of the cohort it covers; a few ages not known."""
    bands = {"0-9": (0, 9), "10-14": (10, 14), "15-17": (15, 17), "18-24": (18, 24)}
    bands["25+"] = (25, max(oldest, 25))
    shares = {
        band: max(0, min(high, oldest) - max(low, youngest) + 1)
        for band, (low, high) in bands.items()
    }
    shares[categories.NOT_KNOWN] = 0.03 * sum(shares.values())
    return shares


def _residence_shares(areas: list[str]) -> dict[str, float]:
    """Mostly the programme's own local authorities; a few from elsewhere in the region,
    outside it, or not known."""
    others = [code for code in REGION if code not in areas]
    own = 90 if others else 94
    shares = {code: own / len(areas) for code in areas}
    shares.update({code: 4 / len(others) for code in others})
    shares[categories.OUTSIDE_REGION] = 3
    shares[categories.NOT_KNOWN] = 3
    return shares
