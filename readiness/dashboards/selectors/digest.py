"""Daily digest."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from readiness.dashboards.selectors.actions import actions_attention
from readiness.dashboards.selectors.deadlines import deadlines, ten_working_days_from
from readiness.dashboards.selectors.indicators import indicator_rows

# Changes to people's accounts are the administrators' business (the people pages), not the digest's.
ACCOUNT_HISTORY = "readiness.HistoricalUser"


def history_counts(*, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
    """(model name, number of history rows) for every tracked model changed in [start, end)."""
    from django.apps import apps

    counts = []
    for label in ("inspections", "casework", "readiness"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical") or model._meta.label == ACCOUNT_HISTORY:
                continue
            if not any(f.name == "history_date" for f in model._meta.fields):
                continue  # the groups kept with each row of account history: no dates of their own
            n = model.objects.filter(history_date__gte=start, history_date__lt=end).count()
            if n:
                name = str(model.instance_type._meta.verbose_name_plural)
                counts.append((name[:1].upper() + name[1:], n))
    return sorted(counts, key=lambda c: (-c[1], c[0]))


def digest_content(*, day: dt.date) -> dict:
    """What the digest e-mail says: yesterday's changes, red indicators, overdue actions, deadlines."""
    yesterday = day - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(yesterday, dt.time.min))
    soon_until = ten_working_days_from(day)
    indicators = indicator_rows(today=day)
    actions = actions_attention(today=day, limit=20)
    return {
        "day": day,
        "yesterday": yesterday,
        "changes": history_counts(start=start, end=start + dt.timedelta(days=1)),
        "red_indicators": [r for r in indicators if r.rag == "red"],
        "actions": actions,
        "deadlines": [d for d in deadlines(today=day, soon_until=soon_until, limit=30) if d.soon],
        "soon_until": soon_until,
    }
