"""Constants and helpers shared by the dashboard selectors."""

from __future__ import annotations

GOOD_OR_BETTER = ("outstanding", "good")
SPARK_WEEKS = 13
DEADLINE_WORKING_DAYS = 10
SUPPRESSED = "c"
CURRENT_FRAMEWORK = "ilacs-2026"
PLANS_NOT_AVAILABLE = "Improvement plans are not available yet."
AUDITS_NOT_AVAILABLE = "Case audits are not available yet."


def suppress(count: int | None) -> str:
    """Show 1 to 5 as "c" (the DfE convention in published children's statistics), others as they are."""
    if count is None:
        return ""
    return SUPPRESSED if 1 <= count <= 5 else str(count)


DAY_SECONDS = 60 * 60 * 24
