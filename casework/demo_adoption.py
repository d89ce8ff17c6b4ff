"""Demo adoption journeys (Annex A lists 10 and 11): adopted and waiting children, adopter households.

Part of the demo council (casework/demo.py `seed` calls `seed_adoption` with its own generator, so
the cases and the audit sample stay exactly as they are without it). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random

from simple_history.utils import bulk_create_with_history

from casework.models import AdopterHousehold, Cohort, Episode, Event, Placement

BATCH = 2000

# Adoption (Annex A lists 10 and 11), per unit of scale: looked-after children adopted in the last
# 12 months, adopted earlier, still waiting (with a decision, some with a placement order or
# placed), one decision reversed; and adopter households at every stage, some withdrawn.
ADOPTION_SALT = 0xAD0_1105
ADOPTER_PREFIX = "NMA"
ADOPTED_RECENTLY = 8
ADOPTED_EARLIER = 2
WAITING = 10
ADOPTER_HOUSEHOLDS = 40
ADOPTER_STAGES = (
    "enquiry_on",
    "registration_on",
    "stage_one_on",
    "stage_two_on",
    "approved_on",
    "matched_on",
    "placed_on",
)
# Days from one step to the next (enquiry -> registration -> stage 1 -> stage 2 -> approval -> ...).
ADOPTER_GAPS = ((5, 30), (7, 21), (50, 75), (100, 140), (30, 240), (30, 90))
WITHDRAWAL_REASONS = [
    "changed circumstances",
    "not suitable at stage 1",
    "moved away",
    "chose another agency",
]


def seed_adoption(*, rng: random.Random, scale: float, today: dt.date, prefix: str) -> int:
    """Adoption events on demo looked-after children (longest in care first) and adopter households.

    Returns the number of children given an adoption journey. Nothing here is drawn from the cases'
    generator, and a second run finds the households and adds nothing.
    """
    looked_after = list(
        Episode.objects.filter(
            cohort=Cohort.LOOKED_AFTER, end_on__isnull=True, child__child_id__startswith=prefix
        )
        .exclude(child__sample_memberships__isnull=False)  # the audit sample's children stay in care
        .order_by("start_on", "child__child_id")
        .values_list("child_id", "start_on")
    )
    counts = [max(1, round(n * scale)) for n in (ADOPTED_RECENTLY, ADOPTED_EARLIER, WAITING)]
    events: list[Event] = []

    def add(child_pk: int, kind: str, day: dt.date) -> None:
        events.append(Event(child_id=child_pk, kind=kind, occurred_on=day))

    chosen = looked_after[: sum(counts) + 1]
    adopted: list[tuple[int, dt.date, dt.date]] = []  # child, placed for adoption, adoption order
    for index, (child_pk, began) in enumerate(chosen):
        if index < counts[0] + counts[1]:  # adopted: in the last 12 months, or the year before
            order = today - dt.timedelta(
                days=rng.randint(10, 340) if index < counts[0] else rng.randint(380, 600)
            )
            placed = order - dt.timedelta(days=rng.randint(70, 200))
            placement_order = placed - dt.timedelta(days=rng.randint(30, 150))
            decision = max(
                began + dt.timedelta(days=20), placement_order - dt.timedelta(days=rng.randint(30, 120))
            )
            steps = [
                (Event.Kind.ADOPTION_DECISION, decision),
                (Event.Kind.PLACEMENT_ORDER, max(decision, placement_order)),
                (Event.Kind.PLACED_FOR_ADOPTION, max(decision, placed)),
                (Event.Kind.ADOPTION_ORDER, max(decision, order)),
            ]
            adopted.append((child_pk, max(decision, placed), max(decision, order)))
        elif index < len(chosen) - 1:  # waiting: a decision, maybe a placement order, maybe placed
            decision = max(began + dt.timedelta(days=20), today - dt.timedelta(days=rng.randint(30, 500)))
            steps = [(Event.Kind.ADOPTION_DECISION, decision)]
            day = decision + dt.timedelta(days=rng.randint(30, 150))
            if rng.random() < 0.6 and day < today:
                steps.append((Event.Kind.PLACEMENT_ORDER, day))
                day += dt.timedelta(days=rng.randint(60, 200))
                if rng.random() < 0.5 and day < today:
                    steps.append((Event.Kind.PLACED_FOR_ADOPTION, day))
        else:  # the one decision reversed
            decision = max(began + dt.timedelta(days=20), today - dt.timedelta(days=rng.randint(200, 400)))
            reversed_on = min(today, decision + dt.timedelta(days=rng.randint(90, 180)))
            steps = [
                (Event.Kind.ADOPTION_DECISION, decision),
                (Event.Kind.ADOPTION_DECISION_REVERSED, reversed_on),
            ]
        for kind, day in steps:
            if day <= today:
                add(child_pk, kind, day)
    bulk_create_with_history(events, Event, batch_size=BATCH)
    for child_pk, placed, order in adopted:
        _leave_care_by_adoption(child_pk, placed=placed, order=order, in_area=rng.random() < 0.5)
    households = []
    for n in range(1, max(1, round(ADOPTER_HOUSEHOLDS * scale)) + 1):
        household = AdopterHousehold(
            reference=f"{ADOPTER_PREFIX}{n:04d}",
            household_type=rng.choice(["couple", "couple", "single"]),
        )
        target = rng.randint(0, len(ADOPTER_STAGES) - 1)
        day = today - dt.timedelta(days=rng.randint(5, 720))
        last = day
        for stage, name in enumerate(ADOPTER_STAGES[: target + 1]):
            if stage:
                low, high = ADOPTER_GAPS[stage - 1]
                day += dt.timedelta(days=rng.randint(low, high))
            if day > today:
                break
            setattr(household, name, day)
            last = day
        if household.approved_on:
            household.children_approved_for = rng.choice([1, 1, 1, 2, 2, 3])
        if household.placed_on is None and rng.random() < 0.15:
            closed = last + dt.timedelta(days=rng.randint(10, 60))
            if closed <= today:
                household.closed_on = closed
                household.closed_reason = rng.choice(WITHDRAWAL_REASONS)
        households.append(household)
    bulk_create_with_history(households, AdopterHousehold, batch_size=BATCH)
    return len(chosen)


def _leave_care_by_adoption(child_pk: int, *, placed: dt.date, order: dt.date, in_area: bool) -> None:
    """An adopted child lives with the adopters from `placed` and leaves care on the adoption order.

    What the case generator drew for the child after those days (later placements, visits, reviews)
    is taken away, so the journey reads true. A handful of children, changed one record at a time so
    history keeps each change.
    """
    for placement in Placement.objects.filter(child_id=child_pk):
        if placement.start_on >= placed:
            placement.delete()
        elif placement.end_on is None or placement.end_on > placed:
            placement.end_on = placed
            placement.save()
    Placement(
        child_id=child_pk,
        placement_type=Placement.Type.ADOPTION,
        in_area=in_area,
        start_on=placed,
        end_on=order,
    ).save()
    for event in Event.objects.filter(child_id=child_pk, occurred_on__gt=order):
        event.delete()
    for episode in Episode.objects.filter(child_id=child_pk):
        if episode.start_on > order:
            episode.delete()
        elif episode.end_on is None or episode.end_on > order:
            episode.end_on = order
            episode.save()
