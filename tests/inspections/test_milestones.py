"""Milestones: computed from the framework's rules with the working-day calendar, explained,
recomputed on commit when an anchor date or the calendar changes, overridable with a reason."""

import datetime as dt

import pytest

from inspections import services
from inspections.models import Milestone
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, framework

pytestmark = pytest.mark.django_db

D = dt.date
SEED_PLAN_EXPLANATION = (
    "70 working days after final report received on Wed 27 Mar 2019 — skips Good Friday 19 Apr, "
    "Easter Monday 22 Apr, Early May bank holiday 6 May, Spring bank holiday 27 May"
)


def by_code(inspection) -> dict[str, Milestone]:
    return {m.code: m for m in Milestone.objects.filter(inspection=inspection)}


def test_the_seed_chain_gives_the_improvement_plan_date_with_its_explanation():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    plan = by_code(inspection)["action_plan"]
    assert plan.due_on == D(2019, 7, 9)
    assert plan.explanation == SEED_PLAN_EXPLANATION
    assert plan.status == Milestone.Status.STATUTORY and plan.verb == "due"
    assert plan.rule.code == "action_plan" and plan.computed_at is not None
    assert by_code(inspection)["la_publishes_report"].due_on == D(2019, 5, 13)


def test_only_rules_whose_anchor_date_is_set_give_milestones():
    inspection = InspectionFactory(
        framework=framework("ilacs-2018"), onsite_start_on=D(2019, 2, 18), onsite_end_on=D(2019, 3, 1)
    )
    services.milestones_compute(inspection=inspection)
    # publication is anchored on the end of on-site; next_inspection_window needs an overall grade.
    assert set(by_code(inspection)) == {"publication"}


def test_observed_milestones_are_flagged_typically_not_due():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    publication = by_code(inspection)["publication"]
    assert publication.status == Milestone.Status.OBSERVED
    assert publication.is_observed and publication.verb == "typically"
    assert publication.due_on == D(2019, 4, 1)  # 21 working days after Fri 1 Mar 2019
    assert str(publication) == "Report published by Ofsted: typically 1 Apr 2019"


def test_computing_twice_writes_nothing_the_second_time():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    before = Milestone.history.count()
    services.milestones_compute(inspection=inspection)
    assert Milestone.history.count() == before
