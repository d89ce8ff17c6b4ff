"""Demo case data for the fictional Northmoor council, and an 18-case audit sample at mixed stages.

`seed(rng=..., scale=1, today=...)` creates about 2,200 open children per unit of scale (≈450 looked
after, ≈250 on protection plans, care leavers, children in need and early help) with three years of
events in which some timescales are missed. Deterministic for a given rng seed and `today`;
idempotent (a second run finds the demo children and changes nothing). Writes go through
simple_history's bulk helpers, so every record has its history row without a per-row INSERT pair.

Journeys respect the child's month of birth: work before birth (referrals, assessments, protection
plans for an unborn baby) starts at most PRE_BIRTH_DAYS before it, and nothing that needs a born
child (coming into care, health assessments, reviews, missing episodes, private fostering) is dated
before it. Every looked-after episode, current or ended, has its placements and reviews. The Annex A
check (casework/annex_a_gaps.py) therefore finds only the handful of gaps that casework/demo_gaps.py
makes on purpose, as a real return would have.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework import audit_services, demo_gaps
from casework.audit_questions import question_set
from casework.demo_adoption import ADOPTER_PREFIX, ADOPTION_SALT, seed_adoption
from casework.models import AdopterHousehold, Child, Cohort, Episode, Event, Placement, Sample
from inspections.models import Inspection
from inspections.working_days import add_working_days

PREFIX = "NM"
SAMPLE_TITLE = "Mock inspection audit sample (18 cases)"
# Children per unit of scale, by their current cohort.
MIX = {
    Cohort.LOOKED_AFTER: 450,
    Cohort.CHILD_PROTECTION: 250,
    Cohort.CARE_LEAVER: 180,
    Cohort.CHILD_IN_NEED: 720,
    Cohort.EARLY_HELP: 600,
}
ETHNICITIES = ["WBRI"] * 12 + ["WOTH", "MWBC", "MWAS", "AIND", "APKN", "BAFR", "BCRB", "CHNE", "OOTH", "NOBT"]
BATCH = 2000
MISS_RATE = 0.15  # share of timescales missed, so the indicators have something to show
# Care leavers' records: about 1 in 10 unsuitably housed, a little over half in EET.
ACCOMMODATION = ["suitable"] * 8 + ["semi-independent living", "unsuitable", "bed and breakfast"]
EET = ["in education"] * 3 + ["in employment"] * 3 + ["in training", "apprenticeship"] + ["not in EET"] * 5
# Pre-birth referrals come during pregnancy: at most this many days before the month of birth.
PRE_BIRTH_DAYS = 150
# Missing episodes are drawn for looked-after children of this age and over (most are teenagers).
MISSING_FROM_AGE = 11
MISSING_RATE = 0.3


def _child_id(n: int) -> str:
    return f"{PREFIX}{n:06d}"


def born_on(child: Child) -> dt.date | None:
    """The first day of the child's month of birth (None when it is not recorded): the earliest date
    an event that needs a born child may have, as the Annex A check reads it."""
    if child.birth_year and child.birth_month:
        return dt.date(child.birth_year, child.birth_month, 1)
    return None


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.episodes: list[Episode] = []
        self.placements: list[Placement] = []
        self.events: list[Event] = []

    def day_in_last(self, days: int, *, before: int = 0) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(before, max(before, days)))

    def first_day(self, child: Child, days: int, *, before: int = 0) -> dt.date:
        """A day in the last `days` (and at least `before` ago) when work with the child began: no
        more than PRE_BIRTH_DAYS before their month of birth (work before birth is for an expected
        baby, not one due years later)."""
        born = born_on(child)
        if born is not None:
            days = min(days, max(before, (self.today - born).days + PRE_BIRTH_DAYS))
        return self.day_in_last(days, before=before)

    def event(self, child: Child, kind: str, day: dt.date, value: str = "") -> None:
        if day <= self.today:
            self.events.append(Event(child=child, kind=kind, occurred_on=day, value=value))

    def wd(self, start: dt.date, n: int, late: int) -> dt.date:
        """Day n working days after start, or a few working days late now and then."""
        extra = self.rng.randint(1, late) if self.rng.random() < MISS_RATE else -self.rng.randint(0, n // 2)
        return add_working_days(start, max(1, n + extra))

    def front_door(self, child: Child, referral: dt.date) -> None:
        self.event(
            child, Event.Kind.CONTACT, referral - dt.timedelta(days=self.rng.randint(0, 3)), "referred"
        )
        self.event(child, Event.Kind.REFERRAL, referral)
        start = add_working_days(referral, self.rng.randint(1, 3))
        self.event(child, Event.Kind.ASSESSMENT_START, start)
        self.event(child, Event.Kind.ASSESSMENT_COMPLETED, self.wd(referral, 45, 20))

    def care_leaver_records(self, child: Child, left: dt.date) -> None:
        """Personal adviser contacts (usually within 8 weeks of each other), and accommodation and
        education/employment/training recorded every 3 to 6 months, each now and then changing."""
        rng = self.rng
        day = left
        while True:
            day += dt.timedelta(days=rng.randint(20, 70))
            if day > self.today:
                break
            self.event(
                child, Event.Kind.CARE_LEAVER_CONTACT, day, rng.choice(["in touch"] * 19 + ["not in touch"])
            )
        accommodation, eet = rng.choice(ACCOMMODATION), rng.choice(EET)
        day = left + dt.timedelta(days=rng.randint(0, 14))
        while day <= self.today:
            self.event(child, Event.Kind.CARE_LEAVER_ACCOMMODATION, day, accommodation)
            self.event(child, Event.Kind.CARE_LEAVER_EET, day, eet)
            day += dt.timedelta(days=rng.randint(90, 180))
            if rng.random() < 0.2:
                accommodation, eet = rng.choice(ACCOMMODATION), rng.choice(EET)

    def build(self, child: Child, cohort: str) -> None:
        rng = self.rng
        if cohort == Cohort.EARLY_HELP:
            start = self.first_day(child, 500)
            self.episodes.append(Episode(child=child, cohort=cohort, start_on=start))
            self.event(child, Event.Kind.CONTACT, start - dt.timedelta(days=rng.randint(1, 20)), "early help")
            return
        if cohort == Cohort.CARE_LEAVER:
            left = self.day_in_last(900, before=30)
            began = left - dt.timedelta(days=rng.randint(400, 2000))
            self.episodes.append(
                Episode(
                    child=child, cohort=Cohort.LOOKED_AFTER, start_on=began, end_on=left, legal_status="C2"
                )
            )
            # Their time in care has its placements and reviews, as a current child's has: list 8
            # shows those who left in the last six months.
            self.in_care(child, began, left=left)
            self.episodes.append(Episode(child=child, cohort=cohort, start_on=left))
            self.care_leaver_records(child, left)
            return
        referral = self.first_day(child, 1000, before=60)
        self.front_door(child, referral)
        if cohort == Cohort.CHILD_IN_NEED:
            self.episodes.append(Episode(child=child, cohort=cohort, start_on=add_working_days(referral, 30)))
            return
        if cohort == Cohort.CHILD_PROTECTION:
            strategy = add_working_days(referral, rng.randint(1, 10))
            self.event(child, Event.Kind.STRATEGY_DISCUSSION, strategy)
            self.event(child, Event.Kind.SECTION_47, strategy)
            icpc = self.wd(strategy, 15, 8)
            self.event(child, Event.Kind.ICPC, icpc)
            plan_start = min(icpc, self.today)
            self.episodes.append(Episode(child=child, cohort=cohort, start_on=plan_start))
            day = plan_start
            while True:
                # Visits: usually on time, the odd one late (each late visit is a missed gap).
                day = add_working_days(
                    day, rng.randint(11, 14) if rng.random() < 0.01 else rng.randint(5, 10)
                )
                if day > self.today:
                    break
                self.event(child, Event.Kind.VISIT, day)
            review = plan_start + dt.timedelta(days=90)
            while review <= self.today:
                self.event(child, Event.Kind.CP_REVIEW, review)
                review += dt.timedelta(days=180)
            return
        # Looked after: from the month of birth at the earliest (a baby can come into care at birth
        # after a pre-birth assessment), and a week ago at the latest.
        start = add_working_days(referral, rng.randint(5, 60))
        born = born_on(child)
        if born is not None and start < born:
            start = born + dt.timedelta(days=rng.randint(0, 20))
        start = max(min(start, self.today - dt.timedelta(days=7)), born or start)
        legal = rng.choice(["C2", "C2", "C1", "V2", "J2"])
        self.episodes.append(Episode(child=child, cohort=cohort, start_on=start, legal_status=legal))
        self.in_care(child, start)
        day = start + dt.timedelta(days=7)
        while day <= self.today:
            self.event(child, Event.Kind.VISIT, day)
            day += dt.timedelta(days=rng.randint(30, 60))
        age = self.today.year - child.birth_year if child.birth_year else 0
        if age >= MISSING_FROM_AGE and rng.random() < MISSING_RATE:
            for _ in range(rng.randint(1, 3)):
                missing = self.day_in_last(min(300, (self.today - start).days), before=5)
                self.event(child, Event.Kind.MISSING_EPISODE, missing)
                if rng.random() < 0.8:
                    self.event(
                        child,
                        Event.Kind.RETURN_INTERVIEW,
                        missing + dt.timedelta(days=rng.choice([1, 2, 3, 3, 5])),
                    )

    def in_care(self, child: Child, start: dt.date, *, left: dt.date | None = None) -> None:
        """Placements, health assessment, PEP and reviews for an episode of care from `start` (to
        `left`, for a care leaver). Timescales are missed now and then, but the first review is
        always on record once it is overdue: an overdue review with nothing recorded reads as a
        data gap on the Annex A check, and the demo's only gaps are the deliberate ones."""
        rng = self.rng
        end = min(left or self.today, self.today)
        first = rng.choice(["foster"] * 6 + ["connected_person", "childrens_home", "supported"])
        in_area = rng.random() > 0.3
        moves = rng.random() < 0.25
        if moves and (end - start).days > 120:
            change = start + dt.timedelta(days=rng.randint(60, (end - start).days - 30))
            self.placements.append(
                Placement(child=child, placement_type=first, in_area=in_area, start_on=start, end_on=change)
            )
            self.placements.append(
                Placement(
                    child=child,
                    placement_type=rng.choice(["foster", "childrens_home"]),
                    in_area=rng.random() > 0.4,
                    start_on=change + dt.timedelta(days=1),
                    end_on=left,
                )
            )
        else:
            self.placements.append(
                Placement(child=child, placement_type=first, in_area=in_area, start_on=start, end_on=left)
            )
        self.event(child, Event.Kind.IHA, self.wd(start, 20, 15))
        self.event(child, Event.Kind.PEP, self.wd(start, 10, 10))
        review = self.wd(start, 20, 5)
        if review > end >= add_working_days(start, 20):
            review = add_working_days(start, rng.randint(10, 20))
        while review <= end:
            self.event(child, Event.Kind.CLA_REVIEW, review)
            review += dt.timedelta(days=91 if review < start + dt.timedelta(days=91) else 182)


