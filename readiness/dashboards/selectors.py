"""Reads behind the dashboards. Each block reads small tables (snapshots, inspections, plans,
audit counts) in a fixed number of queries, whatever the number of children."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone

from readiness.charts import sparkline
from readiness.dashboards import sources
from readiness.dashboards.models import Indicator, SelfEvaluationAnswer, Snapshot
from readiness.dashboards.services import dashboard_cache_key

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


def _fmt(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "No cases to measure"
    if unit == Indicator.Unit.PERCENT:
        return f"{value.normalize():f}%" if value == value.to_integral() else f"{value:.1f}%"
    if unit == Indicator.Unit.COUNT:
        return f"{int(value):,}"
    return f"{value:.1f}"


# ---------------------------------------------------------------------------------------------
# Indicators (cached for the day: they change only when the nightly snapshot runs)
# ---------------------------------------------------------------------------------------------


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


DAY_SECONDS = 60 * 60 * 24


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


# ---------------------------------------------------------------------------------------------
# Self-assessed grades against good
# ---------------------------------------------------------------------------------------------


@dataclass
class GradeRow:
    area_name: str
    area_code: str
    grade_label: str
    grade_code: str
    good_enough: bool | None  # None: not graded


@dataclass
class SelfAssessment:
    inspection: object
    rows: list[GradeRow]
    is_self_evaluation: bool

    @property
    def good_count(self) -> int:
        return sum(1 for r in self.rows if r.good_enough)

    @property
    def graded_count(self) -> int:
        return sum(1 for r in self.rows if r.good_enough is not None)


def self_assessment() -> SelfAssessment | None:
    """Grades from the latest graded self-evaluation, else the latest graded mock or inspection.

    One query in the usual case: the judgements of the chosen inspection, found by a subquery.
    """
    from django.db.models import Subquery

    from inspections.models import Inspection, Judgement

    order = (F("onsite_start_on").desc(nulls_last=True), F("notified_on").desc(nulls_last=True), "-id")
    judgements: list = []
    for kinds in ([Inspection.Kind.SELF_EVALUATION], [Inspection.Kind.MOCK, Inspection.Kind.ACTUAL]):
        chosen = (
            Inspection.objects.filter(kind__in=kinds, judgements__isnull=False)
            .order_by(*order)
            .values("pk")[:1]
        )
        judgements = list(
            Judgement.objects.filter(inspection=Subquery(chosen)).select_related(
                "inspection__framework", "area", "grade"
            )
        )
        if judgements:
            break
    if not judgements:
        return None
    inspection = judgements[0].inspection
    rows = [
        GradeRow(
            area_name=j.area.name,
            area_code=j.area.code,
            grade_label=j.grade.label,
            grade_code=j.grade.code,
            good_enough=j.grade.code in GOOD_OR_BETTER,
        )
        for j in sorted(judgements, key=lambda j: j.area.order)
    ]
    return SelfAssessment(
        inspection=inspection,
        rows=rows,
        is_self_evaluation=inspection.kind == Inspection.Kind.SELF_EVALUATION,
    )


# ---------------------------------------------------------------------------------------------
# Actions needing attention (from improvement plans)
# ---------------------------------------------------------------------------------------------


@dataclass
class ActionsAttention:
    available: bool
    overdue: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    limit: int = 0


def actions_attention(*, today: dt.date, limit: int = 10) -> ActionsAttention:
    """Overdue actions, then at-risk or off-track ones (at most `limit` of each), in two small queries.

    Only open actions are read (a plan's tens or hundreds, never child rows), with their updates'
    dates and RAGs; the RAG is then derived in Python by the plans' own rule
    (`readiness.plans.rag.derive_rag`, tested against its database expression) with the day's cached
    "due soon" date, so neither the correlated subqueries nor a calendar query run per request.
    """
    try:
        from readiness.plans.models import Action, ProgressUpdate, Rag
        from readiness.plans.rag import SOON_WORKING_DAYS, derive_rag, effective_rag
    except ImportError:
        return ActionsAttention(available=False)
    soon = working_days_from(today, SOON_WORKING_DAYS)
    actions = list(
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .select_related("owner", "priority")
        .order_by("due_on", "priority__order", "pk")
    )
    latest: dict[int, tuple[dt.date, str]] = {}
    for action_id, date, rag in (
        ProgressUpdate.objects.exclude(action__status=Action.Status.COMPLETE)
        .order_by("action_id", "date", "pk")
        .values_list("action_id", "date", "rag")
    ):
        latest[action_id] = (date, rag)  # the latest wins
    overdue, at_risk = [], []
    for action in actions:
        update_on, update_rag = latest.get(action.pk, (None, ""))
        last_activity = update_on or action.start_on or timezone.localtime(action.created_at).date()
        derived = derive_rag(
            status=action.status,
            due_on=action.due_on,
            last_activity_on=last_activity,
            latest_update_rag=update_rag,
            today=today,
            soon=soon,
        )
        action.rag = effective_rag(override=action.rag_override, derived=derived)
        action.is_overdue = action.due_on < today
        if action.is_overdue:
            overdue.append(action)
        elif action.rag in (Rag.AT_RISK, Rag.OFF_TRACK):
            at_risk.append(action)
    return ActionsAttention(available=True, overdue=overdue[:limit], at_risk=at_risk[:limit], limit=limit)


# ---------------------------------------------------------------------------------------------
# Audit grade profile and moderation agreement
# ---------------------------------------------------------------------------------------------


@dataclass
class AuditProfile:
    available: bool
    total: int = 0
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, count
    good_or_better: int = 0
    moderated: int = 0
    agreed: int = 0

    @property
    def good_percent(self) -> int | None:
        return round(100 * self.good_or_better / self.total) if self.total else None

    @property
    def agreement_percent(self) -> int | None:
        return round(100 * self.agreed / self.moderated) if self.moderated else None


def audit_profile(
    *, today: dt.date, days: int = sources.LOOK_BACK_DAYS, cohort: str | None = None
) -> AuditProfile:
    """Grades of the audits submitted in the last six months (the moderated grade where there is one)."""
    try:
        from casework.models import AuditGrade, CaseAudit
    except ImportError:
        return AuditProfile(available=False)
    audits = CaseAudit.objects.filter(
        submitted_at__isnull=False, submitted_at__date__gt=today - dt.timedelta(days=days)
    )
    if cohort:
        audits = audits.filter(cohort=cohort)
    grouped = audits.values("overall_grade", "moderator_grade").annotate(
        n=Count("pk"),
        moderated=Count("pk", filter=Q(agreement__isnull=False)),
        agreed=Count("pk", filter=Q(agreement=True)),
    )
    counts: Counter[str] = Counter()
    profile = AuditProfile(available=True)
    for row in grouped:
        grade = row["moderator_grade"] or row["overall_grade"]
        counts[grade] += row["n"]
        profile.moderated += row["moderated"]
        profile.agreed += row["agreed"]
    profile.rows = [(code, label, counts[code]) for code, label in AuditGrade.choices]
    profile.total = sum(counts.values())
    profile.good_or_better = sum(counts[c] for c in GOOD_OR_BETTER)
    return profile


# ---------------------------------------------------------------------------------------------
# Deadlines and the inspection cycle
# ---------------------------------------------------------------------------------------------


@dataclass
class Deadline:
    milestone: object
    due_on: dt.date
    soon: bool


def deadlines(*, today: dt.date, soon_until: dt.date, limit: int = 12) -> list[Deadline]:
    """Open milestones of every inspection from today, soonest first (observed ones excluded)."""
    from inspections.models import Milestone

    upcoming = (
        Milestone.objects.filter(done_on__isnull=True)
        .exclude(status=Milestone.Status.OBSERVED)
        .filter(Q(override_due_on__isnull=True, due_on__gte=today) | Q(override_due_on__gte=today))
        .select_related("inspection")
        .order_by("due_on", "pk")[: limit * 2]
    )
    rows = sorted(
        (
            Deadline(milestone=m, due_on=m.effective_due_on, soon=m.effective_due_on <= soon_until)
            for m in upcoming
        ),
        key=lambda d: (d.due_on, d.milestone.pk),
    )
    return rows[:limit]


def working_days_from(today: dt.date, days: int) -> dt.date:
    """The date `days` working days after today, with this council's calendar (cached for the day)."""
    key = f"readiness:dashboard:soon:{days}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        from inspections.selectors import working_calendar
        from inspections.working_days import add_working_days

        found = add_working_days(today, days, working_calendar())
        cache.set(key, found, timeout=DAY_SECONDS)
    return found


def ten_working_days_from(today: dt.date) -> dt.date:
    """The date 10 working days after today (cached for the day)."""
    return working_days_from(today, DEADLINE_WORKING_DAYS)


@dataclass
class InspectionCycle:
    latest: object | None
    live: bool
    window_start: dt.date | None
    window_end: dt.date | None


def _add_months(day: dt.date, months: int) -> dt.date:
    from inspections.working_days import add_months

    return add_months(day, months)


def inspection_cycle(*, today: dt.date) -> InspectionCycle:
    """The latest actual inspection, whether it is on site now, and the next expected window
    (six months either side of the third anniversary of its last on-site day)."""
    from inspections.selectors import inspection_latest

    latest = inspection_latest()
    if latest is None:
        return InspectionCycle(latest=None, live=False, window_start=None, window_end=None)
    live = bool(
        latest.onsite_start_on
        and latest.onsite_start_on <= today
        and (latest.onsite_end_on is None or today <= latest.onsite_end_on)
    )
    anchor = latest.onsite_end_on or latest.onsite_start_on
    if anchor is None:
        return InspectionCycle(latest=latest, live=live, window_start=None, window_end=None)
    anniversary = _add_months(anchor, 36)
    return InspectionCycle(
        latest=latest,
        live=live,
        window_start=_add_months(anniversary, -6),
        window_end=_add_months(anniversary, 6),
    )


# The tables behind the DCS page's blocks other than the indicators (app label, model). Each is
# tracked by simple_history, so every write to it adds a history row.
DCS_PAGE_SOURCES = (
    ("inspections", "Framework"),
    ("inspections", "JudgementArea"),
    ("inspections", "Grade"),
    ("inspections", "Inspection"),
    ("inspections", "Judgement"),
    ("inspections", "Milestone"),
    ("readiness", "ImprovementPlan"),
    ("readiness", "Priority"),
    ("readiness", "Action"),
    ("readiness", "ProgressUpdate"),
    ("casework", "CaseAudit"),
)


@functools.cache
def _data_version_sql(sources: tuple[tuple[str, str], ...]) -> str:
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    columns = []
    for label, name in sources:
        try:
            history = apps.get_model(label, name).history.model
        except (LookupError, AttributeError):
            continue
        table, pk = quote(history._meta.db_table), quote(history._meta.pk.column)
        date = quote(history._meta.get_field("history_date").column)
        for column in (pk, date):
            # Names come from the models' own metadata, quoted; nothing from a request.
            columns.append(f"(SELECT {column} FROM {table} ORDER BY {pk} DESC LIMIT 1)")  # noqa: S608
    return "SELECT " + ", ".join(columns)


def data_version(sources: tuple[tuple[str, str], ...] = DCS_PAGE_SOURCES) -> str:
    """A version of the data behind the DCS page, in one query whatever the data's size.

    It is made of the newest history row (id and time) of each source table, read backwards along
    the history tables' primary keys: any create, change or delete adds a history row and so gives a
    new version, and a cached block is never shown after the data under it changed.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql(sources))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


@functools.cache
def _template_version() -> str:
    """The DCS page template's own version, so a deploy that changes it is never served old HTML
    from a shared cache."""
    from django.template.loader import get_template

    source = get_template("readiness/dashboard.html").template.source
    return hashlib.sha256(source.encode()).hexdigest()[:8]


def _dcs_blocks(*, today: dt.date, soon_until: dt.date) -> dict:
    return {
        "self_assessment": self_assessment(),
        "actions": actions_attention(today=today),
        "audits": audit_profile(today=today),
        "deadlines": deadlines(today=today, soon_until=soon_until),
        "cycle": inspection_cycle(today=today),
    }


def dcs_dashboard(*, today: dt.date | None = None) -> dict:
    """Everything the DCS daily page shows.

    Warm, this is one query (`data_version`): the indicators are cached for the day (until the next
    snapshot run), the other blocks for the day and the data version. `page_version` names both
    (and the template's version), for the page to cache its rendered blocks under.
    """
    today = today or timezone.localdate()
    soon_until = ten_working_days_from(today)
    indicators = indicator_rows(today=today)
    version = f"{today.isoformat()}:{data_version()}"
    key = f"readiness:dashboard:dcs:{version}"
    blocks = cache.get(key)
    if blocks is None:
        blocks = _dcs_blocks(today=today, soon_until=soon_until)
        cache.set(key, blocks, timeout=DAY_SECONDS)
    return {
        "today": today,
        "indicators": indicators,
        "red_count": sum(1 for r in indicators if r.rag == "red"),
        "soon_until": soon_until,
        "page_version": f"{version}:{indicators.token}:{_template_version()}",
        **blocks,
    }


# ---------------------------------------------------------------------------------------------
# Inspection control room
# ---------------------------------------------------------------------------------------------


def live_inspection(*, today: dt.date):
    """The actual inspection on site today (the latest to start, if two overlap), or None."""
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(kind=Inspection.Kind.ACTUAL, onsite_start_on__lte=today)
        .filter(
            Q(onsite_end_on__gte=today)
            | Q(onsite_end_on__isnull=True, onsite_start_on__gte=today - dt.timedelta(days=14))
        )
        .select_related("framework")
        .order_by("-onsite_start_on", "-pk")
        .first()
    )


@dataclass
class OnsiteDay:
    number: int
    of: int | None
    is_working_day: bool


def onsite_day(*, start: dt.date, end: dt.date | None, today: dt.date, calendar=None) -> OnsiteDay:
    """Day N of M on site, counting working days only (bank holidays and closures skipped)."""
    from inspections import working_days

    before = start - dt.timedelta(days=1)
    number = working_days.working_days_between(before, today, calendar)
    of = working_days.working_days_between(before, end, calendar) if end else None
    return OnsiteDay(number=number, of=of, is_working_day=working_days.is_working_day(today, calendar))


@dataclass
class AuditProgress:
    available: bool
    members: int = 0
    audits: int = 0
    done: int = 0
    shared: int = 0


def inspection_audit_progress(*, inspection) -> AuditProgress:
    """The inspection's audit sample: children in it, audits done and shared (counts only)."""
    try:
        from casework.models import CaseAudit, Sample, SampleMember
    except ImportError:
        return AuditProgress(available=False)
    members = SampleMember.objects.filter(
        sample__inspection=inspection, sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).count()
    counts = CaseAudit.objects.filter(
        member__sample__inspection=inspection, member__sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).aggregate(
        audits=Count("pk"),
        done=Count("pk", filter=Q(status__in=["submitted", "moderated", "shared"])),
        shared=Count("pk", filter=Q(status="shared")),
    )
    return AuditProgress(available=True, members=members, **counts)


def control_room(*, inspection, today: dt.date, now: dt.datetime | None = None) -> dict:
    """What the control room shows for a live inspection, in a fixed number of queries."""
    from inspections.models import DataRequest
    from inspections.page_selectors import milestone_rows
    from inspections.selectors import working_calendar

    now = now or timezone.now()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    day_end = day_start + dt.timedelta(days=1)
    calendar = working_calendar()
    requests = list(
        inspection.data_requests.exclude(status=DataRequest.Status.CLOSED).select_related("owner")
    )
    concerns = list(inspection.concerns.all())
    return {
        "inspection": inspection,
        "today": today,
        "now": now,
        "day": onsite_day(
            start=inspection.onsite_start_on, end=inspection.onsite_end_on, today=today, calendar=calendar
        ),
        "meetings": list(inspection.meetings.filter(starts_at__gte=day_start, starts_at__lt=day_end)),
        "requests": requests,
        "requests_overdue": sum(1 for r in requests if r.due_at and r.due_at < now),
        "requests_due_today": sum(1 for r in requests if r.due_at and now <= r.due_at < day_end),
        "concerns": concerns,
        "concerns_open": sum(1 for c in concerns if c.is_open),
        "audits": inspection_audit_progress(inspection=inspection),
        "milestones": [
            row for row in milestone_rows(inspection=inspection, today=today) if not row.milestone.done_on
        ][:8],
        "notes": list(inspection.daily_notes.select_related("author")[:5]),
    }


# ---------------------------------------------------------------------------------------------
# Readiness overview
# ---------------------------------------------------------------------------------------------

# Which audit cohort speaks to which judgement area (leaders are judged on all of them).
AREA_COHORTS = {
    "help_and_protection": "help_and_protection",
    "children_in_care": "looked_after",
    "care_leavers": "care_leaver",
}


@dataclass
class AreaReadiness:
    area: object
    self_grade: str = ""
    self_grade_code: str = ""
    answer: SelfEvaluationAnswer | None = None
    evidence: int = 0
    actions: int = 0
    actions_overdue: int = 0
    audits: int = 0
    audits_good: int = 0
    indicators: int = 0
    indicators_red: int = 0
    indicators_without_data: int = 0
    gaps: list[str] = field(default_factory=list)

    @property
    def gaps_label(self) -> str:
        return f"{len(self.gaps)} gap{'s' if len(self.gaps) != 1 else ''}"


def current_framework(*, today: dt.date):
    from inspections.models import Framework

    return (
        Framework.objects.filter(code=CURRENT_FRAMEWORK).first()
        or Framework.objects.filter(code__startswith="ilacs-20", valid_from__lte=today)
        .order_by("-valid_from")
        .first()
    )


def latest_self_evaluation():
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION)
        .select_related("framework")
        .order_by(F("onsite_start_on").desc(nulls_last=True), F("notified_on").desc(nulls_last=True), "-id")
        .first()
    )


