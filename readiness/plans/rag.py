"""How an action's RAG status is worked out, once in Python and once as a database expression.

The rule (the same in both, and tested against each other):

1. an action whose status is complete is *complete*;
2. an action past its due date is *off track*, and so is one whose latest update says so;
3. an action due within `SOON_WORKING_DAYS` working days, or with no update (nor start) for
   `STALE_DAYS` days, or whose latest update says *at risk*, is *at risk*;
4. otherwise it is *on track*.

A RAG set by hand (with a reason) replaces the derived one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, DateField, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from readiness.plans.models import Rag

SOON_WORKING_DAYS = 10
STALE_DAYS = 30
RAG_ORDER = (Rag.OFF_TRACK, Rag.AT_RISK, Rag.ON_TRACK, Rag.COMPLETE)


def soon_limit(today: dt.date) -> dt.date:
    """The last due date that counts as "due soon" (10 working days after today)."""
    from inspections.selectors import working_calendar
    from inspections.working_days import add_working_days

    return add_working_days(today, SOON_WORKING_DAYS, working_calendar())


def derive_rag(
    *,
    status: str,
    due_on: dt.date,
    last_activity_on: dt.date | None,
    latest_update_rag: str = "",
    today: dt.date,
    soon: dt.date | None = None,
) -> str:
    """Return the derived RAG for one action (rules 1–4 above; no override)."""
    soon = soon or soon_limit(today)
    if status == "complete":
        return Rag.COMPLETE
    if due_on < today or latest_update_rag == Rag.OFF_TRACK:
        return Rag.OFF_TRACK
    stale = last_activity_on is None or last_activity_on < today - dt.timedelta(days=STALE_DAYS)
    if due_on <= soon or stale or latest_update_rag == Rag.AT_RISK:
        return Rag.AT_RISK
    return Rag.ON_TRACK


def effective_rag(*, override: str, derived: str) -> str:
    return override or derived


def annotate_rag(queryset, *, today: dt.date | None = None):
    """Annotate actions with last_update_on, latest_update_rag, derived_rag and rag (effective)."""
    from readiness.plans.models import ProgressUpdate

    today = today or timezone.localdate()
    soon = soon_limit(today)
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    queryset = queryset.annotate(
        last_update_on=Subquery(latest.values("date")[:1], output_field=DateField()),
        latest_update_rag=Subquery(latest.values("rag")[:1], output_field=CharField()),
    ).annotate(
        last_activity_on=Coalesce(
            F("last_update_on"), F("start_on"), TruncDate("created_at"), output_field=DateField()
        ),
    )
    derived = Case(
        When(status="complete", then=Value(Rag.COMPLETE.value)),
        When(Q(due_on__lt=today) | Q(latest_update_rag=Rag.OFF_TRACK), then=Value(Rag.OFF_TRACK.value)),
        When(
            Q(due_on__lte=soon)
            | Q(last_activity_on__lt=today - dt.timedelta(days=STALE_DAYS))
            | Q(latest_update_rag=Rag.AT_RISK),
            then=Value(Rag.AT_RISK.value),
        ),
        default=Value(Rag.ON_TRACK.value),
        output_field=CharField(),
    )
    return queryset.annotate(
        derived_rag=derived,
        rag=Coalesce(NullIf(F("rag_override"), Value("")), F("derived_rag"), output_field=CharField()),
    )
