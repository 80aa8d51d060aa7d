"""The demo region's free text: deterministic, unique where promised, messy where real."""

import random
import re
import time

import numpy as np
import pytest

from observatory.demo import text

LOCATION_TYPES = (
    "home", "street", "licensed", "school", "workplace", "transport", "other", "unknown",
)  # fmt: skip
PREMISES_TYPES = ("pub", "bar", "nightclub", "off-licence", "restaurant", "late-night takeaway")
UNIQUE_NAMES = [(text.street_names, 60_000), (text.ward_names, 600), (text.area_names, 3_000)]


def rng(seed=0):
    return np.random.default_rng(seed)


def everything(seed):
    """One of every kind of output, drawn from a single generator in a fixed order."""
    g = rng(seed)
    areas = text.area_names(g, 50)
    descriptions = [
        text.messy_location_description(g, kind, venue="The Red Lion", street="Hagley Road")
        for kind in LOCATION_TYPES * 20
    ]
    return {
        "streets": text.street_names(g, 200),
        "wards": text.ward_names(g, 50),
        "areas": areas,
        "venues": text.venue_names(g, list(PREMISES_TYPES) * 10),
        "schools": text.school_names(g, areas, ["primary", "secondary"] * 25),
        "descriptions": descriptions,
        "methods": [text.method_other_description(g) for _ in range(100)],
    }


def test_same_seed_same_text_and_different_seed_different_text():
    first, again, other = everything(7), everything(7), everything(8)
    assert first == again
    for kind in first:
        assert first[kind] != other[kind], kind


def test_only_the_generator_given_is_used():
    random.seed(1)
    np.random.seed(1)
    first = everything(3)
    random.seed(2)
    np.random.seed(2)
    assert everything(3) == first


@pytest.mark.parametrize(("names", "n"), UNIQUE_NAMES)
def test_unique_names_at_full_demo_size(names, n):
    started = time.perf_counter()
    result = names(rng(), n)
    elapsed = time.perf_counter() - started
    assert len(result) == n
    assert len(set(result)) == n
    assert elapsed < 1.5, f"{names.__name__}({n}) took {elapsed:.2f}s"


@pytest.mark.parametrize(("names", "_n"), UNIQUE_NAMES)
def test_every_name_the_word_lists_can_make_is_different(names, _n):
    """Too many is refused with the most there can be; asking for the most gives that many
    different names, so no two word combinations ever make the same name."""
    with pytest.raises(ValueError, match=r"can make 0 to \d+ different") as refused:
        names(rng(), 10_000_000)
    most = int(re.search(r"0 to (\d+)", str(refused.value)).group(1))
    assert most >= 2 * dict(UNIQUE_NAMES)[names], "room to spare at the demo's size"
    assert len(set(names(rng(), most))) == most
    with pytest.raises(ValueError, match="different"):
        names(rng(), most + 1)


@pytest.mark.parametrize(("names", "_n"), UNIQUE_NAMES)
def test_a_negative_count_is_refused_and_zero_is_empty(names, _n):
    with pytest.raises(ValueError, match="different"):
        names(rng(), -1)
    assert names(rng(), 0) == []


def test_street_names_look_like_streets():
    streets = text.street_names(rng(), 5_000)
    suffixes = {street.split()[-1] for street in streets}
    assert {"Road", "Street", "Lane", "Avenue", "Close"} <= suffixes
    assert all(2 <= len(street.split()) <= 4 for street in streets)
    assert all(len(set(street.split())) == len(street.split()) for street in streets)
    # Common suffixes are common: roads outnumber parades.
    assert sum(s.endswith(" Road") for s in streets) > 5 * sum(
        s.endswith(" Parade") for s in streets
    )


