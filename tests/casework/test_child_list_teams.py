"""The child list by team: each child's team today in a column, a filter by team (with the search
and Open now, kept across pages), and the team on the child's page; in a fixed number of queries."""

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


def _options(html: str) -> list[tuple[str, str, bool]]:
    select = re.search(
        r'<select class="govuk-select" id="team" name="team">(.*?)</select>', html, re.S
    ).group(1)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


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


def test_the_select_offers_every_team_held_sorted_with_all_teams_first(client_for, teams):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL).content.decode()
    assert _options(html) == [
        ("", "All teams", True),
        ("Assessment North", "Assessment North", False),
        ("Child protection", "Child protection", False),
        ("Children in care", "Children in care", False),
        ("Front door", "Front door", False),
        ("Leaving care", "Leaving care", False),  # held, if only from next week
    ]


def test_a_team_recorded_after_the_page_was_seen_is_offered_at_once(client_for, teams):
    client = client_for(roles.PERFORMANCE_MANAGER)
    assert "Fostering" not in client.get(URL).content.decode()
    _team(ChildFactory(child_id="NW001"), "Fostering", LONG_AGO)
    assert ("Fostering", "Fostering", False) in _options(client.get(URL).content.decode())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "Children in care"}, ["FU001", "MV001"]),
        ({"team": "Front door"}, []),  # both children have moved on
        ({"team": "Leaving care"}, []),  # not until next week
        ({"team": "Assessment North"}, []),  # UN001's latest says no team
        ({"team": "Child protection"}, ["TD001"]),
        ({"team": "Children in care", "q": "mv"}, ["MV001"]),
        ({"team": "Children in care", "open": "looked_after"}, ["FU001", "MV001"]),
        ({"team": "Children in care", "open": "child_in_need"}, []),
        ({"team": "Child protection", "open": "child_protection", "q": "TD0"}, ["TD001"]),
        ({"team": "Nobody's team"}, ["FU001", "MV001", "NT001", "TD001", "UN001"]),  # unknown: no filter
    ],
)
def test_filter_by_team_today_with_the_search_and_open_now(client_for, teams, params, expected):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, params).content.decode()
    assert sorted(_ids(html)) == expected
    selected = [value for value, _, chosen in _options(html) if chosen]
    assert selected == [params["team"] if params["team"] != "Nobody's team" else ""]


def test_a_team_with_no_children_today_says_so_in_words(client_for, teams):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"team": "Front door"}).content.decode()
    assert "No children in this team" in html
    assert "No child is in Front door today. Choose All teams to see every child." in html
    assert "Show every child" in html and "govuk-table__row" not in html


def test_nothing_found_with_a_team_and_other_filters_says_how_to_widen_the_search(client_for, teams):
    params = {"team": "Children in care", "open": "child_in_need"}
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, params).content.decode()
    assert "No child matches" in html and "All teams under Team today" in html


def _many_in_care(n: int, start: int = 0) -> None:
    for number in range(start, start + n):
        child = ChildFactory(child_id=f"LA{number:04d}")
        EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER)
        _team(child, "Front door", LONG_AGO)
        _team(
            child, "Children in care" if number % 2 == 0 else "Leaving care", LONG_AGO + dt.timedelta(days=9)
        )


def test_pages_keep_the_team_with_the_search_and_the_filter(client_for):
    _many_in_care(240)
    client = client_for(roles.PERFORMANCE_MANAGER)
    params = {"q": "LA", "open": "looked_after", "team": "Children in care"}
    html = client.get(URL, params).content.decode()
    assert "120 children" in html
    assert "?q=LA&amp;open=looked_after&amp;team=Children+in+care&amp;page=2" in html
    third = client.get(URL, {**params, "page": 3}).content.decode()
    assert len(_ids(third)) == 20
    assert set(_team_cells(third).values()) == {"Children in care"}
    assert "Previous" in third and "team=Children+in+care&amp;page=2" in third


def _counted(client, params: dict) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return [query["sql"] for query in captured]


def test_the_number_of_queries_does_not_grow_with_the_children_the_teams_or_the_page(client_for):
    _many_in_care(60)
    client = client_for(roles.PERFORMANCE_MANAGER)
    client.get(URL)  # session, permissions and the whole list's count cached
    small = {
        "whole list": len(_counted(client, {})),
        "team": len(_counted(client, {"team": "Children in care"})),
        "team, search, open now": len(
            _counted(client, {"team": "Leaving care", "q": "LA", "open": "looked_after"})
        ),
    }
    _many_in_care(240, start=60)
    for number in range(8):  # more teams, and children with many allocations each
        _team(ChildFactory(child_id=f"TM{number:04d}"), f"Team {number}", LONG_AGO)
    client.get(URL)
    large = {
        "whole list": len(_counted(client, {"page": 7})),
        "team": len(_counted(client, {"team": "Children in care", "page": 3})),
        "team, search, open now": len(
            _counted(client, {"team": "Leaving care", "q": "LA", "open": "looked_after", "page": 3})
        ),
    }
    assert large == small
    # session, user, savepoint, permissions (2), the newest event history row (the teams held), the
    # newest child history row (the kept count) or a filtered list's count, release, page, open
    # episodes
    assert small == {"whole list": 10, "team": 10, "team, search, open now": 10}


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


def _child_counts(queries: list[str]) -> int:
    return sum(1 for sql in queries if "COUNT(" in sql and '"casework_child"' in sql)


def test_a_team_count_is_never_the_whole_lists_kept_count(client_for):
    _many_in_care(6)
    client = client_for(roles.PERFORMANCE_MANAGER)
    assert "6 children" in client.get(URL).content.decode()  # the whole list's count, now kept
    with CaptureQueriesContext(connection) as captured:
        html = client.get(URL, {"team": "Leaving care"}).content.decode()
    assert "3 children" in html
    assert _child_counts([query["sql"] for query in captured]) == 1
    # and the whole list is still counted as before
    assert "6 children" in client.get(URL).content.decode()


@pytest.mark.parametrize("role", [roles.PERFORMANCE_MANAGER, roles.AUDITOR])
def test_those_who_see_the_child_list_see_it_by_team(client_for, teams, role):
    response = client_for(role).get(URL, {"team": "Children in care"})
    assert response.status_code == 200
    assert sorted(_ids(response.content.decode())) == ["FU001", "MV001"]


def test_a_board_member_never_sees_the_child_list_by_team(client_for, teams):
    response = client_for(roles.BOARD_MEMBER).get(URL, {"team": "Children in care"})
    assert response.status_code == 403
    assert "MV001" not in response.content.decode() and "Children in care" not in response.content.decode()


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
