"""The inspection timeline PDF words milestones as the inspection page does: observed ones are "typically"."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from inspections import services
from inspections.selectors import milestone_when
from readiness.reports import builders
from readiness.reports.pdf import render_template_pdf
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db


def _pdf_text(content) -> str:
    rendered = render_template_pdf(
        template_name=content.template,
        context=content.context,
        title=content.title,
        child_level=content.child_level,
    )
    reader = PdfReader(io.BytesIO(rendered.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def inspection():
    inspection = Ilacs2019Factory(title="ILACS 2019")
    services.milestones_compute(inspection=inspection)
    return inspection


def test_observed_milestones_say_typically_and_deadlines_say_due(inspection):
    observed = inspection.milestones.get(code="publication")
    statutory = inspection.milestones.get(code="action_plan")
    assert observed.is_observed and not statutory.is_observed

    content = builders.build_inspection_timeline({"inspection": inspection.pk})
    wording = {row["milestone"].code: row["when"] for row in content.context["rows"]}
    assert wording["publication"] == milestone_when(observed)
    assert wording["publication"].startswith("Typically")
    assert wording["action_plan"] == "Due 9 Jul 2019"

    text = _pdf_text(content)
    assert milestone_when(observed) in text
    assert "Due 9 Jul 2019" in text
    # The observed date is never given as a due date.
    assert f"Due {observed.due_on.day} {observed.due_on:%b %Y}" not in text


def test_overridden_and_done_milestones_say_so(inspection):
    statutory = inspection.milestones.get(code="action_plan")
    services.milestone_override(milestone=statutory, due_on=dt.date(2019, 7, 16), reason="Extension agreed")
    services.milestone_mark_done(milestone=statutory, done_on=dt.date(2019, 7, 12))
    text = _pdf_text(builders.build_inspection_timeline({"inspection": inspection.pk}))
    assert "Due 16 Jul 2019 (worked out as 9 Jul 2019)" in text
    assert "Changed by hand: Extension agreed" in text
    assert "Done on 12 Jul 2019" in text
    assert "Not yet" in text  # the others are still open
