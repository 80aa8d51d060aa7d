"""The partnership's disclosure rule, who it applies to, and what happened to each value.

The rule (DESIGN.md, "Statistical disclosure control"): counts 1 to 7 are never shown, other
counts are rounded to the nearest 5, and further cells are hidden so that a hidden one cannot
be recovered from the totals. The two thresholds are configuration; whether the rule applies
is not: it follows from the audience of the output, never from the caller remembering.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass

from observatory.errors import ObservatoryError

SMALLEST_SHOWN_VARIABLE = "OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN"
ROUNDING_VARIABLE = "OBSERVATORY_DISCLOSURE_ROUNDING"


@dataclass(frozen=True)
class DisclosureRule:
    """Counts from 1 to `smallest_shown - 1` are hidden; every shown count is rounded to the
    nearest multiple of `rounding_base` (halves round up, which only arises for even bases).

    Zero is not a small number: a true zero is shown as 0. `rounding_base=1` rounds nothing,
    which a partnership may choose. The two must fit together: a shown count must never be
    rounded down below `smallest_shown` (7 to the nearest 3 is 6, which reads as a small
    count; 1 to the nearest 5 is 0, which reads as none), so such pairs are refused.
    """

    smallest_shown: int = 8
    rounding_base: int = 5

    def __post_init__(self) -> None:
        for name in ("smallest_shown", "rounding_base"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ObservatoryError(f"disclosure rule: {name} must be a whole number >= 1")
        if self.round(self.smallest_shown) < self.smallest_shown:
            raise ObservatoryError(
                f"disclosure rule: with smallest shown count {self.smallest_shown} and rounding "
                f"to the nearest {self.rounding_base}, a count of {self.smallest_shown} would be "
                f"published as {self.round(self.smallest_shown)}; choose a smallest shown count "
                "that rounds up or to itself"
            )

    def is_small(self, count: int) -> bool:
        """True for the counts that are never shown: 1 to smallest_shown - 1."""
        return 0 < count < self.smallest_shown

    def round(self, count: int) -> int:
        """The published value of a shown count: the nearest multiple of the rounding base."""
        return (count + self.rounding_base // 2) // self.rounding_base * self.rounding_base


def rule_from_environment(env: Mapping[str, str] = os.environ) -> DisclosureRule:
    """The rule as configured: OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN (default 8) and
    OBSERVATORY_DISCLOSURE_ROUNDING (default 5). A value that is not a whole number >= 1 is
    an ObservatoryError naming the variable, never a silent fallback to the default."""
    values = {}
    for field, variable, default in (
        ("smallest_shown", SMALLEST_SHOWN_VARIABLE, 8),
        ("rounding_base", ROUNDING_VARIABLE, 5),
    ):
        text = env.get(variable, "").strip()
        if not text:
            values[field] = default
            continue
        try:
            values[field] = int(text)
        except ValueError:
            values[field] = 0
        if values[field] < 1:
            raise ObservatoryError(
                f"{variable}={text!r} is not a whole number >= 1 "
                f"(unset it to use the default, {default})"
            )
    return DisclosureRule(**values)


class Audience(enum.Enum):
    """Who an output is for; this, and nothing else, decides whether the rule applies."""

    PARTNER = "partner"
    """Members of the partnership inside the system: they see true counts."""
    PUBLIC = "public"
    """Public dashboards, the press, councillors: the rule applies."""
    EXTERNAL = "external"
    """Anything else leaving the partnership (exports, reports sent out): the rule applies."""

    @property
    def sees_true_counts(self) -> bool:
        return self is Audience.PARTNER


class CellStatus(enum.StrEnum):
    """What happened to one published count; the status columns hold these values."""

    SHOWN = "shown"
    """Published, rounded to the nearest rounding base (a true zero stays 0)."""
    SMALL = "small"
    """Hidden because it is between 1 and smallest_shown - 1."""
    SECONDARY = "secondary"
    """Hidden so that a small cell cannot be worked out from the totals."""

    def describe(self, rule: DisclosureRule) -> str:
        """Words a page can show in place of a hidden value (or beside a shown one)."""
        if self is CellStatus.SMALL:
            return f"fewer than {rule.smallest_shown}"
        if self is CellStatus.SECONDARY:
            return "hidden to protect another cell"
        if rule.rounding_base == 1:
            return "shown"
        return f"rounded to the nearest {rule.rounding_base}"