# Workforce and oversight, added after the cases so the rest of the demo stays as it was.
# About 1,600 children are open to social care per unit of scale; ~70 social workers and ~12
# personal advisers per unit give caseloads averaging about 19 (amber against the target of 18).
SOCIAL_WORKERS = 70
PERSONAL_ADVISERS = 12
SUPERVISION_DAYS = (
    150  # supervision is generated for the last 5 months only (the backfill needs 13 weeks + 1 month)
)
GP_CONTRIBUTION = ["attended"] * 9 + ["report"] * 5 + ["none"] * 3 + [""] * 3  # "" = no record
PRIVATE_FOSTERING = 10  # arrangements notified in the last year, per unit of scale
PRE_PROCEEDINGS_NOW = 15  # children in pre-proceedings today, per unit of scale
PRE_PROCEEDINGS_PAST = 25  # earlier pre-proceedings that have ended
PRE_PROCEEDINGS_OUTCOMES = ["stepped down"] * 3 + ["proceedings issued"] * 2
# Teams (names of teams, never of people). A child joins the team of their cohort on the day their
# worker is allocated (children in need by locality, north or south, by their number, so no draw
# from the rng); a child still waiting for a worker is with the front door since the case opened.
FRONT_DOOR = "Front door"
TEAMS = {
    Cohort.CHILD_IN_NEED: ("Assessment North", "Assessment South"),
    Cohort.CHILD_PROTECTION: ("Child protection",),
    Cohort.LOOKED_AFTER: ("Children in care",),
    Cohort.CARE_LEAVER: ("Leaving care",),
}


