"""Delete on-site log entries: confirm first, POST only, the right inspection, history kept."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections.models import Concern, DailyNote, DataRequest, Meeting
from readiness import roles
from tests.conftest import make_user
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)


@pytest.fixture
def inspection():
    return Ilacs2019Factory(title="ILACS 2019")


def make_entries(inspection):
    return {
        "dailynote": DailyNote.objects.create(
            inspection=inspection, day=dt.date(2019, 2, 18), text="Day one went well"
        ),
        "datarequest": DataRequest.objects.create(
            inspection=inspection, what="Supervision records for team 3"
        ),
        "meeting": Meeting.objects.create(
            inspection=inspection, title="Lead member interview", starts_at=timezone.now()
        ),
        "concern": Concern.objects.create(inspection=inspection, summary="Strategy meeting delayed"),
    }


def url(codename, entry, inspection=None):
    inspection_pk = (inspection or entry.inspection).pk
    return reverse(
        f"inspections:{codename}-delete", kwargs={"inspection_pk": inspection_pk, "entry_pk": entry.pk}
    )


def log(inspection):
    return reverse("inspections:onsite-log", kwargs={"inspection_pk": inspection.pk})


NOUNS = {"dailynote": "daily note", "datarequest": "data request", "meeting": "meeting", "concern": "concern"}
TEXTS = {
    "dailynote": "Day one went well",
    "datarequest": "Supervision records for team 3",
    "meeting": "Lead member interview",
    "concern": "Strategy meeting delayed",
}


@pytest.mark.parametrize("codename", list(NOUNS))
def test_confirm_then_delete_keeps_a_history_row_with_the_user(codename, inspection):
    entry = make_entries(inspection)[codename]
    user = make_user(PM)
    client = Client()
    client.force_login(user)

    confirm = client.get(url(codename, entry))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert f"Are you sure you want to delete this {NOUNS[codename]}?" in page
    assert TEXTS[codename] in page
    assert type(entry).objects.filter(pk=entry.pk).exists()  # GET deletes nothing

    response = client.post(url(codename, entry), follow=True)
    assert not type(entry).objects.filter(pk=entry.pk).exists()
    assert response.redirect_chain[-1][0].startswith(log(inspection))
    body = response.content.decode()
    assert f"{NOUNS[codename][0].upper()}{NOUNS[codename][1:]} deleted" in body
    gone = type(entry).history.filter(id=entry.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_user == user
    assert gone.history_change_reason == services.ONSITE_ENTRY_DELETED
    # The other kinds of entry are untouched.
    others = [m for m in (DailyNote, DataRequest, Meeting, Concern) if m is not type(entry)]
    assert all(m.objects.filter(inspection=inspection).count() == 1 for m in others)


def test_dcs_may_delete_daily_notes_but_nothing_else(client_for, inspection):
    entries = make_entries(inspection)
    dcs = client_for(DCS)
    page = dcs.get(log(inspection)).content.decode()
    assert url("dailynote", entries["dailynote"]) in page
    for codename in ("datarequest", "meeting", "concern"):
        assert url(codename, entries[codename]) not in page
        assert dcs.get(url(codename, entries[codename])).status_code == 403
        assert dcs.post(url(codename, entries[codename])).status_code == 403
    assert dcs.post(url("dailynote", entries["dailynote"])).status_code == 302
    assert not DailyNote.objects.exists()
    assert DataRequest.objects.count() == Meeting.objects.count() == Concern.objects.count() == 1


@pytest.mark.parametrize("role", [AUD, BM, None])
def test_auditors_board_members_and_users_without_a_role_are_refused(client_for, inspection, role):
    entries = make_entries(inspection)
    other = client_for(role)
    for codename, entry in entries.items():
        assert other.get(url(codename, entry)).status_code == 403, codename
        assert other.post(url(codename, entry)).status_code == 403, codename
    assert all(type(e).objects.filter(pk=e.pk).exists() for e in entries.values())


def test_an_entry_of_another_inspection_is_404_and_survives(client_for, inspection):
    entries = make_entries(inspection)
    elsewhere = Ilacs2019Factory(title="Another")
    pm = client_for(PM)
    for codename, entry in entries.items():
        assert pm.get(url(codename, entry, inspection=elsewhere)).status_code == 404, codename
        assert pm.post(url(codename, entry, inspection=elsewhere)).status_code == 404, codename
    assert all(type(e).objects.filter(pk=e.pk).exists() for e in entries.values())


def test_delete_needs_the_csrf_token(inspection):
    note = make_entries(inspection)["dailynote"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(ADM))
    assert client.post(url("dailynote", note)).status_code == 403
    assert DailyNote.objects.filter(pk=note.pk).exists()


def test_the_log_offers_delete_links_and_an_empty_state_afterwards(client_for, inspection):
    entries = make_entries(inspection)
    pm = client_for(PM)
    page = pm.get(log(inspection)).content.decode()
    for codename, entry in entries.items():
        assert url(codename, entry) in page, codename
    for codename, entry in entries.items():
        pm.post(url(codename, entry))
    page = pm.get(log(inspection)).content.decode()
    assert page.count("None recorded yet.") == 4
