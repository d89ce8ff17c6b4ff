"""The calendar feed: the ics writer (escaping, folding, CRLF) and the per-user, revocable feed."""

import datetime as dt

import pytest
from django.urls import reverse

from inspections import ics, services
from inspections.models import CalendarToken
from inspections.selectors import calendar_feed_events, inspection_label
from readiness import roles
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, MilestoneFactory, framework

STAMP = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)

# ---------------------------------------------------------------------------
# The writer (no database)
# ---------------------------------------------------------------------------


def test_text_escaping_follows_rfc_5545():
    assert ics.escape_text("a, b; c \\ d") == "a\\, b\\; c \\\\ d"
    assert ics.escape_text("line one\nline two\r\nthree") == "line one\\nline two\\nthree"


def test_short_lines_are_not_folded():
    assert ics.fold("SUMMARY:Short") == "SUMMARY:Short"


def test_long_lines_fold_at_75_octets_with_a_leading_space():
    line = "DESCRIPTION:" + "x" * 200
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [75, 75, 64]
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line  # unfolds to the original


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "—" * 60  # an em dash is 3 octets in UTF-8
    parts = ics.fold(line).split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    for part in parts:
        part.encode("utf-8").decode("utf-8")  # each line is whole UTF-8 on its own
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_calendar_uses_crlf_all_day_dates_and_escaped_text():
    description = "70 working days after final report received on Wed 27 Mar 2019 — skips Good Friday, Easter"
    event = ics.AllDayEvent(
        uid="milestone-7@readiness",
        start=dt.date(2019, 7, 9),
        summary="Improvement plan due — ILACS 2019",
        description=description,
    )
    body = ics.calendar([event], name="Deadlines; council", stamp=STAMP)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends CRLF
    assert "X-WR-CALNAME:Deadlines\\; council\r\n" in body
    assert "DTSTART;VALUE=DATE:20190709\r\n" in body
    assert "DTEND;VALUE=DATE:20190710\r\n" in body
    assert "DTSTAMP:20260105T093000Z\r\n" in body
    assert "UID:milestone-7@readiness\r\n" in body
    unfolded = body.replace("\r\n ", "")
    assert "DESCRIPTION:" + description.replace(",", "\\,") + "\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


# ---------------------------------------------------------------------------
# The feed and its tokens
# ---------------------------------------------------------------------------


def feed_url(token):
    return reverse("inspections:calendar-ics", kwargs={"token": token})


@pytest.mark.django_db
def test_labels_read_like_ilacs_2019():
    assert inspection_label(Ilacs2019Factory()) == "ILACS 2019"
    mock = InspectionFactory(
        framework=framework("ilacs-2026"), kind="mock", onsite_start_on=dt.date(2026, 5, 4)
    )
    assert inspection_label(mock) == "Mock ILACS 2026"


@pytest.mark.django_db
def test_feed_has_only_upcoming_milestones_not_done_with_explanations():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    events = calendar_feed_events(today=dt.date(2019, 6, 1))
    assert "Improvement plan (written statement of proposed action) due — ILACS 2019" in [
        e.summary for e in events
    ]
    action_plan = inspection.milestones.get(code="action_plan")
    event = next(e for e in events if e.uid == f"milestone-{action_plan.pk}@readiness")
    assert event.start == dt.date(2019, 7, 9)
    assert event.description.startswith("70 working days after final report received on Wed 27 Mar 2019")
    past = inspection.milestones.get(code="factual_accuracy")
    assert all(e.uid != f"milestone-{past.pk}@readiness" for e in events)  # before 1 June 2019

    action_plan.done_on = dt.date(2019, 5, 30)
    action_plan.save()
    assert all(
        e.uid != f"milestone-{action_plan.pk}@readiness"
        for e in calendar_feed_events(today=dt.date(2019, 6, 1))
    )


@pytest.mark.django_db
def test_observed_milestones_say_typically():
    MilestoneFactory(name="Report published", status="observed", due_on=dt.date(2099, 1, 1))
    (event,) = calendar_feed_events(today=dt.date(2098, 1, 1))
    assert event.summary.startswith("Report published typically — ")


@pytest.mark.django_db
def test_make_revoke_and_remake_the_feed_address(client_for, client):
    dcs = client_for(roles.DCS)
    page = dcs.get(reverse("inspections:calendar-feed")).content.decode()
    assert "Make my feed address" in page
    dcs.post(reverse("inspections:calendar-feed"), {"action": "create"})
    token = CalendarToken.objects.get(user__username="dcs")
    assert len(token.token) >= 32
    page = dcs.get(reverse("inspections:calendar-feed")).content.decode()
    assert f"http://testserver{feed_url(token.token)}" in page

    MilestoneFactory(name="Improvement plan", due_on=dt.date(2099, 1, 1))
    response = client.get(feed_url(token.token))  # anonymous: calendars cannot sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"SUMMARY:Improvement plan due" in response.content
    assert b"DTSTART;VALUE=DATE:20990101\r\n" in response.content

    old = token.token
    dcs.post(reverse("inspections:calendar-feed"), {"action": "create"})
    token.refresh_from_db()
    assert token.token != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(token.token)).status_code == 200

    dcs.post(reverse("inspections:calendar-feed"), {"action": "revoke"})
    assert client.get(feed_url(token.token)).status_code == 404
    assert "stopped working" in dcs.get(reverse("inspections:calendar-feed")).content.decode()
    assert token.history.count() == 3
    assert "token" not in [
        f.name for f in token.history.model._meta.fields
    ]  # the secret stays out of history


@pytest.mark.django_db
def test_unknown_token_is_404_for_anonymous(client):
    assert client.get(feed_url("no-such-token")).status_code == 404


@pytest.mark.django_db
def test_feed_stops_when_the_user_loses_access(client, role_user):
    user = role_user(roles.PERFORMANCE_MANAGER)
    token = services.calendar_token_create(user=user)
    assert client.get(feed_url(token.token)).status_code == 200
    user.groups.clear()
    assert client.get(feed_url(token.token)).status_code == 404


@pytest.mark.django_db
def test_board_member_cannot_make_a_feed(client_for):
    board = client_for(roles.BOARD_MEMBER)
    assert board.get(reverse("inspections:calendar-feed")).status_code == 403
    assert board.post(reverse("inspections:calendar-feed"), {"action": "create"}).status_code == 403
    assert not CalendarToken.objects.exists()
