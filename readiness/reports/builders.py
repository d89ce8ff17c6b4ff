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
NO_PLAN_WITH_ID = "Improvement plan {id} does not exist. Choose a plan that exists, then try again."
SUPPRESSED = "c"
SUPPRESSED_NOTE = (
    "c: a number from 1 to 5, not shown so that no small group can be picked out "
    "(the Department for Education's convention for published children's statistics)."
)
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
    # Stored in the Report's parameters once it is ready (e.g. the counts the next summary compares).
    metadata: dict | None = None


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
    from inspections.selectors import milestone_when

    milestones = list(selectors.milestone_list_for_inspection(inspection=inspection))
    # Worded as on the inspection page: observed practice is "typically", never "due".
    rows = [{"milestone": m, "when": milestone_when(m)} for m in milestones]
    return ReportContent(
        template="pdf/inspection_timeline.html",
        context={"inspection": inspection, "milestones": milestones, "rows": rows},
        title=f"Inspection timeline: {inspection}",
        child_level=False,
    )


def build_board_summary(parameters: dict) -> ReportContent:
    """Aggregates only: judgements, plan progress by priority with trend, overdue count, deadlines."""
    selectors = _inspection_selectors()
    if selectors is None:
        raise ReportDataError(NOTHING_FOR_BOARD)
    inspection = selectors.inspection_latest()
    if inspection is None:
        raise ReportDataError(NOTHING_FOR_BOARD)
    list_judgements = getattr(selectors, "judgement_list_for_inspection", lambda **_: [])
    judgements = list(list_judgements(inspection=inspection))
    upcoming = [m for m in selectors.milestone_list_for_inspection(inspection=inspection) if _is_open(m)]
    plan_progress, metadata = _board_plan_progress()
    return ReportContent(
        template="pdf/board_summary.html",
        context={
            "inspection": inspection,
            "judgements": judgements,
            "upcoming": upcoming,
            "plan_progress": plan_progress,
            "suppressed_note": SUPPRESSED_NOTE,
        },
        title="Board summary",
        child_level=False,
        metadata=metadata,
    )


CHILD_ID_REMOVED = "[child ID removed]"


def without_child_ids(text: str) -> str:
    """Free text for the board (a priority's or plan's title) with every known child ID taken out.

    People write child IDs into plan text; a board member must never see one (check 3).
    """
    import re

    from casework.models import Child

    words = {word.upper() for word in re.findall(r"[\w/-]+", text)}
    found = Child.objects.filter(child_id__in=words).values_list("child_id", flat=True) if words else []
    for child_id in sorted(found, key=len, reverse=True):
        text = re.sub(rf"(?<![\w/-]){re.escape(child_id)}(?![\w/-])", CHILD_ID_REMOVED, text, flags=re.I)
    return text


def suppress(count: int) -> str:
    """Show a count for the board: 1 to 5 becomes "c" (DfE convention); 0 and 6+ are shown."""
    return SUPPRESSED if 1 <= count <= 5 else str(count)


