"""One indicator's page: its definition, latest snapshot, weekly trend and the actions that aim at it.

Reads the indicator row, its snapshots in the window and the linked actions: three queries,
whatever the number of snapshots or children (never a child-level table).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from readiness.charts import sparkline
from readiness.dashboards import sources
from readiness.dashboards.models import Indicator, Snapshot
from readiness.dashboards.selectors.common import SPARK_WEEKS
from readiness.dashboards.selectors.indicators import _fmt

TREND_WEEKS = (SPARK_WEEKS, 52)
NO_SNAPSHOT = "No snapshot yet: the first is taken tonight"
NO_RULE = "The definition's timescale above is the rule; its source does not describe it further."


@dataclass
class TrendPoint:
    week_ending: dt.date
    date: dt.date | None = None  # the snapshot shown for the week (its latest)
    value: Decimal | None = None
    value_display: str = ""
    numerator: int | None = None
    denominator: int | None = None


@dataclass
class IndicatorDetail:
    indicator: Indicator
    weeks: int
    status: str = ""  # why there is no value, e.g. "No data source yet"
    latest: Snapshot | None = None
    value_display: str = ""
    rag: str = ""
    target_display: str = ""
    amber_display: str = ""
    red_display: str = ""
    thresholds_text: str = ""
    rule: str = ""
    source_path: str = ""
    trend: list[TrendPoint] = field(default_factory=list)
    chart_svg: str = ""
    chart_text: str = ""
    actions: list = field(default_factory=list)

    @property
    def trend_has_values(self) -> bool:
        return any(point.date for point in self.trend)


def trend_weeks(raw: str | None) -> int:
    """The trend length asked for in the query string, or the default (13 weeks)."""
    try:
        weeks = int(raw or SPARK_WEEKS)
    except ValueError:
        return SPARK_WEEKS
    return weeks if weeks in TREND_WEEKS else SPARK_WEEKS


# A source's docstring is written for developers as well as readers of the page: what follows
# turns it into plain English for the page (no argument names, query counts or file references).
_QUERY_COUNT = re.compile(r"\s*\((?:one|two|three|four|\d+) quer(?:y|ies)\b[^()]*\)", re.IGNORECASE)
_DEVELOPER_ASIDE = re.compile(r"\s*\([^()]*(?:\.md\b|`)[^()]*\)")
_DEVELOPER_SENTENCE = re.compile(
    r"look_back_days|\w\(\)|\.md\b|^(?:one|two|three|four|\d+) quer(?:y|ies)\.$", re.IGNORECASE
)
_SENTENCE_BREAK = re.compile(r"(?<=\.)\s+(?=[A-Z\"`])")
_CODE_NAME = re.compile(r"`?\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b`?|`([^`]+)`")
_WORDS = {"as of": "the day", "eet": "EET", "icpc": "ICPC", "gp": "GP", "pep": "PEP"}


def _in_words(match: re.Match) -> str:
    """`pre_proceedings_start` -> pre-proceedings start; `as_of` -> the day."""
    words = (match.group(1) or match.group(2)).replace("_", " ")
    if words in _WORDS:
        return _WORDS[words]
    words = words.replace("pre proceedings", "pre-proceedings")
    return " ".join(_WORDS.get(word, word) for word in words.split(" "))


def plain_rule(doc: str) -> str:
    """A source's docstring as the page shows it: its sentences for readers, in plain words."""
    text = " ".join(doc.split())
    text = _DEVELOPER_ASIDE.sub("", _QUERY_COUNT.sub("", text))
    sentences = [s for s in _SENTENCE_BREAK.split(text) if s and not _DEVELOPER_SENTENCE.search(s)]
    return _CODE_NAME.sub(_in_words, " ".join(sentences))


def source_rule(path: str) -> str:
    """The source function's own description of its rule (its docstring), read without running it."""
    try:
        function = sources.resolve(path)
    except sources.SourceUnavailable:
        return ""
    return plain_rule(inspect.getdoc(function) or "")


def _thresholds_text(indicator: Indicator, amber: str, red: str) -> str:
    if not amber and not red:
        return "No thresholds: shown for context, not rated red, amber or green."
    word = "below" if indicator.polarity == Indicator.Polarity.HIGHER_IS_BETTER else "above"
    parts = []
    if amber:
        parts.append(f"amber when {word} {amber}")
    if red:
        parts.append(f"red when {word} {red}")
    text = ", ".join(parts)
    return f"{text[0].upper()}{text[1:]}; otherwise green."


def indicator_detail(
    *, code: str, weeks: int = SPARK_WEEKS, today: dt.date | None = None
) -> IndicatorDetail | None:
    """Everything the indicator page shows, or None when no indicator has this code."""
    today = today or timezone.localdate()
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    unit = indicator.unit

    def shown(value: Decimal | None) -> str:
        return "" if value is None else _fmt(value, unit)

    detail = IndicatorDetail(
        indicator=indicator,
        weeks=weeks,
        target_display=shown(indicator.target),
        amber_display=shown(indicator.amber_threshold),
        red_display=shown(indicator.red_threshold),
        source_path=indicator.source,
    )
    detail.thresholds_text = _thresholds_text(indicator, detail.amber_display, detail.red_display)
    detail.rule = source_rule(indicator.source)

    first_day = today - dt.timedelta(weeks=weeks)
    snapshots = list(
        Snapshot.objects.filter(indicator=indicator, date__gt=first_day, date__lte=today).order_by("date")
    )
    if not snapshots:
        try:
            sources.resolve(indicator.source)
        except sources.SourceUnavailable as exc:
            detail.status = str(exc)
        else:
            detail.status = NO_SNAPSHOT
    else:
        latest = snapshots[-1]
        detail.latest = latest
        detail.value_display = _fmt(latest.value, unit)
        detail.rag = indicator.rag(latest.value)

    # One point a week, ending today: the latest snapshot in each week (as the DCS page's sparkline).
    index = 0
    for week in range(weeks - 1, -1, -1):
        end = today - dt.timedelta(weeks=week)
        point = TrendPoint(week_ending=end)
        while index < len(snapshots) and snapshots[index].date <= end:
            snapshot = snapshots[index]
            if snapshot.date > end - dt.timedelta(days=7):
                point.date, point.value = snapshot.date, snapshot.value
                point.numerator, point.denominator = snapshot.numerator, snapshot.denominator
            index += 1
        if point.date is not None:
            point.value_display = _fmt(point.value, unit)
        detail.trend.append(point)

    values = [None if p.value is None else float(p.value) for p in detail.trend]
    if sum(v is not None for v in values) > 1:
        detail.chart_text = (
            f"Weekly values over the last {weeks} weeks, oldest first: "
            + ", ".join(p.value_display if p.value is not None else "no value" for p in detail.trend)
            + "."
        )
        detail.chart_svg = sparkline(
            title=f"{indicator.name}: trend over {weeks} weeks",
            description=detail.chart_text,
            values=values,
            target=None if indicator.target is None else float(indicator.target),
            width=640,
            height=160,
            id_prefix=f"trend-{indicator.code}",
        ).replace('class="app-sparkline"', 'class="app-trend"', 1)
        # The helper tags its SVG for the 120-pixel inline box; this full-width chart sits in an
        # .app-chart box instead, which scales it to the column and scrolls on narrow screens.

    try:
        from readiness.plans.models import Action
    except ImportError:
        pass
    else:
        detail.actions = list(
            Action.objects.filter(indicator_code=indicator.code)
            .select_related("priority", "priority__plan", "owner")
            .order_by("status", "due_on", "pk")
        )
    return detail
