"""What goes into each kind of report: one builder per kind, from parameters to template and context.

A builder reads real data only. When the data a report needs does not exist yet it raises
`ReportDataError` with a sentence the user can act on; the report then fails visibly with that
sentence, and can be tried again once the data is there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from readiness.models import Report

NO_INSPECTION = "No inspection recorded yet. Record the inspection, then try again."
NO_INSPECTION_WITH_ID = (
    "Inspection {id} does not exist. Choose an inspection that is recorded, then try again."
)
NO_PLAN = "No improvement plan exists yet. Create the plan, then try again."
NOTHING_FOR_BOARD = (
    "There is nothing to put in a board summary yet: no inspection has been recorded. "
    "Record the inspection, then try again."
)
BAD_ID = "{name} must be a whole number, not {value!r}."


class ReportDataError(ValueError):
    """The report cannot be made from the data as it stands. The message is shown to the user."""


class ReportContent(NamedTuple):
    template: str
    context: dict
    title: str
    child_level: bool  # True puts OFFICIAL – SENSITIVE on every page


Builder = Callable[[dict], ReportContent]


def _id_parameter(parameters: dict, name: str) -> int | None:
    value = parameters.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ReportDataError(BAD_ID.format(name=name.capitalize(), value=value)) from None


def _inspection_selectors():
    """Return inspections.selectors when it offers what the inspection reports need, else None."""
    from inspections import selectors

    needed = ("inspection_get", "inspection_latest", "milestone_list_for_inspection")
    if all(hasattr(selectors, name) for name in needed):
        return selectors
    return None


def build_inspection_timeline(parameters: dict) -> ReportContent:
    """Every milestone of the given (or latest) inspection, with how each date was worked out."""
    inspection_id = _id_parameter(parameters, "inspection")
    selectors = _inspection_selectors()
    if selectors is None:
        raise ReportDataError(NO_INSPECTION)
    inspection = (
        selectors.inspection_get(inspection_id=inspection_id)
        if inspection_id is not None
        else selectors.inspection_latest()
    )
    if inspection is None:
        raise ReportDataError(
            NO_INSPECTION_WITH_ID.format(id=inspection_id) if inspection_id is not None else NO_INSPECTION
        )
    milestones = list(selectors.milestone_list_for_inspection(inspection=inspection))
    return ReportContent(
        template="pdf/inspection_timeline.html",
        context={"inspection": inspection, "milestones": milestones},
        title=f"Inspection timeline: {inspection}",
        child_level=False,
    )


def build_board_summary(parameters: dict) -> ReportContent:
    """Aggregates only: the latest graded inspection's judgements and the next deadlines."""
    selectors = _inspection_selectors()
    if selectors is None:
        raise ReportDataError(NOTHING_FOR_BOARD)
    inspection = selectors.inspection_latest()
    if inspection is None:
        raise ReportDataError(NOTHING_FOR_BOARD)
    list_judgements = getattr(selectors, "judgement_list_for_inspection", lambda **_: [])
    judgements = list(list_judgements(inspection=inspection))
    upcoming = [m for m in selectors.milestone_list_for_inspection(inspection=inspection) if _is_open(m)]
    return ReportContent(
        template="pdf/board_summary.html",
        context={"inspection": inspection, "judgements": judgements, "upcoming": upcoming},
        title="Board summary",
        child_level=False,
    )


def _is_open(milestone) -> bool:
    return getattr(milestone, "done_on", None) is None


def build_improvement_plan(parameters: dict) -> ReportContent:
    """Every priority and action with its latest update — once improvement plans exist."""
    _id_parameter(parameters, "plan")
    raise ReportDataError(NO_PLAN)


BUILDERS: dict[str, Builder] = {
    Report.Kind.IMPROVEMENT_PLAN: build_improvement_plan,
    Report.Kind.BOARD_SUMMARY: build_board_summary,
    Report.Kind.INSPECTION_TIMELINE: build_inspection_timeline,
}

# Who may request and see each kind. Board summaries are aggregate-only, so board members may have
# them; every other kind needs `view_all_reports` (performance managers, the DCS, administrators).
KIND_PERMISSIONS: dict[str, str] = {
    Report.Kind.BOARD_SUMMARY: "readiness.view_report",
    Report.Kind.INSPECTION_TIMELINE: "readiness.view_all_reports",
    Report.Kind.IMPROVEMENT_PLAN: "readiness.view_all_reports",
}
