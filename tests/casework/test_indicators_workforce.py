"""Workforce, oversight and partner indicators: caseload per worker, children's cases supervised in
timescale, GP contribution at initial conferences, private fostering visits and pre-proceedings over
16 weeks; the importer's new event types; the Annex A worker column; the demo's values."""

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from casework import demo, indicators
from casework.annex_a import COMMON, annex_a_write
from casework.models import Cohort, Event
from casework.services import cases_import
from readiness import roles
from readiness.dashboards import sources
from tests.conftest import make_user
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2025, 6, 30)
OPENED = D(2025, 1, 6)


def _event(child, kind, day, value=""):
    return EventFactory(child=child, kind=kind, occurred_on=day, value=value)


def _open(cohort=Cohort.CHILD_IN_NEED, start=OPENED, end=None, child=None):
    child = child or ChildFactory()
    EpisodeFactory(child=child, cohort=cohort, start_on=start, end_on=end)
    return child


# --- Caseload per worker ---------------------------------------------------------------------------


def test_caseload_counts_each_open_child_for_the_worker_of_their_latest_allocation(
    django_assert_max_num_queries,
):
    a1, a2, a3 = _open(), _open(Cohort.CHILD_PROTECTION), _open(Cohort.LOOKED_AFTER)
    for child in (a1, a2, a3):
        _event(child, Event.Kind.ALLOCATION, D(2025, 1, 6), "SW001")
    moved = _open(Cohort.CARE_LEAVER)  # first SW001, then SW002 on the day itself: SW002
    _event(moved, Event.Kind.ALLOCATION, D(2025, 1, 6), "SW001")
    _event(moved, Event.Kind.ALLOCATION, AS_OF, " sw002 ")
    later = _open()  # its only allocation is the day after: unallocated on the day
    _event(later, Event.Kind.ALLOCATION, AS_OF + dt.timedelta(days=1), "SW003")
    dropped = _open()  # allocated, then recorded as unallocated
    _event(dropped, Event.Kind.ALLOCATION, D(2025, 2, 1), "SW004")
    _event(dropped, Event.Kind.ALLOCATION, D(2025, 5, 1), "Unallocated")
    never = _open()
    early_help = _open(Cohort.EARLY_HELP)  # not a social work case: not counted at all
    _event(early_help, Event.Kind.ALLOCATION, D(2025, 1, 6), "SW009")
    closed = _open(end=AS_OF - dt.timedelta(days=1))  # closed the day before: not counted
    _event(closed, Event.Kind.ALLOCATION, D(2025, 1, 6), "SW008")
    closing = _open(end=AS_OF)  # closes on the day: still open
    _event(closing, Event.Kind.ALLOCATION, D(2025, 1, 6), "SW002")
    with django_assert_max_num_queries(2):
        result = indicators.caseload_per_worker(as_of=AS_OF)
    assert result.per_worker == {"SW001": 3, "SW002": 2}
    assert (result.children, result.workers, result.unallocated) == (5, 2, 3)
    assert result.value == 2.5
    assert set(result.unallocated_children()) == {later, dropped, never}
    assert "3 open child(ren) had no allocated worker" in result.rule
    reading = sources.normalise(result, as_percent=False)
    assert (reading.value, reading.numerator, reading.denominator) == (Decimal("2.50"), None, None)


def test_caseload_with_no_workers_has_no_value():
    _open()
    result = indicators.caseload_per_worker(as_of=AS_OF)
    assert (result.value, result.unallocated) == (None, 1)
    assert sources.normalise(result, as_percent=False).value is None


# --- Case supervision --------------------------------------------------------------------------------


def test_case_supervision_in_the_month_to_the_day(django_assert_max_num_queries):
    as_of = D(2025, 2, 28)  # a month earlier is 28 January
    on_boundary, inside, just_late, never, after_the_day = (_open(start=D(2024, 9, 2)) for _ in range(5))
    _event(on_boundary, Event.Kind.CASE_SUPERVISION, D(2025, 1, 28))
    _event(inside, Event.Kind.CASE_SUPERVISION, D(2025, 1, 31))
    _event(just_late, Event.Kind.CASE_SUPERVISION, D(2025, 1, 27))
    _event(after_the_day, Event.Kind.CASE_SUPERVISION, D(2025, 3, 1))
    exactly_a_month = _open(Cohort.LOOKED_AFTER, start=D(2025, 1, 28))  # due: counted, not supervised
    new = _open(Cohort.CHILD_PROTECTION, start=D(2025, 1, 29))  # open less than a month: not counted
    leaver = _open(Cohort.CARE_LEAVER, start=D(2024, 1, 1))  # care leavers are not in this measure
    _open(Cohort.EARLY_HELP, start=D(2024, 1, 1))
    with django_assert_max_num_queries(2):
        result = indicators.case_supervision_in_timescale(as_of=as_of)
    assert (result.numerator, result.denominator) == (2, 6)
    assert set(result.missed()) == {just_late, never, after_the_day, exactly_a_month}
    assert new not in result.children() and leaver not in result.children()
    # On 1 March the month starts on 1 February: 31 January no longer counts, 1 March does.
    assert set(indicators.case_supervision_in_timescale(as_of=D(2025, 3, 1)).children()) - set(
        indicators.case_supervision_in_timescale(as_of=D(2025, 3, 1)).missed()
    ) == {after_the_day}


