"""Readiness overview: evidence and gaps per graded area."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from readiness.dashboards import sources
from readiness.dashboards.models import SelfEvaluationAnswer
from readiness.dashboards.selectors.common import CURRENT_FRAMEWORK, GOOD_OR_BETTER
from readiness.dashboards.selectors.indicators import indicator_rows

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
    indicator_rows: list = field(default_factory=list)
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
        row.indicator_rows = mine
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