def team_for(child_id: str, cohort: str) -> str:
    """The team a demo child of this cohort is allocated to (deterministic: no draw from the rng)."""
    choices = TEAMS[cohort]
    return choices[int(child_id[len(PREFIX) :]) % len(choices)]


def _workforce(builder: _Builder, rng: random.Random, scale: float) -> None:
    """Allocations and teams, case supervision, GPs at initial conferences, private fostering and
    pre-proceedings, read from the cases already built (deterministic for the same rng; the teams
    draw nothing from it, so every other record is as it was before they existed)."""
    today = builder.today
    workers = [f"SW{n:03d}" for n in range(1, max(2, round(SOCIAL_WORKERS * scale)) + 1)]
    advisers = [f"PA{n:03d}" for n in range(1, max(2, round(PERSONAL_ADVISERS * scale)) + 1)]
    held = dict.fromkeys(workers + advisers, 0)

    def allocate(pool: list[str]) -> str:
        # The less busy of two workers: caseloads stay close to the average, as a team manager would.
        worker = min(rng.sample(pool, 2), key=lambda ref: (held[ref], ref))
        held[worker] += 1
        return worker

    opened: dict[str, tuple[Child, str, dt.date]] = {}
    for episode in builder.episodes:
        if episode.end_on is None and episode.cohort != Cohort.EARLY_HELP:
            opened[episode.child.child_id] = (episode.child, episode.cohort, episode.start_on)
    for child_id in sorted(opened):
        child, cohort, began = opened[child_id]
        if rng.random() < 0.02:
            # A few children wait for a worker: reported as unallocated, not averaged; the front
            # door holds them meanwhile.
            builder.event(child, Event.Kind.TEAM_ALLOCATION, began, FRONT_DOOR)
            continue
        pool = advisers if cohort == Cohort.CARE_LEAVER else workers
        # Allocated within a week of the case opening (some are still waiting today).
        allocated = began + dt.timedelta(days=rng.randint(0, 7))
        if allocated <= today:
            worker = allocate(pool)
            builder.event(child, Event.Kind.ALLOCATION, allocated, worker)
            builder.event(child, Event.Kind.TEAM_ALLOCATION, allocated, team_for(child_id, cohort))
        else:
            builder.event(child, Event.Kind.TEAM_ALLOCATION, began, FRONT_DOOR)
        if allocated <= today and rng.random() < 0.3 and (today - allocated).days > 60:
            moved = allocated + dt.timedelta(days=rng.randint(30, (today - allocated).days))
            held[worker] -= 1
            builder.event(child, Event.Kind.ALLOCATION, moved, allocate(pool))
        if cohort == Cohort.CARE_LEAVER:
            continue
        # Case supervision: monthly, the odd month missed.
        day = max(began, today - dt.timedelta(days=SUPERVISION_DAYS)) + dt.timedelta(days=rng.randint(5, 30))
        while day <= today:
            builder.event(child, Event.Kind.CASE_SUPERVISION, day)
            day += dt.timedelta(days=rng.randint(36, 50) if rng.random() < 0.06 else rng.randint(20, 30))
    # GPs at initial child protection conferences, recorded on the conference day.
    conferences = sorted(
        (e.child.child_id, e.occurred_on, e.child) for e in builder.events if e.kind == Event.Kind.ICPC
    )
    for _, held, child in conferences:
        contribution = rng.choice(GP_CONTRIBUTION)
        if contribution:
            builder.event(child, Event.Kind.ICPC_GP, held, contribution)
    # Private fostering: a handful of arrangements notified in the last year, visited within 7 days
    # then about monthly, now and then late.
    children_in_need = sorted(
        (child_id, child) for child_id, (child, cohort, _) in opened.items() if cohort == Cohort.CHILD_IN_NEED
    )
    fostered = rng.sample(
        children_in_need, min(len(children_in_need), max(1, round(PRIVATE_FOSTERING * scale)))
    )
    for _, child in fostered:
        # Notified in the last year, and not before the child's month of birth.
        born = born_on(child)
        back = 340 if born is None else max(3, min(340, (today - born).days))
        notified = today - dt.timedelta(days=rng.randint(3, back))
        builder.event(child, Event.Kind.PRIVATE_FOSTERING_NOTIFICATION, notified)
        day = notified + dt.timedelta(days=rng.randint(8, 12) if rng.random() < 0.1 else rng.randint(1, 7))
        while day <= today:
            builder.event(child, Event.Kind.PRIVATE_FOSTERING_VISIT, day)
            day += dt.timedelta(days=rng.randint(43, 55) if rng.random() < 0.04 else rng.randint(25, 42))
    # Pre-proceedings (Public Law Outline): children on plans, some in it for more than 16 weeks.
    on_plans = sorted(
        (child_id, child, began)
        for child_id, (child, cohort, began) in opened.items()
        if cohort == Cohort.CHILD_PROTECTION and (today - began).days > 60
    )
    now = max(1, round(PRE_PROCEEDINGS_NOW * scale))
    past = max(1, round(PRE_PROCEEDINGS_PAST * scale))
    chosen = rng.sample(on_plans, min(len(on_plans), now + past))
    for index, (_, child, began) in enumerate(chosen):
        if index < now:
            start = max(began + dt.timedelta(days=30), today - dt.timedelta(days=rng.randint(5, 140)))
            builder.event(child, Event.Kind.PRE_PROCEEDINGS_START, min(start, today))
            continue
        start = max(began + dt.timedelta(days=30), today - dt.timedelta(days=rng.randint(130, 500)))
        end = start + dt.timedelta(days=rng.randint(60, 200))
        if end >= today:
            continue
        builder.event(child, Event.Kind.PRE_PROCEEDINGS_START, start)
        builder.event(child, Event.Kind.PRE_PROCEEDINGS_END, end, rng.choice(PRE_PROCEEDINGS_OUTCOMES))


