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
