"""The self-evaluation document, made through the Report machinery (kind `self-evaluation`)."""

from __future__ import annotations

from readiness.reports.builders import ReportContent, ReportDataError, _id_parameter

NO_SELF_EVALUATION = (
    "No self-evaluation has been recorded yet. Add an inspection of kind 'Self-evaluation', answer "
    "Ofsted's three questions for each area, then try again."
)
NO_SELF_EVALUATION_WITH_ID = (
    "Self-evaluation {id} does not exist. Choose one that is recorded, then try again."
)


def build_self_evaluation(parameters: dict) -> ReportContent:
    from inspections.models import Inspection
    from readiness.dashboards.selectors import calibration, latest_self_evaluation, self_evaluation_areas

    inspection_id = _id_parameter(parameters, "inspection")
    if inspection_id is not None:
        inspection = (
            Inspection.objects.filter(pk=inspection_id, kind=Inspection.Kind.SELF_EVALUATION)
            .select_related("framework")
            .first()
        )
        if inspection is None:
            raise ReportDataError(NO_SELF_EVALUATION_WITH_ID.format(id=inspection_id))
    else:
        inspection = latest_self_evaluation()
        if inspection is None:
            raise ReportDataError(NO_SELF_EVALUATION)
    return ReportContent(
        template="pdf/self_evaluation.html",
        context={
            "inspection": inspection,
            "areas": self_evaluation_areas(inspection=inspection),
            "calibration": calibration(),
        },
        title=f"Self-evaluation: {inspection}",
        # Answers are free text about practice that could mention a child: mark every page.
        child_level=True,
    )