def readiness_overview(*, today: dt.date | None = None) -> dict:
    """One row per graded area of the current framework: what evidence we hold and where the gaps are."""
    today = today or timezone.localdate()
    framework = current_framework(today=today)
    if framework is None:
        return {"framework": None, "areas": [], "self_evaluation": None}
    areas = list(framework.areas.filter(graded=True).order_by("order"))
    self_evaluation = latest_self_evaluation()
    grades: dict[str, tuple[str, str]] = {}
    answers: dict[str, SelfEvaluationAnswer] = {}
    if self_evaluation is not None:
        for code, label, grade_code in self_evaluation.judgements.values_list(
            "area__code", "grade__label", "grade__code"
        ):
            grades[code] = (label, grade_code)
        for answer in SelfEvaluationAnswer.objects.filter(inspection=self_evaluation).select_related("area"):
            answers[answer.area.code] = answer

    evidence: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    try:
        from readiness.plans.models import Action, ActionEvidence
    except ImportError:
        pass
    else:
        for code, n in (
            ActionEvidence.objects.values_list("action__priority__area__code")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            evidence[code] += n
        for code, n, late in (
            Action.objects.exclude(status=Action.Status.COMPLETE)
            .values_list("priority__area__code")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
            .order_by()
        ):
            actions[code] += n
            overdue[code] += late

    audits: dict[str, tuple[int, int]] = {}
    try:
        from casework.models import CaseAudit
    except ImportError:
        pass
    else:
        good = Q(moderator_grade__in=GOOD_OR_BETTER) | (
            Q(moderator_grade="") & Q(overall_grade__in=GOOD_OR_BETTER)
        )
        for cohort, n, n_good in (
            CaseAudit.objects.filter(
                submitted_at__isnull=False,
                submitted_at__date__gt=today - dt.timedelta(days=sources.LOOK_BACK_DAYS),
            )
            .values_list("cohort")
            .annotate(n=Count("pk"), good=Count("pk", filter=good))
            .order_by()
        ):
            audits[cohort] = (n, n_good)

    indicators = indicator_rows(today=today)
    rows = []
    for area in areas:
        row = AreaReadiness(area=area)
        row.self_grade, row.self_grade_code = grades.get(area.code, ("", ""))
        row.answer = answers.get(area.code)
        row.evidence = evidence[area.code]
        row.actions, row.actions_overdue = actions[area.code], overdue[area.code]
        cohort = AREA_COHORTS.get(area.code)
        cohorts = [cohort] if cohort else list(audits)
        row.audits = sum(audits.get(c, (0, 0))[0] for c in cohorts)
        row.audits_good = sum(audits.get(c, (0, 0))[1] for c in cohorts)
        mine = [i for i in indicators if i.area_code == area.code]
        row.indicators = len(mine)
        row.indicators_red = sum(1 for i in mine if i.rag == "red")
        row.indicators_without_data = sum(1 for i in mine if i.status)
        if not row.self_grade:
            row.gaps.append("No self-evaluation grade")
        elif row.self_grade_code not in GOOD_OR_BETTER:
            row.gaps.append("Self-assessed below good")
        if row.answer is None or not row.answer.is_complete:
            row.gaps.append("Ofsted's three questions not all answered")
        if not row.evidence:
            row.gaps.append("No evidence linked to actions")
        if not row.audits:
            row.gaps.append("No case audits in the last six months")
        if row.indicators_red:
            row.gaps.append(f"{row.indicators_red} indicator{'s' if row.indicators_red != 1 else ''} red")
        if row.actions_overdue:
            row.gaps.append(f"{row.actions_overdue} overdue action{'s' if row.actions_overdue != 1 else ''}")
        rows.append(row)
    return {"framework": framework, "areas": rows, "self_evaluation": self_evaluation}


# ---------------------------------------------------------------------------------------------
# Self-evaluation: the three questions, and calibration against actual grades
# ---------------------------------------------------------------------------------------------


def self_evaluation_list():
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION)
        .select_related("framework")
        .annotate(answer_count=Count("self_evaluation_answers", distinct=True))
        .order_by(F("onsite_start_on").desc(nulls_last=True), F("notified_on").desc(nulls_last=True), "-id")
    )