def test_venue_names_fit_their_type():
    types = list(PREMISES_TYPES) * 300
    venues = text.venue_names(rng(), types)
    assert len(venues) == len(types)
    pubs = [v for v, t in zip(venues, types, strict=True) if t == "pub"]
    assert sum(v.startswith("The ") for v in pubs) == len(pubs)
    assert len(set(pubs)) < len(pubs), "real registers repeat pub names"
    off_licences = [v for v, t in zip(venues, types, strict=True) if t == "off-licence"]
    shop_words = ("Wine", "Booze", "Off Licence", "Store", "Market", "Local")
    assert all(any(word in v for word in shop_words) for v in off_licences)
    with pytest.raises(ValueError, match="casino"):
        text.venue_names(rng(), ["pub", "casino"])


def test_school_names_contain_their_area():
    areas = text.area_names(rng(), 400) + ["St Mary's"] * 20
    phases = ["primary", "secondary"] * (len(areas) // 2)
    schools = text.school_names(rng(), areas, phases)
    assert all(area in school for area, school in zip(areas, schools, strict=True))
    primaries = [s for s, p in zip(schools, phases, strict=True) if p == "primary"]
    assert all(any(w in s for w in ("Primary", "Infant", "Junior")) for s in primaries)
    with pytest.raises(ValueError, match="nursery"):
        text.school_names(rng(), ["Ashfield"], ["nursery"])
    with pytest.raises(ValueError, match="phases"):
        text.school_names(rng(), ["Ashfield", "Oakwood"], ["primary"])


def test_about_one_description_in_seven_is_blank():
    g = rng()
    descriptions = [
        text.messy_location_description(g, kind, venue="The Red Lion", street="Broad Street")
        for kind in LOCATION_TYPES * 625
    ]
    assert len(descriptions) == 5_000
    assert 0.10 <= descriptions.count("") / 5_000 <= 0.20


@pytest.mark.parametrize(
    ("venue", "word"),
    [
        ("The Red Lion", "lion"),
        ("The Crown & Anchor", "anchor"),
        ("Club Neon", "neon"),
        ("Quickstop Wines", "quickstop"),
        ("The Old Contemptibles", "contemptibles"),
    ],
)
def test_a_licensed_venue_can_be_matched_back(venue, word):
    g = rng()
    descriptions = [
        text.messy_location_description(g, "licensed", venue=venue, street="Hagley Road")
        for _ in range(2_000)
    ]
    named = sum(word in d.lower() for d in descriptions)
    assert named >= 0.6 * len(descriptions)
    assert sum(d == venue for d in descriptions) < 0.5 * len(descriptions), "too tidy"


def test_a_street_can_be_matched_back_but_is_not_always_written_the_same():
    g = rng()
    descriptions = [
        text.messy_location_description(g, "street", street="Hagley Road") for _ in range(2_000)
    ]
    assert sum("hagley" in d.lower() for d in descriptions) >= 0.6 * len(descriptions)
    assert any("rd" in d.lower().split() for d in descriptions)
    assert len(set(descriptions)) > 50


def test_descriptions_without_a_venue_or_street_are_generic():
    g = rng()
    for kind in LOCATION_TYPES:
        descriptions = {text.messy_location_description(g, kind) for _ in range(300)}
        assert len(descriptions) > 5, kind
    with pytest.raises(ValueError, match="garden"):
        text.messy_location_description(g, "garden")


def test_method_other_descriptions_are_mostly_genuine_others():
    g = rng()
    methods = [text.method_other_description(g) for _ in range(5_000)]
    assert 0.05 <= methods.count("") / 5_000 <= 0.15
    miscoded = sum(m.lower() in text._METHOD_MISCODED for m in methods)
    assert 0.03 <= miscoded / 5_000 <= 0.2
    assert any(m != m.lower() for m in methods), "some are typed in capitals"


def test_every_value_is_a_plain_clean_string():
    for values in everything(11).values():
        for value in values:
            assert type(value) is str
            assert value == value.strip()
            assert "\n" not in value and "\r" not in value
