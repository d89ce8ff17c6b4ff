"""The child's team: a `team_allocation` event (the team's name), read from case lists and from
Annex A workbooks (the Team column, dated by a Team date or Allocation date column, never guessed),
written back by the export as at its day, and shown on the child's page."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse

from casework.imports import staging
from casework.models import Event
from casework.services import cases_import
from readiness import roles
from tests.casework.conftest import casework_table_counts
from tests.factories.casework import ChildFactory, EventFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.postgresql("the staging path runs on PostgreSQL only")

CASE_LIST = "\n".join(
    [
        "child_id,event_type,event_date,event_value",
        "C1,referral,02/01/2026,",
        "C1,team,02/01/2026,Front door",
        "C1,Allocated team,20/01/2026,Assessment North",
        "C1,allocated worker,20/01/2026,SW001",
        "C2,Team allocation,2026-02-01,Children in care",
        "C2,responsible team,01/03/2026,Leaving care",
    ]
)


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def teams(child_id: str) -> list[tuple[dt.date, str]]:
    return list(
        Event.objects.filter(child__child_id=child_id, kind=Event.Kind.TEAM_ALLOCATION)
        .order_by("occurred_on")
        .values_list("occurred_on", "value")
    )


# --- Case lists ----------------------------------------------------------------------------------


def test_a_case_list_team_event_becomes_a_team_allocation_with_the_teams_name():
    result = cases_import(file=_csv(CASE_LIST), filename="teams.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert teams("C1") == [(dt.date(2026, 1, 2), "Front door"), (dt.date(2026, 1, 20), "Assessment North")]
    assert teams("C2") == [(dt.date(2026, 2, 1), "Children in care"), (dt.date(2026, 3, 1), "Leaving care")]
    # "allocated worker" is still the worker, not the team.
    assert Event.objects.get(kind=Event.Kind.ALLOCATION).value == "SW001"
    assert Event.Kind.TEAM_ALLOCATION.label == "Allocated to a team"


def test_reimporting_a_case_list_with_teams_changes_nothing():
    first = cases_import(file=_csv(CASE_LIST), filename="teams.csv")
    assert first.ok and first.counts["events"]["created"] == 6
    counts = casework_table_counts()
    again = cases_import(file=_csv(CASE_LIST), filename="teams.csv")
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert casework_table_counts() == counts


def test_a_team_event_without_a_date_or_with_a_long_name_is_a_problem_and_saves_nothing():
    text = "\n".join(
        [
            "child_id,event_type,event_date,event_value",
            "C1,team,,Front door",
            f"C2,team,02/01/2026,{'x' * 101}",
        ]
    )
    result = cases_import(file=_csv(text), filename="teams.csv")
    assert [str(p) for p in result.problems] == [
        "row 2, column event_date: the event date is missing; a row with an event type needs one",
        "row 3, column event_value: is 101 characters long; the most this column takes is 100",
    ]
    assert Event.objects.count() == 0


# --- The PostgreSQL staging path gives what the in-memory path gives ------------------------------


class _Undo(Exception):
    pass


def _both_paths(scenario) -> dict:
    """Run scenario() once per import path, each rolled back; return {staged: (summaries, rows)}."""
    outcomes = {}
    for staged in (False, True):
        with (
            mock.patch("casework.services.uses_staging", return_value=staged),
            mock.patch("casework.services.read_case_list_staged", wraps=staging.read_case_list_staged) as spy,
        ):
            try:
                with transaction.atomic():
                    results = scenario()
                    rows = sorted(
                        Event.objects.values_list(
                            "child__child_id", "kind", "occurred_on", "value", "source_row"
                        ),
                        key=repr,
                    )
                    history = sorted(
                        Event.history.model.objects.values_list(
                            "child__child_id", "kind", "occurred_on", "value", "history_type"
                        ),
                        key=repr,
                    )
                    summaries = [
                        (r.ok, r.rows, r.counts, [str(p) for p in r.problems], r.ignored_columns)
                        for r in results
                    ]
                    outcomes[staged] = (summaries, rows, history)
                    raise _Undo
            except _Undo:
                pass
        assert spy.called == staged
    return outcomes


@postgresql_only
def test_staging_imports_team_rows_as_the_in_memory_path_does():
    def scenario():
        return [cases_import(file=_csv(CASE_LIST), filename="teams.csv") for _ in range(2)]

    outcomes = _both_paths(scenario)
    assert outcomes[True] == outcomes[False]
    (first, second), rows, _ = outcomes[True]
    assert first[2]["events"]["created"] == 6 and second[2]["events"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 6,
    }
    assert ("C2", "team_allocation", dt.date(2026, 3, 1), "Leaving care") in [row[:4] for row in rows]


@postgresql_only
def test_staging_reads_an_annex_a_team_column_as_the_in_memory_path_does(tmp_path):
    from tests.casework.test_import_annex_lists import build_workbook

    path = build_workbook(
        tmp_path / "annex.xlsx",
        {
            "List 3 Referrals": [
                ["Child ID", "Referral date", "Team", "Worker", "Allocation date"],
                ["A001", "03/01/2026", "Front door", "SW001", "04/01/2026"],
                ["A002", "06/01/2026", "Assessment South", "unallocated", None],
            ],
            "List 6 Children in need": [
                ["Child ID", "CIN start date", "Allocated team", "Team date"],
                ["A001", "20/02/2026", "Assessment North", "20/02/2026"],
                ["A002", "21/02/2026", "Assessment South", "21/02/2026"],
            ],
        },
    )
    outcomes = _both_paths(lambda: [cases_import(path=path) for _ in range(2)])
    assert outcomes[True] == outcomes[False]
    (first, second), rows, _ = outcomes[True]
    assert [row[:4] for row in rows if row[1] == "team_allocation"] == [
        ("A001", "team_allocation", dt.date(2026, 1, 4), "Front door"),
        ("A001", "team_allocation", dt.date(2026, 2, 20), "Assessment North"),
        ("A002", "team_allocation", dt.date(2026, 2, 21), "Assessment South"),
    ]
    assert second[2]["events"]["created"] == 0


# --- The child's page ------------------------------------------------------------------------------


def test_the_childs_page_shows_a_team_allocation_in_words(client_for):
    child = ChildFactory(child_id="C0042")
    EventFactory(
        child=child, kind=Event.Kind.TEAM_ALLOCATION, occurred_on=dt.date(2026, 1, 5), value="Front door"
    )
    pm = client_for(roles.PERFORMANCE_MANAGER)
    html = pm.get(reverse("casework:child-detail", kwargs={"pk": child.pk})).content.decode()
    assert "Allocated to a team" in html and "Front door" in html
    assert "team_allocation" not in html


# --- Annex A workbooks, list by list ---------------------------------------------------------------


def _annex(tmp_path, sheets: dict[str, list[list]]):
    from tests.casework.test_import_annex_lists import build_workbook

    return cases_import(path=build_workbook(tmp_path / "annex.xlsx", sheets))


D = dt.datetime


def test_a_team_column_dated_by_a_team_date_column_becomes_a_team_allocation(tmp_path):
    sheets = {
        "List 3 Referrals": [
            [
                "Child ID",
                "Referral date",
                "Allocated team",
                "Date allocated to team",
                "Worker",
                "Allocation date",
            ],
            ["A001", D(2026, 1, 3), "Front door", D(2026, 1, 3), "SW001", D(2026, 1, 4)],
            ["A002", D(2026, 1, 6), "Assessment South", None, "SW002", D(2026, 1, 6)],  # no team date
            ["A003", D(2026, 1, 7), None, D(2026, 1, 7), None, None],  # no team
        ],
        "List 6 Children in need": [
            ["Child ID", "CIN start date", "Team", "Team date"],
            ["A001", D(2026, 2, 20), "Assessment North", "20/02/2026"],
        ],
    }
    result = _annex(tmp_path, sheets)
    assert result.ok, [str(p) for p in result.problems]
    assert teams("A001") == [(dt.date(2026, 1, 3), "Front door"), (dt.date(2026, 2, 20), "Assessment North")]
    # A Team date column dates every team on its sheet: a blank one is not filled from Allocation date.
    assert teams("A002") == [] and teams("A003") == []
    assert not [c for c in result.ignored_columns if c.startswith(("Team", "Allocated team"))]


def test_without_a_team_date_the_allocation_date_dates_the_team_of_the_allocated_worker(tmp_path):
    sheets = {
        "List 3 Referrals": [
            ["Child ID", "Referral date", "Responsible team", "Allocated worker", "Allocation date"],
            ["A001", D(2026, 1, 3), "Assessment North", "SW001", D(2026, 1, 4)],
            ["A002", D(2026, 1, 6), "Assessment South", "unallocated", None],  # nothing to date it by
        ]
    }
    result = _annex(tmp_path, sheets)
    assert result.ok, [str(p) for p in result.problems]
    assert teams("A001") == [(dt.date(2026, 1, 4), "Assessment North")]
    assert teams("A002") == []


def test_a_bad_allocation_date_dating_worker_and_team_is_one_problem(tmp_path):
    sheets = {
        "List 3 Referrals": [
            ["Child ID", "Referral date", "Team", "Worker", "Allocation date"],
            ["A001", D(2026, 1, 3), "Assessment North", "SW001", "31/02/2026"],
        ]
    }
    result = _annex(tmp_path, sheets)
    assert [str(p) for p in result.problems] == [
        "List 3 Referrals, row 2, column \"Allocation date\": '31/02/2026' is not a real date: February 2026 "
        "has 28 days"
    ]
    assert Event.objects.count() == 0


def test_a_team_column_with_no_date_column_is_not_imported_and_listed(tmp_path):
    sheets = {
        "List 3 Referrals": [
            ["Child ID", "Referral date", "Team", "Worker"],
            ["A001", D(2026, 1, 3), "Assessment North", "SW001"],
        ]
    }
    result = _annex(tmp_path, sheets)
    assert result.ok, [str(p) for p in result.problems]
    assert Event.objects.filter(kind__in=[Event.Kind.TEAM_ALLOCATION, Event.Kind.ALLOCATION]).count() == 0
    assert (
        "Team (List 3 Referrals: no Team date or Allocation date column to date it)" in result.ignored_columns
    )
    assert "Worker (List 3 Referrals: no Allocation date column to date it)" in result.ignored_columns


def test_two_lists_giving_one_team_read_it_once_and_a_long_team_name_is_a_problem(tmp_path):
    row = ["A001", D(2026, 2, 20), "Child protection", D(2026, 2, 1)]
    sheets = {
        "List 6 Children in need": [["Child ID", "CIN start date", "Team", "Team date"], row],
        "List 7 Child protection": [["Child ID", "CP plan start date", "Team", "Team date"], row],
    }
    result = _annex(tmp_path, sheets)
    assert result.ok, [str(p) for p in result.problems]
    assert teams("A001") == [(dt.date(2026, 2, 1), "Child protection")]

    Event.objects.all().delete()
    sheets["List 7 Child protection"][1] = ["A002", D(2026, 2, 20), "x" * 101, D(2026, 2, 1)]
    before = casework_table_counts()
    result = _annex(tmp_path, sheets)
    assert [str(p) for p in result.problems] == [
        'List 7 Child protection, row 2, column "Team": is 101 characters long; the most this column takes '
        "is 100"
    ]
    assert casework_table_counts() == before


# --- The Annex A export: Team as at the day, and the round trip -------------------------------------

AS_OF = dt.date(2026, 3, 2)


def _sheet_rows(path, title: str) -> list[dict]:
    from openpyxl import load_workbook

    header, *rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _children_with_teams():
    from casework.models import Cohort
    from tests.factories.casework import EpisodeFactory

    moved = ChildFactory(child_id="T1")
    EpisodeFactory(child=moved, cohort=Cohort.CHILD_IN_NEED, start_on=dt.date(2025, 6, 1))
    EventFactory(
        child=moved, kind=Event.Kind.TEAM_ALLOCATION, occurred_on=dt.date(2025, 6, 1), value="Front door"
    )
    EventFactory(
        child=moved,
        kind=Event.Kind.TEAM_ALLOCATION,
        occurred_on=dt.date(2025, 7, 1),
        value="Assessment North",
    )
    EventFactory(child=moved, kind=Event.Kind.ALLOCATION, occurred_on=dt.date(2025, 9, 15), value="SW001")
    # Moves to another team the day after the workbook's day: not shown.
    EventFactory(
        child=moved,
        kind=Event.Kind.TEAM_ALLOCATION,
        occurred_on=AS_OF + dt.timedelta(days=1),
        value="Child protection",
    )
    in_care = ChildFactory(child_id="T2")
    EpisodeFactory(child=in_care, cohort=Cohort.LOOKED_AFTER, start_on=dt.date(2025, 11, 3))
    EventFactory(
        child=in_care,
        kind=Event.Kind.TEAM_ALLOCATION,
        occurred_on=dt.date(2025, 11, 3),
        value="=Children in care",
    )
    no_team = ChildFactory(child_id="T3")
    EpisodeFactory(child=no_team, cohort=Cohort.CHILD_IN_NEED, start_on=dt.date(2026, 1, 5))
    EventFactory(child=no_team, kind=Event.Kind.ALLOCATION, occurred_on=dt.date(2026, 1, 6), value="SW002")


def test_the_export_fills_team_as_at_its_day_with_the_team_date_beside_it(tmp_path):
    from casework.annex_a import annex_a_write

    _children_with_teams()
    out = tmp_path / "annex-a.xlsx"
    annex_a_write(as_of=AS_OF, out=out)
    rows = {row["Child ID"]: row for row in _sheet_rows(out, "List 6 Children in need")}
    assert (rows["T1"]["Team"], rows["T1"]["Team date"]) == ("Assessment North", D(2025, 7, 1))
    assert (rows["T1"]["Worker"], rows["T1"]["Allocation date"]) == ("SW001", D(2025, 9, 15))
    assert (rows["T3"]["Team"], rows["T3"]["Team date"]) == (None, None)
    (in_care,) = _sheet_rows(out, "List 8 Children in care")
    assert (in_care["Team"], in_care["Team date"]) == ("'=Children in care", D(2025, 11, 3))  # formula-safe
    # The team after the day is shown in a workbook dated after it.
    annex_a_write(as_of=AS_OF + dt.timedelta(days=1), out=out)
    rows = {row["Child ID"]: row for row in _sheet_rows(out, "List 6 Children in need")}
    assert (rows["T1"]["Team"], rows["T1"]["Team date"]) == ("Child protection", D(2026, 3, 3))
    # Every child list carries the common columns in the same order, Team and Worker each with its date.
    from openpyxl import load_workbook

    workbook = load_workbook(out)
    for title in workbook.sheetnames:
        if title.startswith("List") and title != "List 11 Adopters":
            header = [cell.value for cell in workbook[title][1]]
            assert header[7:11] == ["Team", "Team date", "Worker", "Allocation date"], title


def test_the_exported_workbook_imports_back_unchanged_and_its_teams_are_read(tmp_path):
    from casework.annex_a import annex_a_write

    _children_with_teams()
    out = tmp_path / "annex-a.xlsx"
    annex_a_write(as_of=AS_OF, out=out)
    before = casework_table_counts()
    held = sorted(Event.objects.values_list("child__child_id", "kind", "occurred_on", "value"))
    result = cases_import(path=out)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated) == (0, 0)
    assert casework_table_counts() == before
    assert not [c for c in result.ignored_columns if c.startswith("Team")], result.ignored_columns
    # The workbook really gives the teams it shows: removed, they come back with the same dates.
    Event.objects.filter(
        kind=Event.Kind.TEAM_ALLOCATION, occurred_on__in=[dt.date(2025, 7, 1), dt.date(2025, 11, 3)]
    ).delete()
    result = cases_import(path=out)
    assert result.ok and result.counts["events"]["created"] == 2
    assert sorted(Event.objects.values_list("child__child_id", "kind", "occurred_on", "value")) == held


# --- The demo ----------------------------------------------------------------------------------------


def test_the_demo_gives_children_teams_consistent_with_their_allocations():
    import random
    from collections import defaultdict

    from casework import demo
    from casework.models import Cohort, Episode
    from tests.conftest import make_user

    make_user(roles.AUDITOR), make_user(roles.PERFORMANCE_MANAGER)
    demo.seed(rng=random.Random(3), scale=0.2, today=AS_OF)
    by_child: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for child_id, kind, day, value in Event.objects.filter(
        kind__in=[Event.Kind.ALLOCATION, Event.Kind.TEAM_ALLOCATION]
    ).values_list("child__child_id", "kind", "occurred_on", "value"):
        by_child[child_id][kind].append((day, value))
    open_cohort = {
        child_id: cohort
        for child_id, cohort in Episode.objects.filter(end_on__isnull=True)
        .exclude(cohort=Cohort.EARLY_HELP)
        .values_list("child__child_id", "cohort")
    }
    assert {value for kinds in by_child.values() for _, value in kinds["team_allocation"]} == {
        "Front door",
        "Assessment North",
        "Assessment South",
        "Child protection",
        "Children in care",
        "Leaving care",
    }
    waiting = 0
    for child_id, cohort in open_cohort.items():
        kinds = by_child[child_id]
        ((joined, team),) = kinds["team_allocation"]  # one team each
        if kinds["allocation"]:
            # The team of the cohort, from the day the first worker was allocated.
            assert joined == min(kinds["allocation"])[0] and team in demo.TEAMS[cohort], child_id
        else:
            waiting += 1
            assert team == "Front door", child_id
    assert 0 < waiting < len(open_cohort) / 10
