"""The demo council's inspections: deterministic, idempotent, consistent with their frameworks."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from inspections import demo
from inspections.models import Inspection, Judgement, Milestone, Recommendation
from tests.factories.inspections import framework

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # a Saturday


@pytest.fixture(autouse=True)
def _frameworks():
    framework()


def test_seed_creates_the_past_inspections_and_a_scheduled_mock(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = demo.seed(rng=random.Random(2026), today=TODAY)
    assert [i.title for i in created] == [demo.SIF_TITLE, demo.ILACS_TITLE, demo.MOCK_TITLE]

    sif = Inspection.objects.get(title=demo.SIF_TITLE)
    assert sif.framework.code == "sif-2013"
    assert {
        sif.grades()[code] for code in ("overall", "help_and_protection", "children_in_care", "leaders")
    } == {"requires_improvement"}
    assert sif.status_on(TODAY) == Inspection.Status.PUBLISHED

    ilacs = Inspection.objects.get(title=demo.ILACS_TITLE)
    assert (ilacs.onsite_start_on, ilacs.onsite_end_on) == (dt.date(2019, 2, 18), dt.date(2019, 3, 1))
    assert (ilacs.final_report_received_on, ilacs.published_on) == (dt.date(2019, 3, 27), dt.date(2019, 4, 1))
    assert set(ilacs.grades().values()) == {"requires_improvement"} and len(ilacs.grades()) == 4
    assert ilacs.recommendations.count() == 6
    assert ilacs.milestones.get(code="action_plan").due_on == dt.date(2019, 7, 9)

    mock = Inspection.objects.get(title=demo.MOCK_TITLE)
    assert mock.kind == Inspection.Kind.MOCK and mock.framework.code == "ilacs-2026"
    # The first Monday at least 4 weeks on is Boxing Day's substitute, so the next one.
    assert mock.onsite_start_on == dt.date(2027, 1, 4)
    assert mock.onsite_start_on.weekday() == 0 and mock.onsite_end_on.weekday() == 4
    assert mock.status_on(TODAY) == Inspection.Status.PLANNED
    # Notified 5 working days ahead, never on a bank holiday: Christmas and Boxing Day's substitute
    # (28 December 2026) and New Year's Day are skipped, so the call comes on 23 December.
    assert mock.notified_on == dt.date(2026, 12, 23)
    assert mock.milestones.get(code="onsite_start_expected").due_on == mock.onsite_start_on
    # The mock's first days are planned, so its control room preview shows something real.
    days = sorted({timezone.localtime(m.starts_at).date() for m in mock.meetings.all()})
    assert days == [dt.date(2027, 1, 4), dt.date(2027, 1, 5), dt.date(2027, 1, 6)]
    requests = list(mock.data_requests.order_by("due_at"))
    assert len(requests) == 3 and all(r.status == "open" and r.owner_name for r in requests)
    assert {timezone.localtime(r.requested_at).date() for r in requests} == {mock.notified_on}
    assert timezone.localtime(requests[0].due_at) == timezone.make_aware(dt.datetime(2027, 1, 4, 12, 0))
    assert mock.meetings.first().history.count() == 1  # made through the models: history kept
    for inspection in (sif, ilacs, mock):
        inspection.full_clean()


def test_seed_is_idempotent_and_deterministic():
    demo.seed(rng=random.Random(2026), today=TODAY)
    counts = [m.objects.count() for m in (Inspection, Judgement, Recommendation, Milestone)]
    leads = list(Inspection.objects.order_by("title").values_list("lead_inspector", flat=True))
    assert demo.seed(rng=random.Random(2026), today=TODAY + dt.timedelta(days=40)) == []
    assert [m.objects.count() for m in (Inspection, Judgement, Recommendation, Milestone)] == counts

    Inspection.objects.all().delete()
    demo.seed(rng=random.Random(2026), today=TODAY)
    assert list(Inspection.objects.order_by("title").values_list("lead_inspector", flat=True)) == leads
