"""The children behind a casework indicator: missed first, paginated, as CSV, only for child-record roles."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import indicator_views, indicators
from casework.models import Child, Cohort, Episode, Event
from inspections.selectors import working_calendar
from readiness import roles
from tests.factories.casework import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db

CODE = "icpc_15_wd"


def _url(code=CODE, **query):
    url = reverse("casework:indicator-children", kwargs={"selector_code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _csv_url(code=CODE):
    return reverse("casework:indicator-children-csv", kwargs={"selector_code": code})


def _conferences(*, on_time: list[Child], late: list[Child]) -> None:
    """A strategy discussion 40 days ago for each child; the conference on working day 15 or 16."""
    calendar = working_calendar()
    strategy = timezone.localdate() - dt.timedelta(days=40)
    due = calendar.add_working_days(strategy, 15)
    events = []
    for children, held in ((on_time, due), (late, calendar.add_working_days(strategy, 16))):
        for child in children:
            events.append(Event(child=child, kind=Event.Kind.STRATEGY_DISCUSSION, occurred_on=strategy))
            events.append(Event(child=child, kind=Event.Kind.ICPC, occurred_on=held))
    Event.objects.bulk_create(events)


def _children(prefix: str, n: int) -> list[Child]:
    return Child.objects.bulk_create([Child(child_id=f"{prefix}{i:04d}", birth_year=2015) for i in range(n)])


def _body_rows(html: str) -> list[str]:
    table = re.search(r'data-testid="children">(.*?)</table>', html, re.S)
    assert table, "no children table"
    return re.findall(
        r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(1).split("<tbody", 1)[1], re.S
    )


def test_page_shows_the_reading_and_lists_missed_children_first(client_for):
    met, missed = ChildFactory(child_id="A0001"), ChildFactory(child_id="Z0009")
    EpisodeFactory(
        child=missed, cohort=Cohort.CHILD_PROTECTION, start_on=timezone.localdate() - dt.timedelta(days=5)
    )
    EpisodeFactory(
        child=missed, cohort=Cohort.LOOKED_AFTER, start_on=timezone.localdate() - dt.timedelta(days=2)
    )
    EpisodeFactory(
        child=met, cohort=Cohort.CHILD_IN_NEED, start_on=dt.date(2020, 1, 1), end_on=dt.date(2021, 1, 1)
    )
    _conferences(on_time=[met], late=[missed])
    html = client_for(roles.DCS).get(_url()).content.decode()
    assert "Initial child protection conferences within 15 working days" in html
    assert "50.0%</span>: 1 of 2" in html
    assert "Held within 15 working days of the (last) strategy discussion" in html
    rows = _body_rows(html)
    assert len(rows) == 2
    # Missed first although its ID sorts last; each ID links to the child's page.
    assert "Z0009" in rows[0] and "Timescale missed" in rows[0]
    assert reverse("casework:child-detail", kwargs={"pk": missed.pk}) in rows[0]
    assert "Child protection plan, Looked after" in rows[0]
    assert "A0001" in rows[1] and "Timescale met" in rows[1]
    assert "No open episode" in rows[1]


def test_a_child_missed_once_and_met_once_is_listed_once_as_missed(client_for):
    child = ChildFactory(child_id="B0001")
    _conferences(on_time=[child], late=[])
    strategy = timezone.localdate() - dt.timedelta(days=120)
    Event.objects.create(child=child, kind=Event.Kind.STRATEGY_DISCUSSION, occurred_on=strategy)
    Event.objects.create(
        child=child, kind=Event.Kind.ICPC, occurred_on=working_calendar().add_working_days(strategy, 20)
    )
    html = client_for(roles.DCS).get(_url()).content.decode()
    assert "1 of 2" in html  # two conferences
    rows = _body_rows(html)
    assert len(rows) == 1 and "Timescale missed" in rows[0]


def test_nobody_counted_is_said_in_plain_english(client_for):
    html = client_for(roles.PERFORMANCE_MANAGER).get(_url()).content.decode()
    assert "No cases to measure" in html
    assert "No children counted today" in html
    assert _csv_url() not in html


def test_fifty_children_a_page_with_govuk_pagination(client_for):
    late = _children("L", 30)
    on_time = _children("M", 31)
    _conferences(on_time=on_time, late=late)
    client = client_for(roles.DCS)
    first = client.get(_url()).content.decode()
    rows = _body_rows(first)
    assert len(rows) == 50
    assert all("Timescale missed" in row for row in rows[:30])
    assert all("Timescale met" in row for row in rows[30:])
    assert '<nav class="govuk-pagination" aria-label="Pages of children">' in first
    assert 'href="?page=2"' in first
    assert "61 children. Timescale missed: 30. Timescale met: 31." in first
    second = _body_rows(client.get(_url(page=2)).content.decode())
    assert len(second) == 11
    assert "M0020" in second[0] and "M0030" in second[-1]
    # A page past the end shows the last page rather than failing.
    assert len(_body_rows(client.get(_url(page=99)).content.decode())) == 11


def test_csv_lists_every_child_formula_safe_and_is_never_cached(client_for):
    formula = ChildFactory(child_id="=HYPERLINK(1)")
    plain = ChildFactory(child_id="C0002")
    EpisodeFactory(child=plain, cohort=Cohort.CHILD_PROTECTION, start_on=timezone.localdate())
    _conferences(on_time=[plain], late=[formula])
    response = client_for(roles.DCS).get(_csv_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="icpc-15-wd-children-{today}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["child_id", "result", "cohorts_open_on_the_day"],
        ["'=HYPERLINK(1)", "Timescale missed", "No open episode"],
        ["C0002", "Timescale met", "Child protection plan"],
    ]


def test_page_itself_is_not_kept_by_browsers(client_for):
    _conferences(on_time=[ChildFactory()], late=[])
    assert "no-store" in client_for(roles.AUDITOR).get(_url())["Cache-Control"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.DCS, 200),
        (roles.PERFORMANCE_MANAGER, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.AUDITOR, 200),  # auditors hold casework.view_child_record in readiness/roles.py
        (roles.BOARD_MEMBER, 403),
        (None, 403),
    ],
)
def test_only_roles_with_child_records_may_see_the_children(client_for, role, status):
    _conferences(on_time=[ChildFactory(child_id="K0001")], late=[])
    client = client_for(role)
    for url in (_url(), _csv_url()):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 403:
            assert b"K0001" not in response.content


def test_board_member_gets_403_for_every_code_known_or_not(client_for):
    client = client_for(roles.BOARD_MEMBER)
    for code in (*indicator_views.REGISTRY, "no-such-code"):
        assert client.get(_url(code)).status_code == 403
        assert client.get(_csv_url(code)).status_code == 403


def test_unknown_code_is_a_govuk_404(client_for):
    client = client_for(roles.DCS)
    for url in (_url("no-such-code"), _csv_url("no-such-code"), _url("caseload_per_worker")):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_children(client_for):
    client = client_for(roles.DCS)
    _conferences(on_time=_children("A", 2), late=_children("B", 2))
    client.get(_url())  # the first request of a session also writes it
    few_page, few_csv = _queries(client, _url()), _queries(client, _csv_url())
    _conferences(on_time=_children("C", 60), late=_children("D", 60))
    Episode.objects.bulk_create(
        [
            Episode(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=dt.date(2024, 1, 2))
            for child in Child.objects.all()
        ]
    )
    many_page, many_csv = _queries(client, _url()), _queries(client, _csv_url())
    assert (many_page, many_csv) == (few_page, few_csv)
    assert many_page <= 12 and many_csv <= 12


def test_every_registry_code_is_the_code_its_selector_gives_its_result():
    today = timezone.localdate()
    for code, entry in indicator_views.REGISTRY.items():
        assert entry.selector(as_of=today).code == code


def test_every_casework_definition_with_children_maps_to_the_registry():
    from readiness.dashboards.definitions import CASEWORK, INDICATORS

    for definition in INDICATORS:
        source = definition["source"]
        if not source.startswith(CASEWORK):
            assert indicator_views.registry_code_for_source(source) is None
            continue
        result = getattr(indicators, source.removeprefix(CASEWORK))(as_of=timezone.localdate())
        expected = result.code if isinstance(result, indicators.Indicator) else None
        assert indicator_views.registry_code_for_source(source) == expected, source
    assert indicator_views.registry_code_for_source("casework.indicators.caseload_per_worker") is None
    assert indicator_views.registry_code_for_source("elsewhere.icpc_within_15_days") is None
    assert indicator_views.registry_code_for_source("") is None
