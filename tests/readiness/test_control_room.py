"""The inspection control room: day N of M in working days, the HTMX panel, the empty state."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from inspections.models import Concern, DailyNote, DataRequest, Inspection, Meeting
from readiness import roles
from readiness.dashboards.selectors import onsite_day
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, NonWorkingDayFactory, framework

pytestmark = pytest.mark.django_db

# Two weeks on site over Easter 2025: Good Friday 18 April and Easter Monday 21 April are bank holidays.
START, END = dt.date(2025, 4, 14), dt.date(2025, 4, 25)


def _live(**fields) -> Inspection:
    return InspectionFactory(
        framework=framework("ilacs-2023"),
        title="ILACS standard inspection, April 2025",
        notified_on=START - dt.timedelta(days=7),
        onsite_start_on=START,
        onsite_end_on=END,
        **fields,
    )


def test_day_n_of_m_skips_bank_holidays():
    day = onsite_day(start=START, end=END, today=dt.date(2025, 4, 22))
    assert (day.number, day.of, day.is_working_day) == (5, 8, True)
    assert onsite_day(start=START, end=END, today=START).number == 1
    holiday = onsite_day(start=START, end=END, today=dt.date(2025, 4, 21))
    assert (holiday.number, holiday.is_working_day) == (4, False)


@freeze_time("2025-04-22 09:00:00")
def test_control_room_shows_the_day_and_the_log(client_for):
    inspection = _live()
    DailyNote.objects.create(
        inspection=inspection, day=dt.date(2025, 4, 22), text="Strong feedback on early help"
    )
    DataRequest.objects.create(
        inspection=inspection, what="Supervision records", due_at=timezone.now() - dt.timedelta(hours=1)
    )
    DataRequest.objects.create(inspection=inspection, what="Closed one", status=DataRequest.Status.CLOSED)
    Meeting.objects.create(inspection=inspection, title="Lead member interview", starts_at=timezone.now())
    Meeting.objects.create(
        inspection=inspection, title="Yesterday's meeting", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    Concern.objects.create(inspection=inspection, summary="Drift in pre-proceedings", child_reference="C0042")
    response = client_for(roles.DCS).get(reverse("readiness:control-room"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Day 5 of 8 on site" in html
    assert 'hx-get="/control-room/panel/"' in html and 'hx-trigger="every 30s"' in html
    assert "Lead member interview" in html and "Yesterday&#x27;s meeting" not in html
    assert "1 outstanding · 1 overdue" in html and "Closed one" not in html
    assert "1 open · 1 raised in all" in html and "Drift in pre-proceedings" in html
    assert "C0042" not in html  # no child reference on the control room
    assert "Strong feedback on early help" in html
    assert "<script" in html and "htmx" in html  # the htmx script is a file, never inline code


@freeze_time("2025-04-22 09:00:00")
def test_control_room_counts_a_local_closure_as_not_a_working_day(client_for):
    _live()
    NonWorkingDayFactory(date=dt.date(2025, 4, 15), name="Office move")
    html = client_for(roles.PERFORMANCE_MANAGER).get(reverse("readiness:control-room")).content.decode()
    assert "Day 4 of 7 on site" in html


@freeze_time("2025-04-22 09:00:00")
def test_htmx_panel_returns_only_the_fragment(client_for):
    _live()
    response = client_for(roles.DCS).get(
        reverse("readiness:control-room-panel"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Day 5 of 8 on site" in html
    assert "<html" not in html and "<h1" not in html and 'id="control-room"' not in html


@freeze_time("2025-05-06 09:00:00")
def test_when_no_inspection_is_live_the_room_points_to_the_latest(client_for):
    latest = _live()
    Ilacs2019Factory()
    response = client_for(roles.DCS).get(reverse("readiness:control-room"))
    html = response.content.decode()
    assert "No inspection is on site today" in html
    assert reverse("inspections:inspection-detail", kwargs={"inspection_pk": latest.pk}) in html
    assert "hx-get" not in html
    panel = (
        client_for(roles.PERFORMANCE_MANAGER).get(reverse("readiness:control-room-panel")).content.decode()
    )
    assert "No inspection is on site now" in panel


@freeze_time("2025-04-22 09:00:00")
def test_a_mock_inspection_opens_the_control_room_labelled_as_a_mock(client_for):
    _live(kind=Inspection.Kind.MOCK)
    html = client_for(roles.DCS).get(reverse("readiness:control-room")).content.decode()
    assert "No inspection is on site today" not in html
    assert "Mock inspection control room" in html and "Day 5 of 8 on site" in html


@freeze_time("2025-04-22 09:00:00")
def test_control_room_shows_audit_sample_progress(client_for):
    from django.contrib.auth.models import User

    from casework.models import CaseAudit, Sample
    from tests.factories.casework import CaseAuditFactory, SampleFactory, SampleMemberFactory

    inspection = _live()
    sample = SampleFactory(kind=Sample.Kind.INSPECTION_AUDIT, inspection=inspection)
    auditor = User.objects.create_user("a1")
    members = [SampleMemberFactory(sample=sample) for _ in range(4)]
    CaseAuditFactory(member=members[0], auditor=auditor, status=CaseAudit.Status.SUBMITTED)
    CaseAuditFactory(
        member=members[1], auditor=auditor, status=CaseAudit.Status.SHARED, shared_at=timezone.now()
    )
    CaseAuditFactory(member=members[2], auditor=auditor)
    html = client_for(roles.DCS).get(reverse("readiness:control-room")).content.decode()
    assert "2 of 4 audits done · 1 shared with inspectors" in html
