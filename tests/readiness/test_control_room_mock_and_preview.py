"""The control room for mock inspections, the next inspection when none is on site, and the preview.

Christmas 2026 runs through these tests: Friday 25 December (Christmas Day), Monday 28 December
(Boxing Day, substitute) and Friday 1 January 2027 (New Year's Day) are bank holidays in England.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from inspections.models import DataRequest, Inspection, Meeting
from readiness import roles
from tests.factories.inspections import InspectionFactory, framework

pytestmark = pytest.mark.django_db

ROOM = "/control-room/"
PANEL = "/control-room/panel/"


def _inspection(*, start, end, kind=Inspection.Kind.ACTUAL, title=None, **fields) -> Inspection:
    return InspectionFactory(
        framework=framework("ilacs-2023"),
        kind=kind,
        title=title or f"{Inspection.Kind(kind).label}, from {start:%d %B %Y}",
        notified_on=start - dt.timedelta(days=7) if start else None,
        onsite_start_on=start,
        onsite_end_on=end,
        **fields,
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- Mock inspections on site -------------------------------------------------------------------


@freeze_time("2026-06-10 09:00:00")  # Wednesday of the mock's first week
def test_a_mock_on_site_opens_the_room_labelled_as_a_mock(client_for):
    _inspection(
        start=dt.date(2026, 6, 8),
        end=dt.date(2026, 6, 19),
        kind=Inspection.Kind.MOCK,
        title="Mock ILACS, June",
    )
    html = client_for(roles.DCS).get(ROOM).content.decode()
    assert re.search(r"<title>Mock inspection control room – ", html)
    assert '<h1 class="govuk-heading-l">Mock inspection control room</h1>' in html
    assert "Day 3 of 10 on site" in html
    assert "Mock inspection</strong>" in html and "Mock ILACS, June" in html
    assert "No inspection is on site today" not in html
    assert f'hx-get="{PANEL}"' in html  # the live room's panel has no preview


@freeze_time("2026-06-10 09:00:00")
def test_an_actual_inspection_wins_over_a_mock_on_site_the_same_day(client_for):
    _inspection(start=dt.date(2026, 6, 8), end=dt.date(2026, 6, 19), title="ILACS standard inspection, June")
    # The mock started later, so "latest to start" alone would pick it.
    _inspection(
        start=dt.date(2026, 6, 9),
        end=dt.date(2026, 6, 19),
        kind=Inspection.Kind.MOCK,
        title="Mock ILACS, June",
    )
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    for url in (ROOM, PANEL):
        html = signed_in.get(url).content.decode()
        assert "ILACS standard inspection, June" in html and "Day 3 of 10 on site" in html
        assert "Mock ILACS, June" not in html and "Mock inspection" not in html


@freeze_time("2026-06-10 09:00:00")
def test_a_peer_review_on_site_does_not_open_the_room(client_for):
    _inspection(start=dt.date(2026, 6, 8), end=dt.date(2026, 6, 19), kind=Inspection.Kind.PEER_REVIEW)
    html = client_for(roles.DCS).get(ROOM).content.decode()
    assert "No inspection is on site today" in html


# --- What is next ------------------------------------------------------------------------------


@freeze_time("2026-12-23 09:00:00")  # Wednesday before Christmas
def test_the_empty_room_names_the_next_inspection_in_working_days(client_for):
    past = _inspection(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 13), title="ILACS, March 2026")
    later_mock = _inspection(
        start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 12), kind=Inspection.Kind.MOCK, title="Mock, February"
    )
    next_one = _inspection(
        start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 15), kind=Inspection.Kind.MOCK, title="Mock, January"
    )
    _inspection(
        start=dt.date(2027, 1, 4), end=None, kind=Inspection.Kind.SELF_EVALUATION
    )  # never in the room
    html = client_for(roles.DCS).get(ROOM).content.decode()
    assert "No inspection is on site today" in html
    next_html = re.search(r'data-testid="next-inspection">(.*?)</p>', html, re.S).group(1)
    # 24, 29, 30 and 31 December, 4 and 5 January: 25 and 28 December and 1 January are bank holidays.
    assert "on site from Tuesday 5 January 2027, in 6 working days." in next_html
    assert "Mock, January" in next_html and "Mock inspection" in next_html
    assert reverse("inspections:inspection-detail", kwargs={"inspection_pk": next_one.pk}) in next_html
    assert f'href="{ROOM}?preview={next_one.pk}&amp;day=1">Preview the control room for its first day' in html
    assert "Mock, February" not in html and f"preview={later_mock.pk}" not in html
    # The latest actual inspection is still linked.
    assert reverse("inspections:inspection-detail", kwargs={"inspection_pk": past.pk}) in html


@freeze_time("2026-12-23 09:00:00")
def test_the_next_inspection_is_one_working_day_away_on_the_next_working_day(client_for):
    _inspection(start=dt.date(2026, 12, 24), end=dt.date(2027, 1, 8), title="ILACS, Christmas Eve")
    html = client_for(roles.DCS).get(ROOM).content.decode()
    assert "on site from Thursday 24 December 2026, in 1 working day." in html
    assert "The latest inspection is" not in html  # the latest actual one is the next one


@freeze_time("2026-12-23 09:00:00")
def test_with_nothing_ahead_the_room_says_so_without_a_preview_link(client_for):
    html = client_for(roles.DCS).get(ROOM).content.decode()
    assert "No inspection has been recorded yet." in html
    assert "preview=" not in html and 'data-testid="next-inspection"' not in html


# --- Preview -----------------------------------------------------------------------------------

# A mock on site over Christmas: day 1 Tue 22 Dec, day 2 Wed 23, day 3 Thu 24, day 4 Tue 29 Dec 2026
# ... day 11 Fri 8 Jan 2027.
MOCK_START, MOCK_END = dt.date(2026, 12, 22), dt.date(2027, 1, 8)


@pytest.fixture
def christmas_mock():
    mock = _inspection(start=MOCK_START, end=MOCK_END, kind=Inspection.Kind.MOCK, title="Mock over Christmas")
    Meeting.objects.create(inspection=mock, title="Opening meeting", starts_at=_at(dt.date(2026, 12, 22), 9))
    Meeting.objects.create(inspection=mock, title="Focus group", starts_at=_at(dt.date(2026, 12, 24), 11))
    Meeting.objects.create(inspection=mock, title="After Christmas", starts_at=_at(dt.date(2026, 12, 29), 10))
    DataRequest.objects.create(
        inspection=mock, what="Supervision records", due_at=_at(dt.date(2026, 12, 24), 15)
    )
    return mock


def _banner(html: str) -> str:
    return re.search(r'data-testid="preview-banner">(.*?)</div>\s*</div>', html, re.S).group(1)


@freeze_time("2026-11-02 09:00:00")
def test_preview_day_1_shows_the_first_day_and_its_meetings(client_for, christmas_mock):
    html = (
        client_for(roles.DCS).get(ROOM, {"preview": christmas_mock.pk}).content.decode()
    )  # day defaults to 1
    banner = _banner(html)
    assert (
        "Preview: this is how the control room will look on day 1 (Tuesday 22 December 2026). "
        "Nothing here is live." in banner
    )
    assert f'href="{ROOM}">Back to the live control room' in banner
    assert re.search(r"<title>Preview: Mock inspection control room – ", html)
    assert "Day 1 of 11 on site" in html
    assert "Opening meeting" in html and "Focus group" not in html and "After Christmas" not in html
    assert "1 outstanding · 0 overdue · 0 due later today" in html
    assert f'hx-get="{PANEL}?preview={christmas_mock.pk}&amp;day=1"' in html
    assert 'rel="prev"' not in html
    assert f'href="{ROOM}?preview={christmas_mock.pk}&amp;day=2" rel="next"' in html
    assert "Day 2, Wednesday 23 December" in html


@freeze_time("2026-11-02 09:00:00")
def test_preview_day_3_uses_that_day_for_meetings_and_due_today(client_for, christmas_mock):
    html = client_for(roles.DCS).get(ROOM, {"preview": christmas_mock.pk, "day": "3"}).content.decode()
    assert "on day 3 (Thursday 24 December 2026). Nothing here is live." in _banner(html)
    assert "Day 3 of 11 on site" in html
    assert "Focus group" in html and "Opening meeting" not in html and "After Christmas" not in html
    assert "1 outstanding · 0 overdue · 1 due later today" in html
    assert "Today is not a working day" not in html
    assert f'hx-get="{PANEL}?preview={christmas_mock.pk}&amp;day=3"' in html
    # The next day skips Christmas Day and Boxing Day (substitute).
    assert f'href="{ROOM}?preview={christmas_mock.pk}&amp;day=2" rel="prev"' in html
    assert f'href="{ROOM}?preview={christmas_mock.pk}&amp;day=4" rel="next"' in html
    assert "Day 4, Tuesday 29 December" in html


@freeze_time("2026-11-02 09:00:00")
def test_preview_last_day_has_no_next_day(client_for, christmas_mock):
    html = client_for(roles.DCS).get(ROOM, {"preview": christmas_mock.pk, "day": "11"}).content.decode()
    assert "on day 11 (Friday 8 January 2027)" in _banner(html)
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert 'data-testid="preview-day-message"' not in html


@freeze_time("2026-11-02 09:00:00")
def test_the_panel_keeps_the_preview(client_for, christmas_mock):
    response = client_for(roles.DCS).get(
        PANEL, {"preview": christmas_mock.pk, "day": "3"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Day 3 of 11 on site" in html and "Focus group" in html and "Opening meeting" not in html
    assert "<html" not in html and "<h1" not in html


@freeze_time("2026-12-24 09:00:00")
def test_preview_of_another_day_while_the_mock_is_live(client_for, christmas_mock):
    signed_in = client_for(roles.DCS)
    live = signed_in.get(ROOM).content.decode()
    assert "Day 3 of 11 on site" in live and 'data-testid="preview-banner"' not in live
    preview = signed_in.get(ROOM, {"preview": christmas_mock.pk, "day": "4"}).content.decode()
    assert "Day 4 of 11 on site" in preview and "After Christmas" in preview and "Focus group" not in preview


@freeze_time("2026-11-02 09:00:00")
def test_preview_without_an_end_date_counts_two_weeks(client_for):
    inspection = _inspection(start=dt.date(2026, 11, 16), end=None, title="ILACS, no end recorded")
    html = client_for(roles.DCS).get(ROOM, {"preview": inspection.pk, "day": "11"}).content.decode()
    assert "on day 11 (Monday 30 November 2026)" in _banner(html)
    assert "Day 11 on site" in html


@freeze_time("2026-11-02 09:00:00")
@pytest.mark.parametrize("day", ["0", "12", "-1", "abc", "3.5", "99999999999999999999", "٣"])
def test_a_day_outside_the_onsite_days_shows_day_1_with_a_message(client_for, christmas_mock, day):
    signed_in = client_for(roles.DCS)
    response = signed_in.get(ROOM, {"preview": christmas_mock.pk, "day": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert "on day 1 (Tuesday 22 December 2026)" in _banner(html)
    assert "That day is not one of the 11 working days on site, so this shows day 1." in html
    assert f'hx-get="{PANEL}?preview={christmas_mock.pk}&amp;day=1"' in html
    panel = signed_in.get(PANEL, {"preview": christmas_mock.pk, "day": day})
    assert panel.status_code == 200 and "Day 1 of 11 on site" in panel.content.decode()


@freeze_time("2026-11-02 09:00:00")
def test_an_empty_day_is_day_1_without_a_message(client_for, christmas_mock):
    html = client_for(roles.DCS).get(ROOM, {"preview": christmas_mock.pk, "day": ""}).content.decode()
    assert "on day 1 (" in _banner(html) and 'data-testid="preview-day-message"' not in html


@freeze_time("2026-11-02 09:00:00")
def test_a_preview_of_an_inspection_the_room_cannot_show_is_not_found(client_for, christmas_mock):
    no_start = _inspection(start=None, end=None, title="Planned, no dates")
    self_evaluation = _inspection(
        start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 11), kind=Inspection.Kind.SELF_EVALUATION
    )
    signed_in = client_for(roles.DCS)
    for preview in ("999999", "abc", "", "-1", "99999999999999999999", no_start.pk, self_evaluation.pk):
        for url in (ROOM, PANEL):
            assert signed_in.get(url, {"preview": preview, "day": "1"}).status_code == 404, (url, preview)


@freeze_time("2026-11-02 09:00:00")
def test_a_board_member_is_refused_the_preview(client_for, christmas_mock):
    board = client_for(roles.BOARD_MEMBER)
    for url in (ROOM, PANEL):
        assert board.get(url, {"preview": christmas_mock.pk, "day": "1"}).status_code == 403
        assert (
            board.get(url, {"preview": "999999"}).status_code == 403
        )  # refused before anything is looked up


def _queries(signed_in, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(url, params).status_code == 200
    return len(queries)


@freeze_time("2026-11-02 09:00:00")
def test_the_preview_takes_a_fixed_number_of_queries(
    client_for, christmas_mock, django_assert_max_num_queries
):
    signed_in = client_for(roles.DCS)
    day_3 = {"preview": christmas_mock.pk, "day": "3"}
    signed_in.get(ROOM, day_3)  # warm the session
    # Session, user, 2 permissions, the inspection, the calendar, 8 for the room, the worker heartbeat
    # (page footer) and the request's savepoint pair.
    with django_assert_max_num_queries(16):
        signed_in.get(ROOM, day_3)
    small = (_queries(signed_in, ROOM, day_3), _queries(signed_in, PANEL, day_3))
    for n in range(10):
        Meeting.objects.create(
            inspection=christmas_mock, title=f"Interview {n}", starts_at=_at(dt.date(2026, 12, 24), 10)
        )
        DataRequest.objects.create(inspection=christmas_mock, what=f"Request {n}")
    assert (_queries(signed_in, ROOM, day_3), _queries(signed_in, PANEL, day_3)) == small


@freeze_time("2026-11-02 09:00:00")
def test_dates_beyond_the_working_day_calendar_do_not_break_the_room(client_for):
    mistyped = _inspection(start=dt.date(2206, 1, 5), end=dt.date(2206, 1, 16), title="Year mistyped")
    signed_in = client_for(roles.DCS)
    html = signed_in.get(ROOM).content.decode()
    assert "Year mistyped</a>, on site from Sunday 5 January 2206." in html
    assert signed_in.get(ROOM, {"preview": mistyped.pk}).status_code == 404


@freeze_time("2026-11-02 09:00:00")
def test_a_preview_shows_only_the_notes_written_by_that_day(client_for, christmas_mock):
    from inspections.models import DailyNote

    DailyNote.objects.create(inspection=christmas_mock, day=dt.date(2026, 12, 22), text="Day one went well")
    DailyNote.objects.create(inspection=christmas_mock, day=dt.date(2026, 12, 24), text="Focus group moved")
    dcs = client_for(roles.DCS)
    day_1 = dcs.get(ROOM, {"preview": christmas_mock.pk, "day": "1"}).content.decode()
    assert "Day one went well" in day_1 and "Focus group moved" not in day_1
    day_3 = dcs.get(ROOM, {"preview": christmas_mock.pk, "day": "3"}).content.decode()
    assert "Day one went well" in day_3 and "Focus group moved" in day_3