RAG_KEYS = (
    ("off_track", "Off track"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("complete", "Complete"),
)


def _direction(now: int, before: int | None) -> str:
    if before is None:
        return "No earlier summary"
    if now > before:
        return "Up"
    if now < before:
        return "Down"
    return "No change"


def _board_plan_progress() -> tuple[dict | None, dict | None]:
    """The latest plan's counts, suppressed for the board, compared with the last board summary."""
    from django.utils import timezone

    from readiness.plans.selectors import plan_latest, plan_rag_counts

    plan = plan_latest()
    if plan is None:
        return None, None
    counts = plan_rag_counts(plan=plan)
    previous_report = (
        Report.objects.filter(
            kind=Report.Kind.BOARD_SUMMARY, status=Report.Status.READY, parameters__plan_counts__plan=plan.pk
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    before = previous_report.parameters["plan_counts"] if previous_report else None
    before_totals = before["totals"] if before else {}
    before_priorities = {p["order"]: p for p in before["priorities"]} if before else {}
    totals = counts["totals"]
    rows = []
    for item in counts["priorities"]:
        earlier = before_priorities.get(item["order"])
        rows.append(
            {
                "order": item["order"],
                "title": without_child_ids(item["title"]),
                "cells": [suppress(item[key]) for key, _ in RAG_KEYS],
                "overdue": suppress(item["overdue"]),
                "complete_trend": _direction(item["complete"], earlier["complete"] if earlier else None),
            }
        )
    trend = [
        {
            "label": label,
            "now": suppress(totals[key]),
            "before": suppress(before_totals[key]) if key in before_totals else "–",
            "direction": _direction(totals[key], before_totals.get(key)),
        }
        for key, label in (*RAG_KEYS, ("overdue", "Overdue"))
    ]
    chart = _rag_chart(plan.pk, [(f"P{p['order']}", p) for p in counts["priorities"]], suppressed=True)
    progress = {
        "plan": plan,
        "plan_title": without_child_ids(plan.title),
        "rows": rows,
        "totals": [suppress(totals[key]) for key, _ in RAG_KEYS],
        "overdue": suppress(totals["overdue"]),
        "trend": trend,
        "since": previous_report.finished_at if previous_report else None,
        "rag_labels": [label for _, label in RAG_KEYS],
        "chart": chart,
        "any_suppressed": any(1 <= value <= 5 for value in _all_counts(counts)),
    }
    metadata = {
        "plan_counts": {
            "plan": plan.pk,
            "as_of": timezone.localdate().isoformat(),
            "totals": totals,
            "priorities": [
                {"order": p["order"], **{k: p[k] for k, _ in (*RAG_KEYS, ("overdue", ""))}}
                for p in counts["priorities"]
            ],
        }
    }
    return progress, metadata


def _all_counts(counts: dict):
    for item in [*counts["priorities"], counts["totals"]]:
        for key in ("off_track", "at_risk", "on_track", "complete", "overdue"):
            yield item[key]


def _rag_chart(plan_id: int, rows: list[tuple[str, dict]], *, suppressed: bool = False):
    """The RAG bars SVG. For the board, bars show shares only when no count needs suppressing."""
    from django.utils.safestring import mark_safe

    from readiness.charts import rag_bars

    if suppressed and any(1 <= c.get(k, 0) <= 5 for _, c in rows for k, _ in RAG_KEYS):
        return None  # a bar's length would give away a suppressed number: the table stands alone
    return mark_safe(  # noqa: S308 - readiness.charts escapes every text  # nosec B308, B703
        rag_bars(
            title="Actions by RAG status, per priority",
            description="One bar per priority: off track, at risk, on track and complete actions. "
            "The table gives the same numbers.",
            rows=rows,
            id_prefix=f"plan{plan_id}-rag",
        )
    )


def _is_open(milestone) -> bool:
    return getattr(milestone, "done_on", None) is None


def build_improvement_plan(parameters: dict) -> ReportContent:
    """Every priority and action of the given (or latest) plan, with each action's latest update."""
    from readiness.plans.selectors import plan_get, plan_latest, plan_with_everything

    plan_id = _id_parameter(parameters, "plan")
    plan = plan_get(plan_id=plan_id) if plan_id is not None else plan_latest()
    if plan is None:
        raise ReportDataError(NO_PLAN_WITH_ID.format(id=plan_id) if plan_id is not None else NO_PLAN)
    overview = plan_with_everything(plan=plan)
    chart = _rag_chart(plan.pk, [(f"P{p.priority.order}", p.counts.as_dict()) for p in overview.priorities])
    return ReportContent(
        template="pdf/improvement_plan.html",
        context={"plan": plan, "overview": overview, "chart": chart},
        title=f"Improvement plan: {plan.title}",
        # Actions and updates are free text that could name a child: mark every page.
        child_level=True,
    )


def build_self_evaluation(parameters: dict) -> ReportContent:
    """The given (or latest) self-evaluation: grades and Ofsted's three questions, area by area."""
    from readiness.dashboards.reports import build_self_evaluation as build

    return build(parameters)


BUILDERS: dict[str, Builder] = {
    Report.Kind.IMPROVEMENT_PLAN: build_improvement_plan,
    Report.Kind.BOARD_SUMMARY: build_board_summary,
    Report.Kind.INSPECTION_TIMELINE: build_inspection_timeline,
    Report.Kind.SELF_EVALUATION: build_self_evaluation,
}

# Who may request and see each kind. Board summaries are aggregate-only, so board members may have
# them; every other kind needs `view_all_reports` (performance managers, the DCS, administrators).
KIND_PERMISSIONS: dict[str, str] = {
    Report.Kind.BOARD_SUMMARY: "readiness.view_report",
    Report.Kind.INSPECTION_TIMELINE: "readiness.view_all_reports",
    Report.Kind.IMPROVEMENT_PLAN: "readiness.view_all_reports",
    Report.Kind.SELF_EVALUATION: "readiness.view_all_reports",
}