# --- GP contribution at initial conferences ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read_as"),
    [
        ("attended", "attended"),
        ("GP present", "attended"),
        ("Attended - no report", "attended"),
        ("report", "report"),
        ("Report sent", "report"),
        ("DNA, report received", "report"),
        ("apologies; written contribution submitted", "report"),
        ("none", "none"),
        ("DNA", "none"),
        ("did not attend", "none"),
        ("no report", "none"),
        ("GP absent", "none"),
        ("", "none"),
        ("telephoned", "none"),
    ],
)
def test_gp_contribution_spellings(value, read_as):
    assert indicators.gp_contribution(value) == read_as


def test_gp_at_icpc_counts_conferences_with_the_gp_there_or_a_report(django_assert_max_num_queries):
    start = AS_OF - dt.timedelta(days=indicators.DEFAULT_LOOK_BACK_DAYS)
    attended, report, dna, no_record, wrong_day, on_last_day, before_period = (
        ChildFactory() for _ in range(7)
    )
    for child, held, gp, gp_day in (
        (attended, D(2025, 3, 3), "Attended", D(2025, 3, 3)),
        (report, D(2025, 4, 7), "report sent", D(2025, 4, 7)),
        (dna, D(2025, 5, 6), "DNA", D(2025, 5, 6)),
        (no_record, D(2025, 5, 7), None, None),
        (wrong_day, D(2025, 5, 8), "attended", D(2025, 5, 9)),  # not dated the conference day
        (on_last_day, AS_OF, "report", AS_OF),
        (before_period, start, "attended", start),  # the period is (as_of - 183 days, as_of]
    ):
        _event(child, Event.Kind.ICPC, held)
        if gp:
            _event(child, Event.Kind.ICPC_GP, gp_day, gp)
    with django_assert_max_num_queries(2):
        result = indicators.gp_at_icpc(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (3, 6)
    assert set(result.missed()) == {dna, no_record, wrong_day}
    assert "not evidenced" in result.rule


# --- Private fostering ---------------------------------------------------------------------------


def test_private_fostering_visit_rules():
    notified = D(2025, 1, 6)
    ok = indicators.private_fostering_visits_ok
    assert ok(notified, [D(2025, 1, 13)], D(2025, 2, 1))  # day 7
    assert not ok(notified, [D(2025, 1, 14)], D(2025, 2, 1))  # day 8
    assert ok(notified, [], D(2025, 1, 13))  # first visit not due yet
    assert not ok(notified, [], D(2025, 1, 14))  # overdue today
    assert ok(notified, [D(2025, 1, 10), D(2025, 2, 21)], D(2025, 3, 1))  # 42 days apart
    assert not ok(notified, [D(2025, 1, 10), D(2025, 2, 22)], D(2025, 3, 1))  # 43 days apart
    assert not ok(notified, [D(2025, 1, 10)], D(2025, 2, 22))  # next visit overdue
    assert ok(notified, [D(2025, 1, 10), D(2025, 1, 14)], D(2025, 2, 25))  # 42 days from the last


def test_private_fostering_arrangements_notified_in_the_last_year(django_assert_max_num_queries):
    on_time, first_late, gap_late, not_due, too_old, twice = (ChildFactory() for _ in range(6))
    notify = Event.Kind.PRIVATE_FOSTERING_NOTIFICATION
    visit = Event.Kind.PRIVATE_FOSTERING_VISIT
    _event(on_time, notify, D(2025, 3, 3))
    for day in (D(2025, 3, 10), D(2025, 4, 18), D(2025, 5, 28)):
        _event(on_time, visit, day)
    _event(first_late, notify, D(2025, 5, 1))
    _event(first_late, visit, D(2025, 5, 9))
    _event(gap_late, notify, D(2024, 9, 2))
    _event(gap_late, visit, D(2024, 9, 5))
    _event(gap_late, visit, D(2024, 10, 17))  # 42 days
    _event(gap_late, visit, D(2024, 11, 29))  # 43 days: late
    _event(gap_late, visit, D(2025, 1, 8))
    _event(not_due, notify, D(2025, 6, 25))  # first visit due by 2 July
    _event(too_old, notify, AS_OF - dt.timedelta(days=365))  # on the boundary: out of the year
    # Two arrangements: the first went unvisited until the second was notified; the second is fine.
    _event(twice, notify, D(2024, 12, 2))
    _event(twice, notify, D(2025, 6, 2))
    _event(twice, visit, D(2025, 6, 6))
    with django_assert_max_num_queries(1):
        result = indicators.private_fostering_in_timescale(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (3, 6)
    assert set(result.missed()) == {first_late, gap_late, twice}
    assert too_old not in result.children()


# --- Pre-proceedings ---------------------------------------------------------------------------------


def test_pre_proceedings_over_16_weeks(django_assert_max_num_queries):
    start, end = Event.Kind.PRE_PROCEEDINGS_START, Event.Kind.PRE_PROCEEDINGS_END
    day_112, day_113, recent, ended, ends_today, restarted, not_yet = (ChildFactory() for _ in range(7))
    _event(day_112, start, AS_OF - dt.timedelta(days=112))  # exactly 16 weeks: not over
    _event(day_113, start, AS_OF - dt.timedelta(days=113))
    _event(recent, start, AS_OF - dt.timedelta(days=10))
    _event(ended, start, D(2024, 10, 1))
    _event(ended, end, AS_OF - dt.timedelta(days=1), "stepped down")
    _event(ends_today, start, D(2024, 10, 1))
    _event(ends_today, end, AS_OF, "proceedings issued")
    _event(restarted, start, D(2024, 6, 3))
    _event(restarted, end, D(2024, 9, 2), "stepped down")
    _event(restarted, start, AS_OF - dt.timedelta(days=30))
    _event(not_yet, start, AS_OF + dt.timedelta(days=1))
    with django_assert_max_num_queries(1):
        result = indicators.pre_proceedings_over_16_weeks(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (2, 5)
    assert set(result.missed()) == {day_113, ends_today}
    assert set(result.children()) == {day_112, day_113, recent, ends_today, restarted}
    assert result.percentage == 40.0


# --- Import, Annex A, demo ---------------------------------------------------------------------------


def test_the_case_list_importer_accepts_the_new_event_types():
    rows = [
        "child_id,event_type,event_date,event_value",
        "C0001,allocation,06/01/2025,SW042",
        "C0001,Case supervision,03/02/2025,",
        "C0001,Management oversight,03/03/2025,",
        "C0002,ICPC,10/02/2025,",
        "C0002,GP at ICPC,10/02/2025,attended",
        "C0003,Private fostering notification,01/03/2025,",
        "C0003,PF visit,05/03/2025,",
        "C0004,PLO,01/04/2025,",
        "C0004,Pre-proceedings end,01/06/2025,stepped down",
        "C0005,pre_proceedings_start,01/04/2025,",
        "C0005,icpc_gp,01/04/2025,none",
    ]
    result = cases_import(file=io.BytesIO("\n".join(rows).encode()), filename="workforce.csv")
    assert result.ok, [p.display for p in result.problems]
    kinds = sorted(Event.objects.values_list("child__child_id", "kind", "value"))
    assert kinds == [
        ("C0001", "allocation", "SW042"),
        ("C0001", "case_supervision", ""),
        ("C0001", "case_supervision", ""),
        ("C0002", "icpc", ""),
        ("C0002", "icpc_gp", "attended"),
        ("C0003", "private_fostering_notification", ""),
        ("C0003", "private_fostering_visit", ""),
        ("C0004", "pre_proceedings_end", "stepped down"),
        ("C0004", "pre_proceedings_start", ""),
        ("C0005", "icpc_gp", "none"),
        ("C0005", "pre_proceedings_start", ""),
    ]


def test_annex_a_worker_column_is_the_latest_allocation(tmp_path):
    child = _open(Cohort.CHILD_IN_NEED, start=AS_OF - dt.timedelta(days=40))
    _event(child, Event.Kind.ALLOCATION, D(2023, 1, 2), "SW001")  # long ago, still read
    _event(child, Event.Kind.ALLOCATION, D(2024, 1, 2), "SW007")
    _event(child, Event.Kind.ALLOCATION, AS_OF + dt.timedelta(days=1), "SW009")  # after the day
    waiting = _open(Cohort.CHILD_IN_NEED, start=AS_OF - dt.timedelta(days=40))
    annex_a_write(as_of=AS_OF, out=tmp_path / "a.xlsx")
    sheet = load_workbook(tmp_path / "a.xlsx")["List 6 Children in need"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = header.index("Worker")
    assert column == len(COMMON) - 1
    workers = {row[0]: row[column] for row in rows}
    assert workers == {child.child_id: "SW007", waiting.child_id: None}


def test_the_demo_gives_each_of_the_five_a_value():
    make_user(roles.AUDITOR), make_user(roles.PERFORMANCE_MANAGER)
    today = D(2026, 3, 2)
    demo.seed(rng=random.Random(11), scale=0.1, today=today)
    caseload = indicators.caseload_per_worker(as_of=today)
    assert caseload.workers > 0 and 10 <= caseload.value <= 30
    assert caseload.unallocated < caseload.children / 10
    for selector in (
        indicators.case_supervision_in_timescale,
        indicators.gp_at_icpc,
        indicators.private_fostering_in_timescale,
        indicators.pre_proceedings_over_16_weeks,
    ):
        result = selector(as_of=today)
        assert result.denominator > 0 and result.percentage is not None, result.code
    supervised = indicators.case_supervision_in_timescale(as_of=today)
    assert 80 <= supervised.percentage < 100  # most cases, with some misses
