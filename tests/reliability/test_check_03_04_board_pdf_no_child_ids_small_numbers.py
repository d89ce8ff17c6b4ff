"""Checks 3 and 4 for the PDF a board member can obtain.

tests/test_access.py proves 403 on every child-level URL for a board member and that no page they can
open holds the fixture's child ID; tests/readiness/test_dashboard.py proves "c" for a count of 3 on
the board home page. Neither looks inside the PDF. Here a board member asks for a board summary
through the pages, the real builder renders it (eager Celery) and the downloaded PDF's text is
searched for every fixture child ID and for a count of 3 shown as "3".
"""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from readiness import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
CHILD_ID = re.compile(r"\bC\d{4}\b")


@pytest.fixture
def council(settings):
    """Children, an inspection with judgements, and a plan whose actions name children in free text."""
    from casework.models import Child
    from inspections import services as inspection_services
    from inspections.models import Concern
    from tests.factories.inspections import Ilacs2019Factory
    from tests.factories.plans import ActionFactory, PriorityFactory

    children = [Child.objects.create(child_id=f"C{n:04d}", birth_year=2010 + n % 8) for n in range(1, 31)]
    inspection = Ilacs2019Factory()
    inspection_services.judgements_record(
        inspection=inspection,
        grades={"overall": "requires_improvement", "leaders": "good", "help_and_protection": "good",
                "children_in_care": "requires_improvement"},
    )  # fmt: skip
    Concern.objects.create(inspection=inspection, summary="Delay for C0003", child_reference="C0003")
    # People write child IDs into plan text; the board must still not see them.
    priority = PriorityFactory(title="Help for C0001 and C0002")
    today = timezone.localdate()
    for n in range(3):  # exactly three overdue actions: a fixture cell of 3
        ActionFactory(
            priority=priority, due_on=today - dt.timedelta(days=1 + n), description=f"C000{n + 4} plan"
        )
    for n in range(7):
        ActionFactory(priority=priority, due_on=today + dt.timedelta(days=120), description=f"C001{n} plan")
    return children


def _board_pdf_text(django_capture_on_commit_callbacks) -> tuple[str, bytes]:
    from readiness.models import Report

    board = Client()
    board.force_login(make_user(roles.BOARD_MEMBER))
    with django_capture_on_commit_callbacks(execute=True):
        response = board.post(reverse("readiness:report-request"), {"kind": Report.Kind.BOARD_SUMMARY})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.READY, report.error
    page = board.get(report.get_absolute_url())
    download = board.get(reverse("readiness:report-download", kwargs={"report_id": report.pk}))
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Improvement plan progress" in text  # the builder really ran with the plan
    return text, page.content


def test_check_03_no_child_id_in_the_board_summary_pdf(council, django_capture_on_commit_callbacks):
    text, page = _board_pdf_text(django_capture_on_commit_callbacks)
    assert not CHILD_ID.findall(text), CHILD_ID.findall(text)
    assert not CHILD_ID.findall(page.decode()), CHILD_ID.findall(page.decode())


def test_check_04_a_count_of_three_is_shown_as_c_in_the_board_summary_pdf(
    council, django_capture_on_commit_callbacks
):
    text, _ = _board_pdf_text(django_capture_on_commit_callbacks)
    overdue = re.search(r"Overdue actions:\s*(\S+?)\.", text)
    assert overdue and overdue[1] == "c", text
    trend = re.search(r"^Overdue\s+(\S+)", text, re.M)
    assert trend and trend[1] == "c", text
    # No figure 1 to 5 stands alone anywhere in the tables (dates and page numbers aside).
    lines = [
        line for line in text.splitlines() if not re.search(r"\d{4}|Page \d|^c: a number from 1 to 5", line)
    ]
    assert not [line for line in lines if re.search(r"(?<![\w.])[1-5](?![\w.])", line)], lines
