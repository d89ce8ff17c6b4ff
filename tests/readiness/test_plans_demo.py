"""The demo plan: six priorities, 4–8 actions each, updates, a mix of RAG states; idempotent."""

import datetime as dt
import random

import pytest

from readiness.plans import demo
from readiness.plans.models import Action, ImprovementPlan, ProgressUpdate
from readiness.plans.selectors import plan_overview

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def demo_inspection(role_user):
    from inspections import demo as inspections_demo
    from readiness import roles

    for role in (roles.PERFORMANCE_MANAGER, roles.DCS, roles.ADMINISTRATOR):
        role_user(role)
    inspections_demo.seed(rng=random.Random(2026), today=TODAY)


def test_demo_plan_is_complete_deterministic_and_idempotent(demo_inspection):
    plan = demo.seed(rng=random.Random(2026), today=TODAY)
    assert plan is not None and plan.status == ImprovementPlan.Status.PUBLISHED
    priorities = list(plan.priorities.order_by("order"))
    assert len(priorities) == 6
    assert all(4 <= p.actions.count() <= 8 for p in priorities)
    assert all(p.recommendation_id and p.area_id for p in priorities)
    assert ProgressUpdate.objects.filter(action__priority__plan=plan).count() > 50
    totals = plan_overview(plan=plan, today=TODAY).totals
    assert totals.complete and totals.off_track and totals.at_risk and totals.on_track
    assert {a.owner.username for a in Action.objects.filter(priority__plan=plan)} >= {"pm", "dcs"}
    signature = list(Action.objects.order_by("pk").values_list("description", "due_on", "status"))

    assert demo.seed(rng=random.Random(2026), today=TODAY) is None
    assert ImprovementPlan.objects.count() == 1
    ImprovementPlan.objects.get().delete()
    demo.seed(rng=random.Random(2026), today=TODAY)
    assert list(Action.objects.order_by("pk").values_list("description", "due_on", "status")) == signature
