"""Self-evaluation: the three questions, and calibration against actual grades."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils import timezone

from inspections.history import ChangeHistory, Source, change_history_of
from readiness.dashboards.models import SelfEvaluationAnswer

# The page's own short wording of the three questions.
ANSWER_LABELS = {
    "what_we_know": "What do we know?",
    "how_we_know": "How do we know?",
    "what_next": "What next?",
}


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


def self_evaluation_changes(*, inspection) -> ChangeHistory:
    """Who changed the self-assessed grades and the answers, area by area, newest first."""
    from inspections.models import Judgement

    def area_name(record) -> str:
        return record.area.name if record.area else "An area no longer recorded"

    return change_history_of(
        [
            Source(
                Judgement.history.filter(inspection_id=inspection.pk),
                exclude={"inspection", "area"},
                labels={"grade": "Self-assessed grade"},
                select_related=("area",),
                describe=area_name,
                initial=True,
            ),
            Source(
                SelfEvaluationAnswer.history.filter(inspection_id=inspection.pk),
                exclude={"inspection", "area", "updated_by"},  # the row's "who" already says it
                labels=ANSWER_LABELS,
                select_related=("area",),
                describe=area_name,
                initial=True,
            ),
        ]
    )


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
