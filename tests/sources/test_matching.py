"""Matching ED location descriptions to licensed premises: normalisation, scores, ties, the
review queue and remembered decisions, and precision and recall against the demo truth."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from observatory.demo.generate import generate
from observatory.lake import venues
from observatory.lake.pipelines import import_geography, import_paths
from observatory.lake.store import Lake
from observatory.sources.base import Context
from observatory.sources.istv import Istv
from observatory.sources.matching import AUTO, NONE, REVIEW, PremisesIndex, normalise
from observatory.sources.premises import Premises
from observatory.sources.privacy import Pseudonymiser

from .conftest import FIXTURES, KEY, import_one


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("o/s the Red Lion (pub)", "red lion"),
        ("OUTSIDE THE RED LION PUB", "red lion"),
        ("outsside the red lion", "red lion"),  # a slip in "outside"
        ("In Hare n Hounds beer garden", "hare and hounds"),
        ("The Hare & Hounds", "hare and hounds"),
        ("club neon smoking area", "neon"),
        ("Neon Nightclub", "neon"),
        ("nr king's head broad st", "kings head broad street"),
        ("St Mary's Tavern", "st marys tavern"),
        ("outside 45 hagley rd", "hagley road"),
        ("spoons", "wetherspoon"),
        ("town centre pub", ""),
        ("in a bar", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(text, key):
    assert normalise(text) == key


@pytest.fixture
def index() -> PremisesIndex:
    return PremisesIndex(
        ["L1", "L2", "L3", "L4", "L5"],
        ["The Red Lion", "The Crown", "The Crown", "Bar Risa", "The Golden Dragon"],
        ["1 Broad Street, Birmingham", "4 Hagley Road, Birmingham", "9 High Street, Dudley",
         "5 Hurst Street, Birmingham", "3 Station Road, Walsall"],
        [(0.0, 0.0), (1000.0, 0.0), (9000.0, 0.0), (0.0, 500.0), (5000.0, 5000.0)],
    )  # fmt: skip


def test_exact_and_misspelt_names_are_matched(index):
    texts = ("at the red lion", "red loin", "risa", "golden dargon", "red lion inn")
    matches = index.match([normalise(t) for t in texts])
    assert [(m.status, m.licence_number) for m in matches] == [
        (AUTO, "L1"),
        (AUTO, "L1"),
        (AUTO, "L4"),
        (AUTO, "L5"),
        (REVIEW, "L1"),  # close, not close enough: an analyst looks
    ]
    assert matches[0].score == 100 and [m.score for m in matches[1:]] == [88, 100, 92, 80]


def test_unrelated_or_generic_text_is_not_matched(index):
    matches = index.match([normalise(t) for t in ("home", "bus stop", "pub", "hagley road")])
    assert {m.status for m in matches} == {NONE}


def test_a_shared_name_is_settled_by_street_or_catchment_or_reviewed(index):
    keys = ["crown", "crown hagley road", "crown"]
    catchments = {"EAST": (8000.0, 0.0), "WEST": (500.0, 0.0)}
    matches = index.match(keys, ["X", "X", "EAST"], catchments)
    assert (matches[0].status, matches[0].licence_number) == (REVIEW, None)
    assert {c for c, _ in matches[0].candidates} == {"L2", "L3"}
    assert (matches[1].status, matches[1].licence_number) == (AUTO, "L2")
    assert (matches[2].status, matches[2].licence_number) == (AUTO, "L3")


# --- The lake side: premises_matches, the review queue, decisions --------------------


def test_review_queue_and_decisions_are_remembered(lake, context):
    import_one(FIXTURES / "premises" / "licensed_premises.csv", Premises(), lake, context)
    import_one(FIXTURES / "istv" / "RZA01_2024-03.csv", Istv(), lake, context)
    counts = venues.match_new_descriptions(lake, "tester")
    assert counts == {"auto": 2, "review": 1, "none": 2, "confirmed": 0, "rejected": 0, "new": 5}
    matches = venues.read_matches(lake).sort("location_key")
    assert matches.select("location_key", "status", "licence_number").rows() == [
        ("RZA01|broad street", NONE, None),
        ("RZA01|crown", REVIEW, None),
        ("RZA01|pt says name removed hit him near number removed", NONE, None),
        ("RZA01|red lion", AUTO, "BCC/PL/0001"),
        ("RZA01|risa", AUTO, "BCC/PL/0002"),
    ]
    (waiting,) = venues.review_queue(lake)
    assert waiting["location_key"] == "RZA01|crown" and waiting["attendances"] == 1
    assert {c["licence_number"] for c in waiting["candidates"]} == {"BCC/PL/0003", "BCC/PL/0004"}
    assert waiting["candidates"][0]["premises_name"] == "The Crown"

    venues.decide(lake, "RZA01|crown", "BCC/PL/0004", "analyst")
    venues.decide(lake, "RZA01|red lion", None, "analyst")
    with pytest.raises(KeyError):
        venues.decide(lake, "RZA01|nowhere", None, "analyst")
    with pytest.raises(KeyError):
        venues.decide(lake, "RZA01|risa", "NO/SUCH", "analyst")
    again = venues.match_new_descriptions(lake, "tester")
    assert again == {"auto": 1, "review": 0, "none": 2, "confirmed": 1, "rejected": 1, "new": 0}
    decided = venues.read_matches(lake).filter(pl.col("decided_by") == "analyst")
    assert decided.sort("location_key").select("status", "licence_number").rows() == [
        ("confirmed", "BCC/PL/0004"),
        ("rejected", None),
    ]
    assert venues.review_queue(lake) == []


# --- Precision and recall against the demo truth -------------------------------------

PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.5  # auto-matches only: shared names in one catchment go to review
CANDIDATE_RECALL_FLOOR = 0.95  # the true premises is auto-matched or offered for review


@pytest.fixture(scope="module")
def demo_matches(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=21, months=3, end_month="2025-09", scale=0.5, dirty_rate=0.005)
    lake = Lake.in_data_dir(tmp_path_factory.mktemp("data"))
    context = Context(KEY)
    list(import_geography(out / "geography/small_areas.geojson", None, None, lake, context))
    list(import_paths("premises", [out / "premises/licensed_premises.csv"], lake, context))
    list(import_paths("istv", [out / "health/istv"], lake, context))
    venues.match_new_descriptions(lake, "tester")
    return out, lake


def test_matching_precision_and_recall_on_the_demo(demo_matches, capsys):
    out, lake = demo_matches
    pseudonymiser = Pseudonymiser(KEY)
    with open(out / "truth/ed_premises.csv", newline="") as handle:
        truth = {
            (r["site_code"], pseudonymiser.pseudonym(r["attendance_id"])): r
            for r in csv.DictReader(handle)
        }
    stored = pl.read_parquet(lake.files("istv"))
    keys = {
        text: venues.location_key("", text)[1:]
        for text in stored["assault_location_description"].unique().to_list()
    }
    matches = {row["location_key"]: row for row in venues.read_matches(lake).iter_rows(named=True)}
    auto = correct = named = found = offered = 0
    for site, pseudonym, text in stored.select(
        "site_code", "attendance_pseudonym", "assault_location_description"
    ).iter_rows():
        match = matches.get(f"{site}|{keys[text]}", {})
        true = truth.get((site, pseudonym))
        true_licence = true and true["licence_number"]
        if match.get("status") == AUTO:
            auto += 1
            correct += match["licence_number"] == true_licence
        if true and true["venue_named"] == "Y":
            named += 1
            found += match.get("status") == AUTO and match["licence_number"] == true_licence
            offered += (
                match.get("status") == AUTO and match["licence_number"] == true_licence
            ) or (match.get("status") == REVIEW and true_licence in (match["candidates"] or []))
    precision, recall, candidate_recall = correct / auto, found / named, offered / named
    with capsys.disabled():
        print(
            f"\nvenue matching on the demo: {auto} auto-matched attendances, precision "
            f"{precision:.3f}; {named} name a venue, recall {recall:.3f} (auto), "
            f"{candidate_recall:.3f} (auto or offered for review)"
        )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    assert candidate_recall >= CANDIDATE_RECALL_FLOOR
