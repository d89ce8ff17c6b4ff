"""The improvement-plan and board-summary PDFs, rendered by WeasyPrint and read back with pypdf."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from readiness.models import Report
from readiness.plans.models import Action, Rag
from readiness.reports import builders
from readiness.reports.services import report_render_run
from tests.factories.plans import ActionFactory, PlanFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _render(kind: str, parameters: dict | None = None) -> tuple[Report, PdfReader]:
    report = Report.objects.create(kind=kind, parameters=parameters or {}, status=Report.Status.RUNNING)
    report = report_render_run(report=report)
    with report.file.open("rb") as handle:
        return report, PdfReader(io.BytesIO(handle.read()))


@pytest.fixture
def plan():
    plan = PlanFactory(title="Northmoor improvement plan")
    today = dt.date.today()
    for order, title in enumerate(("Improve early help oversight", "Strengthen supervision"), start=1):
        priority = PriorityFactory(plan=plan, order=order, title=title)
        for n in range(7):
            action = ActionFactory(
                priority=priority,
                description=f"{title}: step {n + 1}",
                due_on=today + dt.timedelta(days=60 + n),
                status=Action.Status.COMPLETE if n == 0 else Action.Status.IN_PROGRESS,
            )
            ProgressUpdateFactory(action=action, text=f"Latest news on step {n + 1} of {title}")
    return plan


def test_improvement_plan_pdf_has_every_priority_action_and_outline(plan):
    report, reader = _render("improvement-plan", {"plan": plan.pk})
    assert report.status == Report.Status.READY
    assert report.pages == len(reader.pages) >= 1
    text = _text(reader)
    assert "Improve early help oversight" in text and "Strengthen supervision" in text
    assert "step 7" in text and "Latest news on step 7" in text
    assert "OFFICIAL" in text  # free text could name a child: the plan is marked
    titles = _outline_titles(reader)
    assert "Priority 1" in titles and "Priority 2" in titles
    assert reader.metadata.title == "Improvement plan: Northmoor improvement plan"


def test_improvement_plan_without_an_id_takes_the_latest_plan(plan):
    content = builders.build_improvement_plan({})
    assert content.context["plan"] == plan


def test_improvement_plan_refuses_when_there_is_no_plan():
    with pytest.raises(builders.ReportDataError, match="No improvement plan exists yet"):
        builders.build_improvement_plan({})
    with pytest.raises(builders.ReportDataError, match="Improvement plan 999 does not exist"):
        builders.build_improvement_plan({"plan": "999"})


@pytest.fixture
def inspection():
    from tests.factories.inspections import Ilacs2019Factory

    return Ilacs2019Factory()


def test_board_summary_shows_rag_counts_suppresses_small_numbers_and_never_a_child_id(inspection, plan):
    from casework.models import Child

    Child.objects.create(child_id="C0001", birth_year=2015)
    # Priority 2 gets 3 off-track actions (a small number: shown as "c").
    for action in Action.objects.filter(priority__order=2).order_by("pk")[:3]:
        action.rag_override, action.rag_override_reason = Rag.OFF_TRACK, "Partner capacity"
        action.save()
    report, reader = _render("board-summary")
    text = _text(reader)
    assert "Improvement plan progress" in text
    assert "All priorities" in text
    # Priority 1: 6 on track or at risk, 1 complete -> complete shows as c; totals: 14 actions.
    assert " c " in f" {text} ".replace("\n", " ")
    assert "c: a number from 1 to 5" in text
    lines = [line for line in text.splitlines() if line.startswith("2. ")]
    assert lines and " 3 " not in f" {lines[0]} "
    assert "C0001" not in text
    assert "OFFICIAL" not in text
    counts = report.parameters["plan_counts"]
    assert counts["plan"] == plan.pk and counts["totals"]["off_track"] == 3


def test_board_summary_compares_with_the_last_ready_summary(inspection, plan):
    first, _ = _render("board-summary")
    assert first.parameters["plan_counts"]["totals"]["complete"] == 2
    for action in Action.objects.filter(status=Action.Status.IN_PROGRESS).order_by("pk")[:6]:
        action.status = Action.Status.COMPLETE
        action.save()
    second, reader = _render("board-summary")
    text = _text(reader)
    assert "Trend since the last board summary" in text
    trend = text[text.index("Trend since the last board summary") :]
    complete_line = next(line for line in trend.splitlines() if line.startswith("Complete "))
    assert complete_line.split()[1:] == ["8", "c", "Up"]
    assert second.parameters["plan_counts"]["totals"]["complete"] == 8
