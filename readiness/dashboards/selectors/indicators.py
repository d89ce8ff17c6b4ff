"""Indicators (cached for the day: they change only when the nightly snapshot runs)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from readiness.charts import sparkline
from readiness.dashboards import sources
from readiness.dashboards.models import Indicator, Snapshot
from readiness.dashboards.selectors.common import DAY_SECONDS, SPARK_WEEKS
from readiness.dashboards.services import dashboard_cache_key


def _fmt(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "No cases to measure"
    if unit == Indicator.Unit.PERCENT:
        return f"{value.normalize():f}%" if value == value.to_integral() else f"{value:.1f}%"
    if unit == Indicator.Unit.COUNT:
        return f"{int(value):,}"
    return f"{value:.1f}"


@dataclass
class IndicatorRow:
    code: str
    name: str
    timescale: str
    unit: str
    area_code: str
    is_national_measure: bool
    target_display: str
    polarity_display: str
    status: str = ""  # why there is no value, e.g. "No data source yet"
    value_display: str = ""
    date: dt.date | None = None
    numerator: int | None = None
    denominator: int | None = None
    rag: str = ""
    spark_svg: str = ""
    spark_text: str = ""


RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}
RAG_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


class IndicatorRows(list):
    """The day's indicator rows, with a token that changes each time they are worked out again
    (after a snapshot run or a definitions reload deletes the day's cache), so anything cached from
    them, such as the rendered DCS page, can say which rows it was made from."""

    token: str = ""


def indicator_rows(*, today: dt.date | None = None) -> IndicatorRows:
    """Every indicator with its latest snapshot, RAG and a 13-week sparkline; cached for the day."""
    today = today or timezone.localdate()
    key = dashboard_cache_key(today)
    rows = cache.get(key)
    if not getattr(rows, "token", ""):
        rows = IndicatorRows(_indicator_rows(today=today))
        rows.token = uuid.uuid4().hex[:12]
        cache.set(key, rows, timeout=DAY_SECONDS)
    return rows


def _indicator_rows(*, today: dt.date) -> list[IndicatorRow]:
    indicators = list(Indicator.objects.all())
    first_day = today - dt.timedelta(weeks=SPARK_WEEKS)
    by_indicator: dict[int, dict[dt.date, Snapshot]] = defaultdict(dict)
    for snapshot in Snapshot.objects.filter(date__gt=first_day, date__lte=today).order_by("date"):
        by_indicator[snapshot.indicator_id][snapshot.date] = snapshot
    rows = []
    for indicator in indicators:
        target = "" if indicator.target is None else _fmt(indicator.target, indicator.unit)
        row = IndicatorRow(
            code=indicator.code,
            name=indicator.name,
            timescale=indicator.timescale,
            unit=indicator.unit,
            area_code=indicator.area_code,
            is_national_measure=indicator.is_national_measure,
            target_display=target,
            polarity_display=indicator.get_polarity_display(),
        )
        snapshots = by_indicator.get(indicator.pk, {})
        try:
            sources.resolve(indicator.source)
        except sources.SourceUnavailable as exc:
            if not snapshots:
                row.status = str(exc)
                rows.append(row)
                continue
        if not snapshots:
            row.status = "No snapshot yet: the first is taken tonight"
            rows.append(row)
            continue
        latest = snapshots[max(snapshots)]
        row.date, row.numerator, row.denominator = latest.date, latest.numerator, latest.denominator
        row.value_display = _fmt(latest.value, indicator.unit)
        row.rag = indicator.rag(latest.value)
        # One point a week, ending today: the latest snapshot in each week.
        points: list[float | None] = []
        for week in range(SPARK_WEEKS - 1, -1, -1):
            end = today - dt.timedelta(weeks=week)
            days = [d for d in snapshots if end - dt.timedelta(days=7) < d <= end]
            value = snapshots[max(days)].value if days else None
            points.append(None if value is None else float(value))
        shown = [p for p in points if p is not None]
        if len(shown) > 1:
            text = ", ".join(
                "no value" if p is None else _fmt(Decimal(str(p)), indicator.unit) for p in points
            )
            row.spark_text = f"Weekly values over the last {SPARK_WEEKS} weeks, oldest first: {text}."
            row.spark_svg = sparkline(
                title=f"{indicator.name}: trend over {SPARK_WEEKS} weeks",
                description=row.spark_text,
                values=points,
                target=None if indicator.target is None else float(indicator.target),
                id_prefix=f"spark-{indicator.code}",
            )
        rows.append(row)
    return rows
