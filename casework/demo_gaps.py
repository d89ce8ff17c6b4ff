"""The demo's deliberate Annex A gaps: a few records missing or mis-keyed, as in a real council's return.

The demo's journeys are otherwise complete (casework/demo.py), so the Annex A check page and the
workbook's Validation sheet (casework/annex_a_gaps.py) show exactly these, about ten at scale 1 and
ten times as many at scale 10, instead of nothing or hundreds by accident. Each kind below is one
of the check's gap kinds, with the everyday reason a council has it. Missed statutory timescales
(late assessments, conferences, reviews) are not gaps: they stay in the data for the indicators.

Chosen by their own generator (seeded from the demo's rng before it draws anything), after the
journeys and workforce events are built and before anything is written. A kind is skipped, with
nothing to report, when the demo is too small to have a child for it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from casework.models import Cohort, Event

if TYPE_CHECKING:
    from casework.demo import _Builder

SALT = 0x6A9_5EED
# Children given each gap, per unit of scale (at least one at any scale where a child fits).
GAPS = {
    # List 8: a looked-after child's placement not yet keyed in.
    "no_placement": 2,
    # List 8: a looked-after child whose reviews were minuted outside the case system.
    "no_review": 2,
    # List 7: a protection plan whose initial conference is not recorded.
    "plan_without_conference": 1,
    # List 5: an initial conference whose strategy discussion is not recorded.
    "conference_without_strategy": 1,
    # List 4: an assessment whose referral and start were left on the old system.
    "assessment_without_referral": 1,
    # List 9: care leavers whose personal adviser's contacts stopped being recorded over a year ago.
    "care_leaver_out_of_touch": 2,
    # List 8: a looked-after review keyed with the year before, which is before the baby's birth.
    "review_before_birth": 1,
    # All lists: a child in need whose month and year of birth are not recorded.
    "birth_missing": 1,
}
# Gaps dated in the last this many days stay on the check page for a while after seeding.
RECENT_DAYS = 120


def _count(kind: str, scale: float) -> int:
    return max(1, round(GAPS[kind] * scale))


def without_birth(plan: list[str], *, rng: random.Random, scale: float) -> set[int]:
    """Indexes in the plan of the children in need created with no month and year of birth."""
    children_in_need = [index for index, cohort in enumerate(plan) if cohort == Cohort.CHILD_IN_NEED]
    return set(rng.sample(children_in_need, min(len(children_in_need), _count("birth_missing", scale))))


def make(builder: _Builder, *, rng: random.Random, scale: float) -> None:
    """Take records away from (or re-date them on) a few children the builder has made, on purpose."""
    today = builder.today
    recent = today - dt.timedelta(days=RECENT_DAYS)
    events: dict[str, list[Event]] = {}
    for event in builder.events:
        events.setdefault(event.child.child_id, []).append(event)
    current: dict[str, dict[str, tuple]] = {cohort: {} for cohort in Cohort.values}
    for episode in builder.episodes:
        if episode.end_on is None:
            current[episode.cohort][episode.child.child_id] = (episode.child, episode.start_on)
    used: set[str] = set()

    def dated(child_id: str, kind: str, after: dt.date) -> list[Event]:
        return [e for e in events.get(child_id, []) if e.kind == kind and e.occurred_on > after]

    def choose(kind: str, candidates: Iterable[str]) -> list[str]:
        pool = sorted(set(candidates) - used)
        chosen = rng.sample(pool, min(len(pool), _count(kind, scale)))
        used.update(chosen)
        return chosen

    drop: set[int] = set()  # id() of the events taken away

    def take(child_id: str, kinds: set[str], after: dt.date = dt.date.min) -> None:
        drop.update(id(e) for e in events.get(child_id, []) if e.kind in kinds and e.occurred_on > after)

    # Looked after for two months to a year: long enough for a placement and a first review to be
    # due, and far from the longest in care, whom the adoption step picks.
    settled = [
        child_id
        for child_id, (_, began) in current[Cohort.LOOKED_AFTER].items()
        if today - dt.timedelta(days=365) <= began <= today - dt.timedelta(days=60)
    ]
    no_placement = set(choose("no_placement", settled))
    builder.placements = [p for p in builder.placements if p.child.child_id not in no_placement]
    for child_id in choose("no_review", settled):
        take(child_id, {Event.Kind.CLA_REVIEW})
    for child_id in choose("plan_without_conference", current[Cohort.CHILD_PROTECTION]):
        take(child_id, {Event.Kind.ICPC, Event.Kind.ICPC_GP})
    for child_id in choose(
        "conference_without_strategy",
        (c for c in current[Cohort.CHILD_PROTECTION] if dated(c, Event.Kind.ICPC, recent)),
    ):
        take(child_id, {Event.Kind.STRATEGY_DISCUSSION})
    for child_id in choose(
        "assessment_without_referral",
        (c for c in current[Cohort.CHILD_IN_NEED] if dated(c, Event.Kind.ASSESSMENT_COMPLETED, recent)),
    ):
        take(child_id, {Event.Kind.REFERRAL, Event.Kind.ASSESSMENT_START})
    # Care leavers for well over a year; no contact recorded in the last 15 months.
    lost = today - dt.timedelta(days=450)
    for child_id in choose(
        "care_leaver_out_of_touch",
        (c for c, (_, began) in current[Cohort.CARE_LEAVER].items() if began <= lost),
    ):
        take(child_id, {Event.Kind.CARE_LEAVER_CONTACT}, after=lost)
    # A recent review keyed with last year's date, before the month the baby was born (and late
    # enough that the check, which reads about 20 months back, still sees it).
    mis_keyed: dict[str, Event] = {}
    for child_id, (child, _) in current[Cohort.LOOKED_AFTER].items():
        if not (child.birth_year and child.birth_month):
            continue
        for event in dated(child_id, Event.Kind.CLA_REVIEW, recent):
            year_before = event.occurred_on - dt.timedelta(days=365)
            if (year_before.year, year_before.month) < (child.birth_year, child.birth_month):
                mis_keyed.setdefault(child_id, event)
    for child_id in choose("review_before_birth", mis_keyed):
        event = mis_keyed[child_id]
        event.occurred_on -= dt.timedelta(days=365)
    builder.events = [e for e in builder.events if id(e) not in drop]
