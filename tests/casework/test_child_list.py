"""The child list: find by child ID, filter by what is open now, and pages that keep the filters."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from casework.models import Child, Cohort
from readiness import roles
from tests.factories.casework import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db
URL = reverse("casework:child-list")


def _ids(html: str) -> list[str]:
    return re.findall(r'href="/casework/children/\d+/">([A-Z0-9]+)</a>', html)


@pytest.fixture
def children():
    looked_after = ChildFactory(child_id="LA001")
    EpisodeFactory(child=looked_after, cohort=Cohort.LOOKED_AFTER)
    EpisodeFactory(child=looked_after, cohort=Cohort.CHILD_IN_NEED, end_on=dt.date(2024, 3, 1))
    protected = ChildFactory(child_id="CP001")
    EpisodeFactory(child=protected, cohort=Cohort.CHILD_PROTECTION)
    EpisodeFactory(child=protected, cohort=Cohort.CHILD_IN_NEED)
    closed = ChildFactory(child_id="CL001")
    EpisodeFactory(child=closed, cohort=Cohort.EARLY_HELP, end_on=dt.date(2024, 6, 1))


def test_each_child_shows_what_is_open_now(client_for, children):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL).content.decode()
    rows = {child_id: row for child_id, row in re.findall(r">([A-Z]{2}\d{3})</a></td>(.*?)</tr>", html, re.S)}
    assert "Looked after" in rows["LA001"] and "Child in need" not in rows["LA001"]
    assert "Child in need, Child protection plan" in rows["CP001"]
    assert "None" in rows["CL001"]


@pytest.mark.parametrize(
    ("open_now", "expected"),
    [
        ("looked_after", ["LA001"]),
        ("child_in_need", ["CP001"]),  # LA001's child-in-need episode has ended
        ("none", ["CL001"]),
        ("", ["CL001", "CP001", "LA001"]),
        ("nonsense", ["CL001", "CP001", "LA001"]),  # an unknown value filters nothing
    ],
)
def test_filter_by_what_is_open_now(client_for, children, open_now, expected):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"open": open_now}).content.decode()
    assert sorted(_ids(html)) == expected


def test_find_by_the_start_of_a_child_id_in_any_case_with_spaces(client_for, children):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"q": "  la0 "}).content.decode()
    assert _ids(html) == ["LA001"]


def test_nothing_found_says_how_to_widen_the_search(client_for, children):
    html = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"q": "ZZ", "open": "care_leaver"}).content.decode()
    assert "No child matches" in html and "Show every child" in html


def test_pages_keep_the_search_and_the_filter_in_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries
):
    for n in range(120):
        EpisodeFactory(child=ChildFactory(child_id=f"LA{n:04d}"), cohort=Cohort.LOOKED_AFTER)
    ChildFactory(child_id="XX0001")
    client = client_for(roles.PERFORMANCE_MANAGER)
    client.get(URL)  # sessions, permissions cached
    # session, user, permissions (2), teams held (newest event history), count, page, open episodes,
    # and the savepoint and its release
    with django_assert_max_num_queries(10):
        html = client.get(URL, {"q": "LA", "open": "looked_after"}).content.decode()
    assert "120 children" in html
    assert "?q=LA&amp;open=looked_after&amp;page=2" in html
    third = client.get(URL, {"q": "LA", "open": "looked_after", "page": 3}).content.decode()
    assert len(_ids(third)) == 20 and "XX0001" not in third


def _child_counts(queries) -> int:
    return sum(1 for q in queries if "COUNT(" in q["sql"] and '"casework_child"' in q["sql"])


def test_the_whole_list_counts_the_children_once_per_change_to_them(client_for):
    """The one part of the page that grows with the council; filtered lists count every time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        ChildFactory(child_id=f"WL{n:03d}")
    client = client_for(roles.PERFORMANCE_MANAGER)
    with CaptureQueriesContext(connection) as first:
        assert "3 children" in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert "3 children" in client.get(URL).content.decode()
    assert _child_counts(first) == 1 and _child_counts(second) == 0
    ChildFactory(child_id="WL999")  # any change to a child writes a history row: counted again
    with CaptureQueriesContext(connection) as third:
        assert "4 children" in client.get(URL).content.decode()
    assert _child_counts(third) == 1
    Child.objects.get(child_id="WL000").delete()
    assert "3 children" in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as filtered:
        assert "2 children" in client.get(URL, {"q": "WL00"}).content.decode()
    assert _child_counts(filtered) == 1
