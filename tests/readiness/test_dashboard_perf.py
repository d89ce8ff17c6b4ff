"""The DCS page's caching and query budget: at most 15 queries warm (BEGIN/COMMIT counted, as
assertNumQueries does), the same number whatever the data, and never a stale block after a change."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import Inspection
from readiness import roles
from readiness.dashboards import selectors
from readiness.dashboards.definitions import indicators_load
from readiness.dashboards.services import snapshots_take
from tests.factories.casework import EpisodeFactory
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, MilestoneFactory, framework
from tests.factories.plans import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db
URL = "readiness:dashboard"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _data(size: int) -> None:
    today = timezone.localdate()
    if not Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION).exists():
        Ilacs2019Factory()
        self_evaluation = InspectionFactory(
            kind=Inspection.Kind.SELF_EVALUATION,
            framework=framework("ilacs-2026"),
            title="Self-evaluation 2026",
            notified_on=today - dt.timedelta(days=30),
        )
        inspection_services.judgements_record(
            inspection=self_evaluation,
            grades={"leaders": "good", "help_and_protection": "good", "children_in_care": "good",
                    "care_leavers": "requires_improvement"},
        )  # fmt: skip
    priority = PriorityFactory()
    for n in range(size):
        ActionFactory(priority=priority, due_on=today - dt.timedelta(days=2 + n), description=f"Late {n}")
        flagged = ActionFactory(priority=priority, due_on=today + dt.timedelta(days=200))
        ProgressUpdateFactory(action=flagged, date=today, rag="at_risk")
        MilestoneFactory(due_on=today + dt.timedelta(days=3 + n), name=f"Milestone {n}")
        EpisodeFactory(cohort="looked_after", start_on=today - dt.timedelta(days=30 + n))
    indicators_load()
    snapshots_take(day=today)


def _warm_count(signed_in) -> int:
    signed_in.get(reverse(URL))
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(reverse(URL)).status_code == 200
    return len(queries)


def test_warm_page_within_15_queries_and_the_same_whatever_the_data(
    client_for, django_assert_max_num_queries
):
    signed_in = client_for(roles.DCS)
    _data(size=1)
    small = _warm_count(signed_in)
    _data(size=12)
    large = _warm_count(signed_in)
    assert small == large
    with django_assert_max_num_queries(15):
        signed_in.get(reverse(URL))


def test_the_cold_page_is_also_bounded(client_for, django_assert_max_num_queries):
    signed_in = client_for(roles.DCS)
    _data(size=3)
    cache.clear()
    with django_assert_max_num_queries(25):
        assert signed_in.get(reverse(URL)).status_code == 200


def test_a_change_shows_at_once(client_for):
    signed_in = client_for(roles.DCS)
    _data(size=1)
    assert "Late 0" in signed_in.get(reverse(URL)).content.decode()
    today = timezone.localdate()
    action = ActionFactory(due_on=today - dt.timedelta(days=1), description="Added after the cache")
    assert "Added after the cache" in signed_in.get(reverse(URL)).content.decode()
    action.status = "complete"
    action.save()
    assert "Added after the cache" not in signed_in.get(reverse(URL)).content.decode()
    milestone = MilestoneFactory(due_on=today + dt.timedelta(days=1), name="Brand new milestone")
    assert "Brand new milestone" in signed_in.get(reverse(URL)).content.decode()
    milestone.delete()
    assert "Brand new milestone" not in signed_in.get(reverse(URL)).content.decode()


def _indicator_table(signed_in) -> str:
    html = signed_in.get(reverse(URL)).content.decode()
    return html.split('data-testid="indicators"')[1].split("</table>")[0]


def test_a_new_snapshot_shows_at_once(client_for):
    signed_in = client_for(roles.DCS)
    _data(size=1)
    before = _indicator_table(signed_in)
    for n in range(4):
        EpisodeFactory(cohort="looked_after", start_on=timezone.localdate() - dt.timedelta(days=5 + n))
    assert _indicator_table(signed_in) == before  # values are last night's until the next snapshot
    snapshots_take()
    assert _indicator_table(signed_in) != before


def test_data_version_is_one_query_and_moves_with_every_write(django_assert_num_queries):
    with django_assert_num_queries(1):
        empty = selectors.data_version()
    action = ActionFactory()
    created = selectors.data_version()
    action.description = "Changed"
    action.save()
    changed = selectors.data_version()
    action.delete()
    deleted = selectors.data_version()
    assert len({empty, created, changed, deleted}) == 4


def test_page_version_names_the_day(client_for):
    _data(size=1)
    today = timezone.localdate()
    first = selectors.dcs_dashboard(today=today)["page_version"]
    assert first == selectors.dcs_dashboard(today=today)["page_version"]
    assert selectors.dcs_dashboard(today=today + dt.timedelta(days=1))["page_version"] != first


def test_actions_attention_agrees_with_the_plans_rag(django_assert_max_num_queries):
    from readiness.plans.selectors import action_list

    today = timezone.localdate()
    priority = PriorityFactory()
    late = ActionFactory(priority=priority, due_on=today - dt.timedelta(days=1))
    soon = ActionFactory(priority=priority, due_on=today + dt.timedelta(days=2))
    stale = ActionFactory(
        priority=priority, due_on=today + dt.timedelta(days=300), start_on=today - dt.timedelta(days=60)
    )
    fresh = ActionFactory(
        priority=priority, due_on=today + dt.timedelta(days=300), start_on=today - dt.timedelta(days=60)
    )
    ProgressUpdateFactory(action=fresh, date=today - dt.timedelta(days=3), rag="on_track")
    said_off = ActionFactory(priority=priority, due_on=today + dt.timedelta(days=300))
    ProgressUpdateFactory(action=said_off, date=today - dt.timedelta(days=9), rag="on_track")
    ProgressUpdateFactory(action=said_off, date=today - dt.timedelta(days=2), rag="off_track")
    overridden = ActionFactory(
        priority=priority,
        due_on=today + dt.timedelta(days=2),
        rag_override="on_track",
        rag_override_reason="Agreed",
    )
    ActionFactory(priority=priority, due_on=today - dt.timedelta(days=5), status="complete")
    with django_assert_max_num_queries(3):  # the calendar once a day, then two
        found = selectors.actions_attention(today=today)
    assert [a.pk for a in found.overdue] == [late.pk]
    assert {a.pk for a in found.at_risk} == {soon.pk, stale.pk, said_off.pk}
    expected = {a.pk: a.rag for a in action_list(today=today)}
    for action in [*found.overdue, *found.at_risk]:
        assert action.rag == expected[action.pk]
    assert expected[fresh.pk] == "on_track" and expected[overridden.pk] == "on_track"
    with django_assert_max_num_queries(2):
        selectors.actions_attention(today=today)


def test_actions_attention_keeps_a_limit_of_each():
    today = timezone.localdate()
    priority = PriorityFactory()
    for n in range(12):
        ActionFactory(priority=priority, due_on=today - dt.timedelta(days=1 + n))
    ActionFactory(priority=priority, due_on=today + dt.timedelta(days=1), description="Due tomorrow")
    found = selectors.actions_attention(today=today, limit=10)
    assert len(found.overdue) == 10
    assert found.overdue[0].due_on < found.overdue[-1].due_on or len({a.due_on for a in found.overdue}) == 1
    assert [a.description for a in found.at_risk] == ["Due tomorrow"]  # not crowded out by the overdue
