"""Board member home: aggregates only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from readiness.dashboards.selectors.common import SUPPRESSED, suppress


def board_home(*, today: dt.date | None = None) -> dict:
    """Judgements of the latest inspection, plan RAG totals (1 to 5 shown as "c"), board summaries."""
    from inspections.selectors import inspection_latest, judgement_list_for_inspection
    from readiness.models import Report

    today = today or timezone.localdate()
    inspection = inspection_latest()
    judgements = list(judgement_list_for_inspection(inspection=inspection)) if inspection else []
    rag = None
    try:
        from readiness.plans.selectors import plan_counts_for_dashboard
    except ImportError:
        pass
    else:
        counts = plan_counts_for_dashboard(today=today)
        if counts is not None:
            totals = counts["totals"]
            rag = {
                "plan_title": counts["plan"].title,
                "cells": [
                    (label, suppress(totals[key]))
                    for key, label in (
                        ("on_track", "On track"),
                        ("at_risk", "At risk"),
                        ("off_track", "Off track"),
                        ("complete", "Complete"),
                    )
                ],
                "total": suppress(totals["total"]),
                # Overdue actions are also counted in their status above: shown apart, not summed.
                "overdue": suppress(totals["overdue"]),
            }
            shown = [cell for _, cell in rag["cells"]] + [rag["total"], rag["overdue"]]
            rag["any_suppressed"] = SUPPRESSED in shown
    reports = list(
        Report.objects.filter(kind=Report.Kind.BOARD_SUMMARY, status=Report.Status.READY).order_by(
            "-finished_at", "-pk"
        )[:5]
    )
    return {"inspection": inspection, "judgements": judgements, "rag": rag, "reports": reports}
