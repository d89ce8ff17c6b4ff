"""Demo data: the fictional council's improvement plan after its 2019 ILACS inspection.

Six priorities from the inspection's six recommendations, 4–8 actions each owned by demo users,
progress updates over months and a mix of RAG states. Deterministic for a given `rng` and `today`;
safe to run again (a plan with the demo title is left as it is).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from readiness.plans import services
from readiness.plans.models import Action, ImprovementPlan, Rag

PLAN_TITLE = "Improvement plan: ILACS standard inspection, February 2019"
ILACS_TITLE = "ILACS standard inspection, February 2019"
OWNERS = ("pm", "dcs", "admin")
LEADS = (
    "Head of Early Help",
    "Head of Assessment",
    "Principal Social Worker",
    "Head of Children in Care",
    "Service Manager, Quality Assurance",
    "Designated Nurse for Children in Care",
)
PARTNERS = ("", "", "Integrated Care Board", "Police", "Community Health Trust", "Schools Forum")
STEPS = (
    "Review the {topic} policy with practitioners and publish the revised version",
    "Train team managers on {topic}, with refresher sessions every quarter",
    "Audit 20 cases each month against the {topic} standard and report themes",
    "Add {topic} measures to the monthly performance report",
    "Hold a multi-agency workshop on {topic} and agree a joint protocol",
    "Set up a practice forum for {topic} led by the Principal Social Worker",
    "Run a thematic deep dive on {topic} and share the learning",
    "Ask children and families how {topic} felt to them and act on what they say",
)
TOPICS = (
    "early help oversight",
    "supervision and management oversight",
    "public law outline tracking",
    "placement with parents plans",
    "health assessments for children in care",
    "domestic abuse and neglect support",
)
UPDATE_WORDS = {
    Rag.ON_TRACK: "Work is going to plan: {n} sessions held and feedback is positive.",
    Rag.AT_RISK: "Slipping: {n} team managers still to attend; a catch-up date is being set.",
    Rag.OFF_TRACK: "Stalled: partner capacity has fallen and {n} planned audits did not happen.",
    Rag.COMPLETE: "Done: signed off at the improvement board after {n} months of work.",
}


@transaction.atomic
def seed(*, rng: random.Random, today: dt.date | None = None) -> ImprovementPlan | None:
    """Create the demo plan if it is missing; return it (None when it existed or cannot be made)."""
    from django.utils import timezone

    from inspections.models import Inspection

    today = today or timezone.localdate()

    # Draw every random choice up front so reruns are deterministic whatever already exists.
    draws = [[rng.random() for _ in range(12)] for _ in range(len(TOPICS) * 8)]
    if ImprovementPlan.objects.filter(title=PLAN_TITLE).exists():
        return None
    inspection = Inspection.objects.filter(title=ILACS_TITLE).first()
    if inspection is None or not inspection.recommendations.exists():
        return None
    users = {u.username: u for u in get_user_model().objects.filter(username__in=OWNERS)}
    owners = [users[name] for name in OWNERS if name in users] or [None]
    plan = services.plan_create_from_inspection(
        inspection=inspection, owner=users.get("dcs"), title=PLAN_TITLE
    )
    services.plan_update(
        plan=plan, data={"status": ImprovementPlan.Status.PUBLISHED, "published_on": dt.date(2019, 7, 5)}
    )
    index = 0
    for p_index, priority in enumerate(plan.priorities.order_by("order")):
        topic = TOPICS[p_index % len(TOPICS)]
        count = 4 + int(draws[index][0] * 5)  # 4 to 8 actions
        for step in range(count):
            d = draws[index]
            index += 1
            _action(priority, topic, step, d, owners, today)
    return plan


def _action(priority, topic, step, d, owners, today):
    owner = owners[int(d[1] * len(owners))]
    start = today - dt.timedelta(days=60 + int(d[2] * 300))
    kind = d[3]
    if kind < 0.35:  # finished
        due = start + dt.timedelta(days=90 + int(d[4] * 60))
        status = Action.Status.COMPLETE
    elif kind < 0.5:  # overdue
        due = today - dt.timedelta(days=5 + int(d[4] * 40))
        status = Action.Status.IN_PROGRESS
    elif kind < 0.62:  # due soon
        due = today + dt.timedelta(days=3 + int(d[4] * 8))
        status = Action.Status.IN_PROGRESS
    else:  # later
        due = today + dt.timedelta(days=45 + int(d[4] * 200))
        status = Action.Status.IN_PROGRESS if d[5] < 0.8 else Action.Status.NOT_STARTED
    due = max(due, start)
    action = services.action_create(
        priority=priority,
        description=STEPS[step % len(STEPS)].format(topic=topic),
        owner=owner,
        lead_officer=LEADS[int(d[6] * len(LEADS))],
        partner_agency=PARTNERS[int(d[7] * len(PARTNERS))],
        start_on=start,
        due_on=due,
        status=Action.Status.NOT_STARTED,
        success_measure=f"Audits show {topic} is good or better in at least 80% of cases",
        indicator_code="",
        indicator_target="80%",
    )
    if status == Action.Status.NOT_STARTED:
        return
    # Monthly updates from the start until now (or until done).
    months = max(1, min(8, (min(today, due) - start).days // 30))
    for month in range(months):
        date = min(start + dt.timedelta(days=30 * (month + 1)), today)
        last = month == months - 1
        if status == Action.Status.COMPLETE and last:
            rag = Rag.COMPLETE
        elif last and kind >= 0.35 and kind < 0.5:
            rag = Rag.OFF_TRACK if d[8] < 0.6 else Rag.AT_RISK
        elif last and d[9] < 0.25:
            rag = Rag.AT_RISK
        else:
            rag = Rag.ON_TRACK
        services.progress_update_add(
            action=action, date=date, rag=rag, text=UPDATE_WORDS[rag].format(n=2 + month), user=owner
        )
    if d[10] < 0.15 and action.status != Action.Status.COMPLETE:
        action.refresh_from_db()
        services.action_update(
            action=action,
            data={"due_on": action.due_on + dt.timedelta(days=28)},
            due_on_reason="Moved at the improvement board: waiting for the new case recording system",
            user=owner,
        )