def _dedupe_events(events: list[Event]) -> list[Event]:
    seen, kept = set(), []
    for event in events:
        key = (event.child.child_id, event.kind, event.occurred_on, event.value)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


@transaction.atomic
def seed(*, rng: random.Random, scale: float = 1, today: dt.date) -> dict[str, int]:
    """Create the demo case data and the audit sample if they are missing; return what was created."""
    # The adoption journeys and adopters come from their own generator, seeded from the rng's state
    # before anything else is drawn: the cases and sample stay exactly as they were without them.
    copy = random.Random()  # noqa: S311 - demo data, not security  # nosec B311
    copy.setstate(rng.getstate())
    adoption_rng = random.Random(copy.getrandbits(64) ^ ADOPTION_SALT)  # noqa: S311  # nosec B311
    created = {"children": 0, "audits": 0, "adoption": 0}
    if not Child.objects.filter(child_id__startswith=PREFIX).exists():
        created["children"] = _seed_cases(rng=rng, scale=scale, today=today)
    if not Sample.objects.filter(title=SAMPLE_TITLE).exists():
        created["audits"] = _seed_sample(rng=rng, today=today)
    if not AdopterHousehold.objects.filter(reference__startswith=ADOPTER_PREFIX).exists():
        created["adoption"] = seed_adoption(rng=adoption_rng, scale=scale, today=today, prefix=PREFIX)
    return created


