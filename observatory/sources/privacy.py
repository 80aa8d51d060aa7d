"""Personal data, protected from the first byte.

- `Pseudonymiser.pseudonyms(values)`: a person-level identifier (an attendance id, a
  crime reference) becomes a keyed hash, HMAC-SHA256 with OBSERVATORY_PSEUDONYM_KEY,
  truncated to 80 bits (20 hex digits). The same value gives the same pseudonym in every
  import, so records still link and deduplicate; without the key nobody can go back.
- `age_bands(ages)`: an exact age becomes an age band and the under-25 flag; the age is
  never stored.
- `redact_free_text(texts)`: free text typed at a reception desk can carry an NHS number,
  a person's name after a title, an e-mail address or a phone number by mistake; these
  are replaced by a marker before the text is stored.
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

PSEUDONYM_HEX_DIGITS = 20

# Age bands used everywhere in the lake: fine enough for the Home Office measures (under
# 25) and for the returns of programmes (0-9, 10-14, 15-17, 18-24, 25+), coarse enough to
# hide an exact age.
AGE_BANDS = (
    (0, 9, "0-9"),
    (10, 14, "10-14"),
    (15, 17, "15-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 120, "65+"),
)
OLDEST_PLAUSIBLE_AGE = 120


class Pseudonymiser:
    def __init__(self, key: str):
        if not key:
            raise ValueError("a pseudonym key is required")
        self._key = key.encode()

    def pseudonym(self, value: str) -> str:
        digest = hmac.digest(self._key, value.encode(), hashlib.sha256)
        return digest.hex()[:PSEUDONYM_HEX_DIGITS]

    def pseudonyms(self, values: pl.Series) -> pl.Series:
        """Pseudonyms for a column (nulls stay null); each distinct value is hashed once."""
        distinct = values.drop_nulls().unique()
        mapping = {value: self.pseudonym(value) for value in distinct.to_list()}
        return values.replace_strict(mapping, default=None, return_dtype=pl.String)


def age_band_expression(age: pl.Expr) -> pl.Expr:
    """An integer age expression -> its band (null when the age is null)."""
    expression = pl.lit(None, dtype=pl.String)
    for low, high, label in reversed(AGE_BANDS):
        expression = pl.when(age.is_between(low, high)).then(pl.lit(label)).otherwise(expression)
    return expression


# Patterns for identifiers typed into free text by mistake. An NHS number is ten digits,
# often written 3-3-4 with spaces or hyphens; a phone number is 10-11 digits starting 0 or
# +44; a name is recognised after a title (Mr Smith, Mrs J. Khan).
_REDACTIONS = (
    (r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b", "[number removed]"),
    (r"(?:\+44\s?|\b0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b", "[number removed]"),
    (r"[\w.+-]+@[\w-]+\.[\w.-]+", "[e-mail removed]"),
    # Titles in any case but "Dr", which only counts capitalised: "hawthorn dr" is a
    # street (drive), "Dr Patel" a person.
    (
        r"\b(?:[Mm][Rr][Ss]?|[Mm][Ss]|[Mm]iss|MISS|[Mm][Xx]|Dr|DR)\.?\s+(?:[A-Z]\.?\s+)?"
        r"[A-Za-z][a-z'-]+(?:\s+[A-Za-z][a-z'-]+)?",
        "[name removed]",
    ),
)


def redact_free_text(texts: pl.Expr) -> pl.Expr:
    """Free text with identifiers replaced by markers (see module docstring)."""
    for pattern, marker in _REDACTIONS:
        texts = texts.str.replace_all(pattern, marker)
    return texts
