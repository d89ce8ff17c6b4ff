"""The demo's past inspections have their past milestones marked done: most on time, a couple late."""

import datetime as dt
import random

import pytest

from inspections import demo, services
from inspections.models import Inspection, Milestone
from tests.factories.inspections import framework

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _frameworks():
    framework()


def _seed(capture, today=TODAY, seed=2026):
    with capture(execute=True):
        return demo.seed(rng=random.Random(seed), today=today)


def _done(title):
    return {
        m.code: (m.done_on, m.effective_due_on) for m in Milestone.objects.filter(inspection__title=title)
    }


def test_every_past_milestone_of_the_past_inspections_is_done_and_the_mock_is_not(
    django_capture_on_commit_callbacks,
):
    _seed(django_capture_on_commit_callbacks)
    past = Milestone.objects.filter(inspection__title__in=(demo.SIF_TITLE, demo.ILACS_TITLE))
    assert past.count() >= 12
    for m in past:
        if m.is_window:
            assert m.done_on is None, m.code  # the next inspection window is not something "done"
        else:
            assert m.done_on is not None and m.done_on <= TODAY, m.code
    assert not Milestone.objects.filter(inspection__title=demo.MOCK_TITLE, done_on__isnull=False).exists()


def test_most_are_on_time_and_exactly_the_chosen_ones_are_late(django_capture_on_commit_callbacks):
    _seed(django_capture_on_commit_callbacks)
    late = []
    on_time = 0
    for title in (demo.SIF_TITLE, demo.ILACS_TITLE):
        for code, (done_on, due) in _done(title).items():
            if done_on is None:
                continue
            if done_on > due:
                late.append((title, code))
            else:
                on_time += 1
    assert sorted(late) == sorted(demo.DONE_LATE)
    assert on_time >= 10

    ilacs = Inspection.objects.get(title=demo.ILACS_TITLE)
    done = _done(demo.ILACS_TITLE)
    assert done["publication"][0] == ilacs.published_on == dt.date(2019, 4, 1)
    assert done["factual_accuracy"][0] == ilacs.factual_accuracy_returned_on
    action_plan_done, action_plan_due = done["action_plan"]
    assert ilacs.final_report_received_on <= action_plan_done <= action_plan_due == dt.date(2019, 7, 9)
    assert done["la_publishes_report"][0] > done["la_publishes_report"][1]  # published 2 working days late


def test_the_dates_are_deterministic_and_a_rerun_keeps_what_a_person_changed(
    django_capture_on_commit_callbacks,
):
    _seed(django_capture_on_commit_callbacks)
    first = {t: _done(t) for t in (demo.SIF_TITLE, demo.ILACS_TITLE)}

    action_plan = Milestone.objects.get(inspection__title=demo.ILACS_TITLE, code="action_plan")
    services.milestone_mark_done(milestone=action_plan, done_on=None)  # someone undoes one
    _seed(django_capture_on_commit_callbacks, today=TODAY + dt.timedelta(days=3))
    action_plan.refresh_from_db()
    assert action_plan.done_on is None

    Inspection.objects.all().delete()
    _seed(django_capture_on_commit_callbacks)
    assert {t: _done(t) for t in (demo.SIF_TITLE, demo.ILACS_TITLE)} == first


def test_the_detail_page_of_the_2019_inspection_reads_as_done(client_for, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from readiness import roles

    _seed(django_capture_on_commit_callbacks, today=dt.date.today())
    ilacs = Inspection.objects.get(title=demo.ILACS_TITLE)
    page = (
        client_for(roles.AUDITOR)
        .get(reverse("inspections:inspection-detail", kwargs={"inspection_pk": ilacs.pk}))
        .content.decode()
    )
    action_plan = ilacs.milestones.get(code="action_plan").done_on
    assert f"Done on {action_plan.day} {action_plan:%b %Y}" in page
    done = ilacs.milestones.filter(done_on__isnull=False).count()
    assert done >= 6 and page.count('govuk-tag--green">Done on ') == done
    assert 'govuk-tag--red">Past<' not in page  # nothing past is shown as missed