def _seed_cases(*, rng: random.Random, scale: float, today: dt.date) -> int:
    # The deliberate Annex A gaps are chosen by their own generator, seeded from the rng's state
    # before anything is drawn, so choosing them changes no other child's journey.
    copy = random.Random()  # noqa: S311 - demo data, not security  # nosec B311
    copy.setstate(rng.getstate())
    gaps_rng = random.Random(copy.getrandbits(64) ^ demo_gaps.SALT)  # noqa: S311  # nosec B311
    plan = [cohort for cohort, count in MIX.items() for _ in range(max(1, round(count * scale)))]
    rng.shuffle(plan)
    no_birth = demo_gaps.without_birth(plan, rng=gaps_rng, scale=scale)
    children = []
    for n, cohort in enumerate(plan, start=1):
        age = rng.randint(18, 21) if cohort == Cohort.CARE_LEAVER else rng.randint(0, 17)
        child = Child(
            child_id=_child_id(n),
            birth_year=today.year - age if age else today.year - 1,
            birth_month=rng.randint(1, 12),
            gender=rng.choice([Child.Gender.MALE, Child.Gender.FEMALE] * 20 + [Child.Gender.UNKNOWN]),
            ethnicity=rng.choice(ETHNICITIES),
            disability=rng.random() < 0.1,
            uasc=rng.random() < 0.03,
        )
        if n - 1 in no_birth:
            child.birth_year = child.birth_month = None  # deliberate: see demo_gaps.without_birth
        children.append(child)
    bulk_create_with_history(children, Child, batch_size=BATCH)
    by_id = dict(Child.objects.filter(child_id__startswith=PREFIX).values_list("child_id", "pk"))
    for child in children:
        child.pk = by_id[child.child_id]
    builder = _Builder(rng, today)
    for child, cohort in zip(children, plan, strict=True):
        builder.build(child, cohort)
    # A copy of the generator drives the workforce events, so the cases above and the audit sample
    # drawn after stay exactly as they were before these events existed.
    side = random.Random()  # noqa: S311 - demo data, not security  # nosec B311
    side.setstate(rng.getstate())
    _workforce(builder, random.Random(side.getrandbits(64)), scale)  # noqa: S311  # nosec B311
    demo_gaps.make(builder, rng=gaps_rng, scale=scale)
    bulk_create_with_history(builder.episodes, Episode, batch_size=BATCH)
    bulk_create_with_history(builder.placements, Placement, batch_size=BATCH)
    bulk_create_with_history(_dedupe_events(builder.events), Event, batch_size=BATCH)
    return len(children)


