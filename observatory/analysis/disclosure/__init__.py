"""Statistical disclosure control: the partnership's rule, applied by audience.

Counts 1 to 7 are never shown, other counts are rounded to the nearest 5, and further cells are
hidden so that no hidden cell can be worked out from the totals; the thresholds are
configuration (rule_from_environment). Every analysis result goes through `protect` (long
tables) or `protect_wide` (spreadsheet-shaped tables) with its audience; see
docs/analysis/disclosure.md.
"""

from observatory.analysis.disclosure.rule import (
    ROUNDING_VARIABLE,
    SMALLEST_SHOWN_VARIABLE,
    Audience,
    CellStatus,
    DisclosureRule,
    rule_from_environment,
)
from observatory.analysis.disclosure.tables import (
    STATUS_SUFFIX,
    DisclosureSummary,
    Protected,
    protect,
    protect_wide,
)

__all__ = [
    "ROUNDING_VARIABLE",
    "SMALLEST_SHOWN_VARIABLE",
    "STATUS_SUFFIX",
    "Audience",
    "CellStatus",
    "DisclosureRule",
    "DisclosureSummary",
    "Protected",
    "protect",
    "protect_wide",
    "rule_from_environment",
]
