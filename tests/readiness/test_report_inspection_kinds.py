"""The inspection timeline and board summary templates, rendered from real inspection records.

`inspections.selectors` does not yet offer inspection_get / inspection_latest /
milestone_list_for_inspection / judgement_list_for_inspection; until it does the builders refuse
("No inspection recorded yet"). Here a stand-in with those names reads the real models, so the
templates are proven against real data and the day the selectors land needs no template change.
"""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from readiness.reports import builders
from readiness.reports.pdf import render_template_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    from inspections.models import Framework
    from inspections.services import inspection_create, milestones_compute

    framework = Framework.objects.get(code="ilacs-2023")
    record = inspection_create(
        framework=framework,
        title="ILACS standard inspection, March 2026",
        onsite_start_on=dt.date(2026, 3, 2),
        onsite_end_on=dt.date(2026, 3, 13),
    )
    milestones_compute(inspection=record)
    return record


@pytest.fixture
def stand_in_selectors(monkeypatch):
    from inspections.models import Inspection

    stand_in = SimpleNamespace(
        inspection_get=lambda *, inspection_id: Inspection.objects.filter(pk=inspection_id).first(),
        inspection_latest=lambda: Inspection.objects.order_by("-onsite_start_on", "-pk").first(),
        milestone_list_for_inspection=lambda *, inspection: sorted(
            inspection.milestones.all(), key=lambda m: (m.effective_due_on, m.code)
        ),
        judgement_list_for_inspection=lambda *, inspection: inspection.judgements.select_related(
            "area", "grade"
        ),
    )
    monkeypatch.setattr(builders, "_inspection_selectors", lambda: stand_in)


def _render(content):
    rendered = render_template_pdf(
        template_name=content.template,
        context=content.context,
        title=content.title,
        child_level=content.child_level,
    )
    reader = PdfReader(io.BytesIO(rendered.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_inspection_timeline_lists_every_milestone_with_its_explanation(inspection, stand_in_selectors):
    content = builders.BUILDERS["inspection-timeline"]({"inspection": inspection.pk})
    reader, text = _render(content)
    milestones = list(inspection.milestones.all())
    assert milestones, "the framework's rules should give this inspection milestones"
    for milestone in milestones:
        assert milestone.name.split()[0] in text
    assert "How the date was worked out" in text
    assert "OFFICIAL" not in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_inspection_timeline_for_an_unknown_id_says_so(stand_in_selectors):
    with pytest.raises(builders.ReportDataError, match="Inspection 999999 does not exist"):
        builders.BUILDERS["inspection-timeline"]({"inspection": 999999})


def test_board_summary_shows_judgements_and_next_deadlines_and_is_not_marked_sensitive(
    inspection, stand_in_selectors
):
    content = builders.BUILDERS["board-summary"]({})
    assert content.child_level is False
    _, text = _render(content)
    assert "Judgements" in text and "Next deadlines" in text
    assert "OFFICIAL" not in text
