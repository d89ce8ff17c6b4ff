"""The on-site log: quick add forms, change and close, who may do what, child references kept back."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import Concern, DailyNote, DataRequest, Meeting
from readiness import roles
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db

PM, DCS, AUD = roles.PERFORMANCE_MANAGER, roles.DCS, roles.AUDITOR


@pytest.fixture
def inspection():
    return Ilacs2019Factory(title="ILACS 2019")


def url(name, inspection, **kwargs):
    return reverse(f"inspections:{name}", kwargs={"inspection_pk": inspection.pk, **kwargs})


def date_fields(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def local(value):
    return timezone.localtime(value).replace(tzinfo=None)


def test_dcs_adds_a_daily_note_but_cannot_change_the_inspection(client_for, inspection):
    dcs = client_for(DCS)
    log = dcs.get(url("onsite-log", inspection)).content.decode()
    assert "Add a daily note" in log
    assert "Add a data request" not in log  # DCS reads the rest of the log but only writes notes
    data = {**date_fields("note-day", dt.date(2019, 2, 18)), "note-text": "Inspectors started in the MASH."}
    response = dcs.post(url("dailynote-create", inspection), data)
    assert response.status_code == 302
    assert response["Location"].endswith("/on-site/#daily-notes")
    note = DailyNote.objects.get()
    assert (note.day, note.text, note.author.username) == (dt.date(2019, 2, 18), data["note-text"], "dcs")
    assert note.history.first().history_user.username == "dcs"
    page = dcs.get(url("onsite-log", inspection)).content.decode()
    assert "Inspectors started in the MASH." in page and "Monday 18 February 2019" in page

    change = url("dailynote-update", inspection, entry_pk=note.pk)
    dcs.post(change, {**date_fields("note-day", dt.date(2019, 2, 18)), "note-text": "Corrected."})
    note.refresh_from_db()
    assert note.text == "Corrected." and note.history.count() == 2

    assert (
        dcs.get(reverse("inspections:inspection-update", kwargs={"inspection_pk": inspection.pk})).status_code
        == 403
    )
    assert dcs.post(url("datarequest-create", inspection), {"request-what": "x"}).status_code == 403
    assert dcs.post(url("concern-create", inspection), {"concern-summary": "x"}).status_code == 403


def test_auditors_and_board_members_cannot_open_the_log(client_for, inspection):
    assert client_for(AUD).get(url("onsite-log", inspection)).status_code == 403
    board = client_for(roles.BOARD_MEMBER)
    assert board.get(url("onsite-log", inspection)).status_code == 403
    assert board.post(url("dailynote-create", inspection), {}).status_code == 403


def test_an_empty_note_re_renders_with_the_error_summary(client_for, inspection):
    page = client_for(DCS).post(url("dailynote-create", inspection), {"note-text": ""}).content.decode()
    assert "<title>Error: Add a daily note" in page
    assert "Enter the update" in page and "Enter the day" in page
    assert not DailyNote.objects.exists()


def test_data_request_with_owner_and_due_time_then_closed(client_for, inspection):
    pm = client_for(PM)
    owner = User.objects.get(username="pm")
    data = {
        "request-what": "Supervision records for the 18 sampled children",
        "request-owner": str(owner.pk),
        **date_fields("request-due_on", dt.date(2019, 2, 19)),
        "request-due_time": "16:00",
        "request-status": "open",
    }
    assert pm.post(url("datarequest-create", inspection), data).status_code == 302
    request = DataRequest.objects.get()
    assert local(request.due_at) == dt.datetime(2019, 2, 19, 16, 0)
    assert request.owner == owner
    log = pm.get(url("onsite-log", inspection)).content.decode()
    assert "Supervision records for the 18 sampled children" in log and "Tue 19 Feb 16:00" in log

    bad = pm.post(url("datarequest-create", inspection), {**data, "request-due_time": "4pm"}).content.decode()
    assert "Due time must be a time, like 09:30 or 14:00" in bad
    assert 'value="4pm"' in bad

    pm.post(url("datarequest-close", inspection, entry_pk=request.pk))
    request.refresh_from_db()
    assert request.status == DataRequest.Status.CLOSED
    assert pm.get(url("datarequest-close", inspection, entry_pk=request.pk)).status_code == 405


def test_meeting_needs_a_date_and_a_time(client_for, inspection):
    pm = client_for(PM)
    data = {"meeting-title": "Meeting with the lead member", "meeting-kind": "meeting", "meeting-at": ""}
    page = pm.post(url("meeting-create", inspection), {**data, "meeting-on_0": ""}).content.decode()
    assert "Enter the date" in page and "Enter start time" in page
    assert 'value="Meeting with the lead member"' in page
    data.update(
        date_fields("meeting-on", dt.date(2019, 2, 20)),
        **{"meeting-at": "10:30", "meeting-who": "Cllr Patel"},
    )
    assert pm.post(url("meeting-create", inspection), data).status_code == 302
    meeting = Meeting.objects.get()
    assert local(meeting.starts_at) == dt.datetime(2019, 2, 20, 10, 30)
    data["meeting-notes"] = "Inspectors asked about the budget."
    pm.post(url("meeting-update", inspection, entry_pk=meeting.pk), data)
    meeting.refresh_from_db()
    assert meeting.notes == "Inspectors asked about the budget."


def concern_post(**extra):
    return {
        "concern-summary": "A child's plan has not been reviewed for 9 months",
        "concern-raised_by": "Hilary Marsh HMI",
        **date_fields("concern-raised_on", dt.date(2019, 2, 21)),
        "concern-raised_time": "14:00",
        **extra,
    }


def test_concern_recorded_closed_and_reopened(client_for, inspection):
    pm = client_for(PM)
    response = pm.post(
        url("concern-create", inspection), concern_post(**{"concern-child_reference": "C0042"})
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.child_reference == "C0042" and concern.is_open
    page = pm.get(url("onsite-log", inspection)).content.decode()
    assert "C0042" in page  # performance managers may see child records

    pm.post(url("concern-close", inspection, entry_pk=concern.pk))
    concern.refresh_from_db()
    assert concern.closed_at is not None
    pm.post(url("concern-close", inspection, entry_pk=concern.pk), {"reopen": "1"})
    concern.refresh_from_db()
    assert concern.closed_at is None
    assert [h.history_change_reason for h in concern.history.all()][:2] == ["Reopened", "Closed"]


@pytest.fixture
def no_child_access(inspection):
    """A user who may work the on-site log but not see child records."""
    user = User.objects.create_user("logkeeper")
    codenames = ["view_inspection", "view_dailynote", "view_concern", "add_concern", "change_concern"]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="inspections", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


def test_child_reference_is_hidden_without_casework_view_child_record(no_child_access, inspection):
    concern = Concern.objects.create(
        inspection=inspection, summary="Delay in one plan", child_reference="C0042"
    )
    page = no_child_access.get(url("onsite-log", inspection)).content.decode()
    assert "Delay in one plan" in page
    assert "C0042" not in page and "Child ID" not in page
    form = no_child_access.get(url("concern-update", inspection, entry_pk=concern.pk)).content.decode()
    assert "C0042" not in form and "child_reference" not in form

    # Saving the concern neither shows nor loses the reference; posting one is ignored.
    data = concern_post(**{"concern-child_reference": "C9999", "concern-action_taken": "Plan reviewed."})
    assert (
        no_child_access.post(url("concern-update", inspection, entry_pk=concern.pk), data).status_code == 302
    )
    concern.refresh_from_db()
    assert (concern.child_reference, concern.action_taken) == ("C0042", "Plan reviewed.")
    no_child_access.post(
        url("concern-create", inspection), concern_post(**{"concern-child_reference": "C9999"})
    )
    assert Concern.objects.filter(child_reference="C9999").count() == 0


def test_log_entries_of_another_inspection_are_not_found(client_for, inspection):
    other = Ilacs2019Factory()
    note = DailyNote.objects.create(inspection=other, text="Elsewhere")
    response = client_for(PM).get(url("dailynote-update", inspection, entry_pk=note.pk))
    assert response.status_code == 404
