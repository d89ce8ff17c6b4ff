"""RAG derivation: one table, checked in Python and against the database expression."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from readiness.plans import services
from readiness.plans.models import Action, Rag
from readiness.plans.rag import derive_rag, soon_limit
from tests.factories.plans import ActionFactory, ProgressUpdateFactory

TODAY = dt.date(2026, 3, 2)  # a Monday; 10 working days later is Monday 16 March
D = dt.timedelta

CASES = [
    # status, due, last activity, latest update RAG, expected
    ("complete", TODAY - D(days=30), TODAY - D(days=90), "", Rag.COMPLETE),
    ("in_progress", TODAY - D(days=1), TODAY, "", Rag.OFF_TRACK),
    ("in_progress", TODAY + D(days=60), TODAY, Rag.OFF_TRACK, Rag.OFF_TRACK),
    ("in_progress", TODAY + D(days=14), TODAY, "", Rag.AT_RISK),  # 16 March: within 10 working days
    ("in_progress", TODAY + D(days=15), TODAY, "", Rag.ON_TRACK),  # 17 March: 11 working days
    ("in_progress", TODAY, TODAY, "", Rag.AT_RISK),  # due today is not yet overdue
    ("in_progress", TODAY + D(days=60), TODAY - D(days=31), "", Rag.AT_RISK),  # stale
    ("in_progress", TODAY + D(days=60), TODAY - D(days=30), "", Rag.ON_TRACK),
    ("in_progress", TODAY + D(days=60), TODAY, Rag.AT_RISK, Rag.AT_RISK),
    ("not_started", TODAY + D(days=60), TODAY - D(days=5), Rag.ON_TRACK, Rag.ON_TRACK),
]


@pytest.mark.parametrize(("status", "due", "activity", "update_rag", "expected"), CASES)
def test_derive_rag(status, due, activity, update_rag, expected):
    result = derive_rag(
        status=status,
        due_on=due,
        last_activity_on=activity,
        latest_update_rag=update_rag,
        today=TODAY,
        soon=dt.date(2026, 3, 16),
    )
    assert result == expected


@pytest.mark.django_db
def test_soon_limit_counts_working_days():
    assert soon_limit(TODAY) == dt.date(2026, 3, 16)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "due", "activity", "update_rag", "expected"), CASES)
def test_database_rag_agrees_with_python(status, due, activity, update_rag, expected):
    action = ActionFactory(status=status, due_on=due, start_on=min(due, activity))
    if update_rag:
        ProgressUpdateFactory(action=action, date=activity, rag=update_rag)
    else:
        action.start_on = min(activity, due)
        action.save()
        if action.start_on != activity:
            ProgressUpdateFactory(action=action, date=activity, rag=Rag.ON_TRACK)
    annotated = Action.objects.with_rag(today=TODAY).get(pk=action.pk)
    assert annotated.rag == expected


@pytest.mark.django_db
def test_override_replaces_the_derived_rag_and_needs_a_reason():
    action = ActionFactory(due_on=TODAY - D(days=3), start_on=TODAY - D(days=40))
    assert Action.objects.with_rag(today=TODAY).get(pk=action.pk).rag == Rag.OFF_TRACK
    with pytest.raises(ValidationError) as error:
        services.rag_override(action=action, rag=Rag.ON_TRACK, reason=" ")
    assert services.OVERRIDE_NEEDS_REASON in error.value.messages
    services.rag_override(action=action, rag=Rag.ON_TRACK, reason="New date agreed with the board")
    annotated = Action.objects.with_rag(today=TODAY).get(pk=action.pk)
    assert (annotated.rag, annotated.derived_rag) == (Rag.ON_TRACK, Rag.OFF_TRACK)
    assert action.history.latest().history_change_reason == "New date agreed with the board"


@pytest.mark.django_db
def test_due_date_move_needs_a_reason_which_history_keeps():
    action = ActionFactory()
    old_due = action.due_on
    with pytest.raises(ValidationError) as error:
        services.action_update(action=action, data={"due_on": old_due + D(days=7)})
    assert error.value.message_dict == {"due_on_reason": [services.DUE_DATE_NEEDS_REASON]}
    action.refresh_from_db()
    assert action.due_on == old_due
    services.action_update(
        action=action, data={"due_on": old_due + D(days=7)}, due_on_reason="Staff sickness"
    )
    reason = action.history.latest().history_change_reason
    assert reason.endswith(": Staff sickness") and old_due.strftime("%d/%m/%Y") in reason
    # Other changes need no reason.
    services.action_update(action=action, data={"lead_officer": "Head of Service"})


def test_no_queryset_update_or_bulk_writes_in_plans_code():
    from pathlib import Path

    import readiness.plans

    for path in Path(readiness.plans.__file__).parent.glob("*.py"):
        text = path.read_text()
        for forbidden in (".update(", "bulk_create", "bulk_update"):
            offending = [line for line in text.splitlines() if forbidden in line and "objects" in line]
            assert not offending, (path.name, offending)
