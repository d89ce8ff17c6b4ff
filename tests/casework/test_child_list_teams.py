"""The child list by team: each child's team today in a column, and the team on the child's page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.annex_a import _Data
from casework.models import Cohort, Event
from readiness import roles
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory

pytestmark = pytest.mark.django_db
URL = reverse("casework:child-list")
TEAM = Event.Kind.TEAM_ALLOCATION
LONG_AGO = dt.date(2024, 1, 2)


def _today() -> dt.date:
    return timezone.localdate()


def _team(child, name: str, on: dt.date):
    return EventFactory(child=child, kind=TEAM, occurred_on=on, value=name)


def _ids(html: str) -> list[str]:
    return re.findall(r'href="/casework/children/\d+/">([A-Z0-9]+)</a>', html)


def _team_cells(html: str) -> dict[str, str]:
    """Child ID -> the text of the row's last cell (Team today)."""
    rows = re.findall(r'/">([A-Z0-9]+)</a></td>(.*?)</tr>', html, re.S)
    return {child_id: re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)[-1].strip() for child_id, cells in rows}


@pytest.fixture
def teams():
    """Children whose team today is, or is not, the one they were last allocated to."""
    today = _today()
    moved = ChildFactory(child_id="MV001")  # Front door, then Children in care: in care today
    _team(moved, "Front door", LONG_AGO)
    _team(moved, "Children in care", today - dt.timedelta(days=30))
    EpisodeFactory(child=moved, cohort=Cohort.LOOKED_AFTER)
    moving = ChildFactory(child_id="FU001")  # joins Leaving care next week: Children in care today
    _team(moving, "Children in care", LONG_AGO)
    _team(moving, "Leaving care", today + dt.timedelta(days=7))
    EpisodeFactory(child=moving, cohort=Cohort.LOOKED_AFTER)
    ChildFactory(child_id="NT001")  # never allocated to a team
    unallocated = ChildFactory(child_id="UN001")  # the latest allocation says no team
    _team(unallocated, "Assessment North", LONG_AGO)
    _team(unallocated, "", today - dt.timedelta(days=3))
    EpisodeFactory(child=unallocated, cohort=Cohort.CHILD_IN_NEED)
    today_child = ChildFactory(child_id="TD001")  # allocated today: that team already
    _team(today_child, "Front door", LONG_AGO)
    _team(today_child, "Child protection", today)
    EpisodeFactory(child=today_child, cohort=Cohort.CHILD_PROTECTION)


def test_the_column_shows_the_latest_team_on_or_before_today_in_words(client_for, teams):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL).content.decode()
    assert '<th scope="col" class="govuk-table__header">Team today</th>' in html
    assert _team_cells(html) == {
        "FU001": "Children in care",  # not Leaving care, which is next week's
        "MV001": "Children in care",
        "NT001": "No team recorded",
        "TD001": "Child protection",
        "UN001": "No team recorded",  # not Assessment North, and never "None"
    }


def test_the_column_agrees_with_the_annex_a_team_column_even_on_a_day_with_two_allocations(client_for, teams):
    """The export's Team column (annex_a._Data.teams: later rows win) and the list read one rule."""
    same_day = ChildFactory(child_id="SD001")
    _team(same_day, "Assessment South", LONG_AGO)
    _team(same_day, "Assessment North", LONG_AGO)  # recorded later the same day: this one
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL).content.decode()
    shown = _team_cells(html)
    assert shown["SD001"] == "Assessment North"
    annex = _Data(_today())
    for child in same_day.__class__.objects.all():
        team = annex.team(child.pk)[0] or "No team recorded"
        assert shown[child.child_id] == team, child.child_id


def _many_in_care(n: int, start: int = 0) -> None:
    for number in range(start, start + n):
        child = ChildFactory(child_id=f"LA{number:04d}")
        EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER)
        _team(child, "Front door", LONG_AGO)
        _team(
            child, "Children in care" if number % 2 == 0 else "Leaving care", LONG_AGO + dt.timedelta(days=9)
        )


def _counted(client, params: dict) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return [query["sql"] for query in captured]


def test_the_team_is_read_for_the_pages_rows_only_not_for_those_before_them(client_for):
    """On the list itself, PostgreSQL would read the team of every child an OFFSET skips."""
    _many_in_care(120)
    client = client_for(roles.PERFORMANCE_MANAGER)
    for params, offset in (
        ({"page": 3}, "LIMIT 20 OFFSET 100"),
        ({"team": "Children in care", "page": 2}, "OFFSET 50"),
    ):
        reads = [sql for sql in _counted(client, params) if "team_allocation" in sql and "COUNT(" not in sql]
        [page] = [sql for sql in reads if sql.startswith('SELECT "casework_child"."id"')]
        rows = re.search(r'"casework_child"\."id" IN \((SELECT .*? OFFSET \d+)\)', page, re.S)
        assert rows and offset in rows.group(1), page
        assert page.index("team_allocation") < page.index(' FROM "casework_child" WHERE')


def _detail(client, child) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("casework:child-detail", kwargs={"pk": child.pk})).content.decode()
    return html, [query["sql"] for query in captured]


def test_the_childs_page_shows_the_team_today_and_since_when_with_the_child_itself(client_for, teams):
    client = client_for(roles.PERFORMANCE_MANAGER)
    html, queries = _detail(client, ChildFactory(child_id="MV001"))
    since = (_today() - dt.timedelta(days=30)).strftime("%-d %b %Y")
    assert re.search(rf"Team today</dt><dd[^>]*>Children in care \(since {since}\)</dd>", html)
    # read in the query that reads the child, not in one of its own
    team_reads = [sql for sql in queries if "'team_allocation'" in sql or "team_allocation" in sql]
    assert len(team_reads) == 1 and team_reads[0].split(" FROM ")[-1].startswith('"casework_child"')
    html, _ = _detail(client, ChildFactory(child_id="NT001"))
    assert re.search(r"Team today</dt><dd[^>]*>No team recorded</dd>", html)
    html, _ = _detail(client, ChildFactory(child_id="UN001"))
    assert re.search(r"Team today</dt><dd[^>]*>No team recorded</dd>", html)
    html, _ = _detail(client, ChildFactory(child_id="FU001"))
    assert "Children in care (since 2 Jan 2024)" in html  # Leaving care is next week's
