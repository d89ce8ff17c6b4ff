"""Self-assessed grades against good (the DCS page's grades block)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from readiness.dashboards.selectors.common import GOOD_OR_BETTER


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