def _seed_sample(*, rng: random.Random, today: dt.date) -> int:
    users = get_user_model().objects
    auditor = users.filter(username="auditor").first()
    moderator = users.filter(username="pm").first()
    inspection = Inspection.objects.filter(kind=Inspection.Kind.MOCK).order_by("-onsite_start_on").first()
    current = audit_services.child_sample_cohorts(as_of=today)
    demo_pks = set(Child.objects.filter(child_id__startswith=PREFIX).values_list("pk", flat=True))
    ids = dict(Child.objects.filter(pk__in=demo_pks).values_list("pk", "child_id"))
    pools: dict[str, list[tuple[str, bool]]] = {
        "help_and_protection": [],
        "looked_after": [],
        "care_leaver": [],
    }
    for pk, (cohort, away) in sorted(current.items()):
        if pk in demo_pks and cohort in pools:
            pools[cohort].append((ids[pk], away))
    if (
        len(pools["help_and_protection"]) < 6
        or len(pools["looked_after"]) < 10
        or len(pools["care_leaver"]) < 2
    ):
        return 0
    away = [c for c in pools["looked_after"] if c[1]]
    home = [c for c in pools["looked_after"] if not c[1]]
    looked_after = rng.sample(away, min(3, len(away))) + rng.sample(home, 10 - min(3, len(away)))
    chosen = (
        [(c, "help_and_protection") for c in rng.sample(pools["help_and_protection"], 6)]
        + [(c, "looked_after") for c in looked_after]
        + [(c, "care_leaver") for c in rng.sample(pools["care_leaver"], 2)]
    )
    rows = [
        {"child_id": child_id, "cohort": cohort, "out_of_borough": "yes" if is_away else "no"}
        for (child_id, is_away), cohort in chosen
    ]
    sample = audit_services.sample_create(
        kind=Sample.Kind.INSPECTION_AUDIT,
        title=SAMPLE_TITLE,
        rows=rows,
        inspection=inspection,
        due_on=inspection.onsite_start_on if inspection else today + dt.timedelta(days=28),
    )
    if auditor is None:
        return 0
    audits = audit_services.sample_audits_assign(sample=sample, auditor=auditor)
    grades = ["good", "good", "requires_improvement", "requires_improvement", "inadequate", "outstanding"]
    # Stages: 3 shared, 3 moderated, 4 submitted, 5 in progress, 3 still assigned.
    for index, audit in enumerate(audits):
        if index >= 15:
            continue
        domains = question_set(audit.question_set_version, audit.cohort)
        answers = {d.code: (rng.choice(grades), "Seen on file during the demo audit.") for d in domains}
        if index >= 10:
            answers = dict(list(answers.items())[: rng.randint(2, len(answers) - 1)])
        overall = rng.choice(grades) if index < 10 else ""
        audit = audit_services.audit_save_answers(
            audit=audit,
            answers=answers,
            overall_grade=overall,
            strengths="The child's voice is clear in recent visits." if index < 10 else "",
            areas_for_development="Supervision records do not show follow-up of actions."
            if index < 10
            else "",
        )
        if index < 10:
            audit = audit_services.audit_submit(audit=audit)
        if index < 6 and moderator is not None:
            agree = rng.random() < 0.75
            audit = audit_services.audit_moderate(
                audit=audit,
                moderator=moderator,
                grade=overall if agree else rng.choice(grades),
                agreement=agree,
            )
            if index < 3:
                audit_services.audit_share(audit=audit)
    _seed_actions(audits[:10], rng=rng, today=today, auditor=auditor)
    return len(audits)


# What the demo's finished audits asked for each child; the first two are already done.
ACTIONS_FOR_CHILDREN = (
    ("Visit the child at home and see them alone", "Team manager"),
    ("Book the overdue review health assessment", "Social worker"),
    ("Update the chronology and case summary", "Social worker"),
    ("Hold a management review of the plan", "Team manager"),
    ("Ask the virtual school to review the PEP", "Designated teacher"),
    ("Record the child's wishes before the next review", "Independent reviewing officer"),
)


def _seed_actions(audits: list, *, rng: random.Random, today: dt.date, auditor) -> None:
    """One action for the child on each finished audit, due in the next four working weeks."""
    from casework.audit_actions import audit_action_complete

    for index, audit in enumerate(audits):
        text, owner = ACTIONS_FOR_CHILDREN[index % len(ACTIONS_FOR_CHILDREN)]
        action = audit_services.audit_action_add(
            audit=audit, text=text, owner=owner, due_on=add_working_days(today, rng.randint(3, 20))
        )
        if index < 2:
            audit_action_complete(
                # The audits started now (whatever day the demo is dated), so done today, really.
                action=action,
                user=auditor,
                done_on=timezone.localdate(),
                note="Done, and recorded on the child's file.",
            )
