"""Matching what an ED receptionist typed as the assault location to the licensing register.

Pure functions over plain Python values (no lake, no Django); observatory.lake.venues runs
them over the lake's tables and keeps the decisions.

1. `normalise(text)` turns a description or a premises name into a comparable key: lower
   case; `&`, `+` and a lone `n` become `and`; apostrophes vanish and other punctuation is a
   space; common abbreviations are spelt out (`rd` road, `st` street after a word, `o/s`
   outside, `nr` near, `spoons` wetherspoon …); words that say where around the venue or
   what kind of place it is (`outside`, `at`, `in`, `pub on`, `the`, `club`, `bar`, `pub`,
   `car park`, `smoking area` …) are dropped from the ends; house numbers are dropped.
   Premises names go through the same function, so "Club Neon" and "neon" meet.
2. `PremisesIndex(licences, names)` holds the register's distinct normalised names.
   `index.match(keys)` scores each distinct key once: an exact name is 100; otherwise
   rapidfuzz's `ratio` (an edit-distance similarity, 0-100, tolerant of a slipped letter)
   against every name with `cdist`, for the key and for the key with a trailing street
   name removed ("red lion hagley road" is also tried as "red lion"). The best name wins.
3. A name that several premises share ("The Crown") is settled by the street when the
   description names one that fuzzily matches one candidate's address, or by distance when
   the caller gives a point the description is likely near (the ED's catchment) and one
   candidate is clearly nearest; otherwise the match goes to review with every candidate.
4. Status: score >= `Thresholds.high` and one premises -> `auto`; score >= `low` (or an
   unsettled tie) -> `review`; below `low` -> `none`. A key that is only generic words
   ("pub", "in a bar") is `none` without scoring.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

AUTO, REVIEW, NONE = "auto", "review", "none"


@dataclass(frozen=True)
class Thresholds:
    high: float = 88.0  # at or above: matched without asking anyone
    low: float = 80.0  # at or above (and below high): an analyst decides
    margin: float = 4.0  # a runner-up name this close to the best sends it to review
    # A shared name is settled by catchment only when one namesake is nearer the
    # department's centre than this share of its distance to any other centre, and no other
    # namesake is even close to being in the catchment.
    nearer: float = 0.8


# Abbreviations clerks use, spelt out (whole words, after lower-casing and punctuation).
ABBREVIATIONS = {
    "rd": "road", "ln": "lane", "ave": "avenue", "av": "avenue", "cl": "close",
    "dr": "drive", "cres": "crescent", "pl": "place", "gr": "grove", "gdns": "gardens",
    "terr": "terrace", "pde": "parade", "sq": "square", "hse": "house", "nr": "near",
    "os": "outside", "opp": "opposite", "lic": "licensed", "prem": "premises",
    "spoons": "wetherspoon", "wetherspoons": "wetherspoon", "weatherspoons": "wetherspoon",
    "weatherspoon": "wetherspoon", "ctr": "centre", "center": "centre",
}  # fmt: skip
STREET_WORDS = {
    "road", "street", "lane", "avenue", "close", "drive", "way", "grove", "crescent",
    "place", "gardens", "walk", "terrace", "rise", "hill", "row", "parade", "mews", "croft",
    "view", "square",
}  # fmt: skip
# Dropped from the start of a key, longest first: where around the venue the clerk means.
LEADING = (
    "outside pub on", "outside club on", "pub on", "club on", "bar on", "door staff at",
    "works at", "at work", "smoking area of", "car park of", "outside of", "outside", "inside",
    "in the", "in a", "in", "at the", "at", "near", "by", "opposite", "on", "the", "club", "bar",
)  # fmt: skip
# Dropped from the end of a key: what kind of place, and which part of it.
TRAILING = (
    "smoking area", "beer garden", "car park", "toilets", "nightclub", "night club", "pub",
    "club", "bar", "garden", "doorway", "entrance", "queue",
)  # fmt: skip
# A key made of these words only says "a licensed place", not which one.
GENERIC = {
    "pub", "club", "bar", "nightclub", "licensed", "premises", "local", "town", "city",
    "centre", "and", "a", "the", "in", "at", "outside", "near", "garden", "toilets", "queue",
    "for", "car", "park", "beer", "smoking", "area", "night", "lounge", "on",
}  # fmt: skip

_APOSTROPHES = re.compile("['\u2019`]")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_AND = re.compile(r"[&+]")
_OUTSIDE = re.compile(r"\bo/s\b")
_NUMBER = re.compile(r"\b\d+[a-z]?\b")
_SLIPPED = ("outside", "inside", "near")


def normalise(text: str | None) -> str:
    """The comparable key of a description or a premises name (module docstring); "" when
    nothing is left."""
    if not text:
        return ""
    text = _APOSTROPHES.sub("", text.lower())
    text = _OUTSIDE.sub(" outside ", text)
    text = _AND.sub(" and ", text)
    words = _NUMBER.sub(" ", _PUNCTUATION.sub(" ", text)).split()
    words = [ABBREVIATIONS.get(w, "and" if w == "n" else w) for w in words]
    # "St" ends a street ("Broad St"); elsewhere it is a saint ("St Mary's Road").
    if len(words) > 1 and words[-1] == "st":
        words[-1] = "street"
    return " ".join(_trimmed(words))


def _trimmed(words: list[str]) -> list[str]:
    """Words with the LEADING and TRAILING phrases taken off the ends (a leading word one
    slip away from "outside", "inside" or "near" too), or [] when only generic words are
    left."""
    changed = True
    while changed and len(words) > 1:
        changed = False
        for lead in LEADING:
            lead_words = lead.split()
            if words[: len(lead_words)] == lead_words and len(words) > len(lead_words):
                words, changed = words[len(lead_words) :], True
                break
        else:
            if len(words[0]) >= 5 and any(OSA.distance(words[0], w) <= 1 for w in _SLIPPED):
                words, changed = words[1:], True
        for trail in TRAILING:
            trail_words = trail.split()
            if words[-len(trail_words) :] == trail_words and len(words) > len(trail_words):
                words, changed = words[: -len(trail_words)], True
                break
    return [] if all(w in GENERIC for w in words) else words


def street_split(key: str) -> list[tuple[str, str]]:
    """The ways a key can be read as a name followed by a street ("red lion hagley road"
    is ("red lion", "hagley road")); the street is two or three words ending in a street
    word, and the name is what is left once trimmed."""
    words = key.split()
    if not words or words[-1] not in STREET_WORDS:
        return []
    splits = []
    for length in (2, 3):
        name = _trimmed(words[:-length]) if len(words) > length else []
        if name:
            splits.append((" ".join(name), " ".join(words[-length:])))
    return splits


@dataclass
class Match:
    key: str
    status: str  # auto, review or none
    licence_number: str | None = None
    score: float = 0.0
    candidates: list[tuple[str, float]] = field(default_factory=list)  # (licence, score)


@dataclass
class _Best:
    name: int = -1  # index into PremisesIndex.names
    score: float = 0.0
    runner_up: float = 0.0
    street: str | None = None  # the street the description names, if it was split off
    capped: bool = False  # a one-word name left after taking a street off: never auto


class PremisesIndex:
    """The register, ready to match against: distinct normalised names and, for each, the
    premises that carry it (with their normalised address and, if known, a point)."""

    def __init__(
        self,
        licences: list[str],
        names: list[str],
        addresses: list[str | None] | None = None,
        points: list[tuple[float, float] | None] | None = None,
    ):
        by_name: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            key = normalise(name)
            if key:
                by_name.setdefault(key, []).append(i)
        self.names = list(by_name)
        self.members = [by_name[name] for name in self.names]
        self.position = {name: k for k, name in enumerate(self.names)}
        self.licences = list(licences)
        self.addresses = [(a or "").lower() for a in (addresses or [None] * len(licences))]
        self.points = list(points or [None] * len(licences))

    def match(
        self,
        keys: list[str],
        sites: list[str | None] | None = None,
        catchments: dict[str, tuple[float, float]] | None = None,
        thresholds: Thresholds | None = None,
    ) -> list[Match]:
        """A Match for each key (normalised already, ideally distinct). `sites[i]` is the
        department key i was typed at and `catchments` the centre of each department's
        catchment: they settle which of several premises of one name is meant (the one
        in the department's catchment, i.e. nearer its centre than any other's)."""
        thresholds = thresholds or Thresholds()
        sites = sites or [None] * len(keys)
        best = [_Best() for _ in keys]
        queries: list[tuple[int, str, str | None]] = []  # (key index, text, street)
        for i, key in enumerate(keys):
            if not key:
                continue
            exact = self.position.get(key)
            if exact is not None:
                best[i] = _Best(exact, 100.0)
                continue
            if key.split()[-1] not in STREET_WORDS:  # a street alone is not a venue
                queries.append((i, key, None))
            for name, street in street_split(key):
                exact = self.position.get(name)
                if exact is not None and best[i].score < 100:
                    best[i] = _Best(exact, 100.0, street=street, capped=" " not in name)
                else:
                    queries.append((i, name, street))
        if queries and self.names:
            scores = process.cdist(
                [text for _, text, _ in queries],
                self.names,
                scorer=fuzz.ratio,
                score_cutoff=thresholds.low - thresholds.margin,
                dtype=np.uint8,
                workers=-1,
            )
            rows = np.arange(len(queries))
            top = scores.argmax(axis=1)
            top_score = scores[rows, top].astype(float)
            scores[rows, top] = 0
            second = scores.max(axis=1).astype(float)
            for q, (i, text, street) in enumerate(queries):
                if top_score[q] > best[i].score:
                    capped = street is not None and " " not in text
                    best[i] = _Best(int(top[q]), top_score[q], second[q], street, capped)
        return [
            self._decide(keys[i], best[i], sites[i], catchments, thresholds)
            for i in range(len(keys))
        ]

    def _decide(self, key, best: _Best, site, catchments, thresholds) -> Match:
        if best.name < 0 or best.score < thresholds.low:
            return Match(key, NONE, score=best.score)
        members = self.members[best.name]
        candidates = [(self.licences[m], best.score) for m in members]
        chosen = (
            members[0]
            if len(members) == 1
            else self._settle(members, best.street, site, catchments, thresholds.nearer)
        )
        confirmed = chosen is not None and self._on_street(chosen, best.street)
        clear = (
            best.score >= thresholds.high
            and (confirmed or not best.capped)
            and (best.score == 100 or best.score - best.runner_up >= thresholds.margin)
        )
        if chosen is None or not clear:
            licence = None if chosen is None else self.licences[chosen]
            return Match(key, REVIEW, licence, best.score, candidates)
        return Match(key, AUTO, self.licences[chosen], best.score, candidates)

    def _settle(self, members, street, site, catchments, nearer) -> int | None:
        """Which of several premises of the same name is meant, or None: the one whose
        address has the street the description names, else the only one in the
        department's catchment."""
        if street:
            on_street = [m for m in members if self._on_street(m, street)]
            if len(on_street) == 1:
                return on_street[0]
        if site is None or not catchments or site not in catchments:
            return None
        clearly, possibly = [], []
        for m in members:
            point = self.points[m]
            if point is None:
                return None  # an unlocated namesake could be the one
            own = math.dist(point, catchments[site])
            other = min(
                (math.dist(point, c) for s, c in catchments.items() if s != site),
                default=math.inf,
            )
            if own < nearer * other:
                clearly.append(m)
            if own * nearer < other:
                possibly.append(m)
        return clearly[0] if len(clearly) == 1 and len(possibly) == 1 else None

    def _on_street(self, member: int, street: str | None) -> bool:
        """Whether the premises' address has the street (allowing a slip or two)."""
        return bool(street) and fuzz.partial_ratio(street, self.addresses[member]) >= 90