def self_evaluation_areas(*, inspection) -> list[tuple[object, SelfEvaluationAnswer | None, str]]:
    """(area, answer or None, self-assessed grade label) for each graded area of its framework."""
    areas = list(inspection.framework.areas.filter(graded=True).order_by("order"))
    answers = {a.area_id: a for a in SelfEvaluationAnswer.objects.filter(inspection=inspection)}
    grades = dict(inspection.judgements.values_list("area_id", "grade__label"))
    return [(area, answers.get(area.pk), grades.get(area.pk, "")) for area in areas]


def _key_date(inspection) -> dt.date:
    return (
        inspection.onsite_start_on
        or inspection.notified_on
        or inspection.published_on
        or timezone.localtime(inspection.created_at).date()
    )


@dataclass
class CalibrationRow:
    actual: object
    self_evaluation: object
    area_name: str
    self_label: str
    actual_label: str
    difference: int  # positive: we graded ourselves higher (better) than the inspectors did

    @property
    def verdict(self) -> str:
        if self.difference == 0:
            return "Same"
        steps = abs(self.difference)
        return (
            f"{'Over' if self.difference > 0 else 'Under'}-graded by {steps} grade{'s' if steps > 1 else ''}"
        )


def calibration() -> list[CalibrationRow]:
    """For each actual inspection, our latest earlier self-evaluation's grades beside the inspectors'."""
    from inspections.models import Inspection, Judgement

    judgements = list(
        Judgement.objects.filter(
            inspection__kind__in=[Inspection.Kind.ACTUAL, Inspection.Kind.SELF_EVALUATION]
        ).select_related("inspection", "area", "grade")
    )
    by_inspection: dict[int, list] = defaultdict(list)
    inspections = {}
    for j in judgements:
        by_inspection[j.inspection_id].append(j)
        inspections[j.inspection_id] = j.inspection
    self_evaluations = sorted(
        (i for i in inspections.values() if i.kind == Inspection.Kind.SELF_EVALUATION), key=_key_date
    )
    actuals = sorted((i for i in inspections.values() if i.kind == Inspection.Kind.ACTUAL), key=_key_date)
    rows = []
    for actual in reversed(actuals):
        earlier = [s for s in self_evaluations if _key_date(s) <= _key_date(actual)]
        if not earlier:
            continue
        ours = {j.area.code: j for j in by_inspection[earlier[-1].pk]}
        for j in sorted(by_inspection[actual.pk], key=lambda j: j.area.order):
            mine = ours.get(j.area.code)
            if mine is None:
                continue
            rows.append(
                CalibrationRow(
                    actual=actual,
                    self_evaluation=earlier[-1],
                    area_name=j.area.name,
                    self_label=mine.grade.label,
                    actual_label=j.grade.label,
                    difference=j.grade.rank - mine.grade.rank,
                )
            )
    return rows


# ---------------------------------------------------------------------------------------------
# Board member home: aggregates only
# ---------------------------------------------------------------------------------------------


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
                        ("overdue", "Overdue"),
                    )
                ],
                "total": suppress(totals["total"]),
            }
    reports = list(
        Report.objects.filter(kind=Report.Kind.BOARD_SUMMARY, status=Report.Status.READY).order_by(
            "-finished_at", "-pk"
        )[:5]
    )
    return {"inspection": inspection, "judgements": judgements, "rag": rag, "reports": reports}


# ---------------------------------------------------------------------------------------------
# Daily digest
# ---------------------------------------------------------------------------------------------


def history_counts(*, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
    """(model name, number of history rows) for every tracked model changed in [start, end)."""
    from django.apps import apps

    counts = []
    for label in ("inspections", "casework", "readiness"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                continue
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
