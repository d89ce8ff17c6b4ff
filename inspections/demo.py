"""Demo data for the inspections layer: the fictional council's past inspections and a mock.

Modelled on real patterns (domain.md §1, §8.1) with our own wording. Deterministic for a given
`rng` and safe to run again: an inspection whose title exists is left as it is. The past
inspections' milestones are marked done (most on time, a couple late), so their tables read as
history rather than "Not yet".
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from inspections import services, working_days
from inspections.models import DataRequest, Framework, Inspection, Meeting

SIF_TITLE = "Single inspection of children's services (SIF), March 2014"
ILACS_TITLE = "ILACS standard inspection, February 2019"
MOCK_TITLE = "Mock ILACS standard inspection (April 2026 framework)"

# Milestones met on a date the inspection itself records: done on that date.
DONE_ON_RECORDED_DATE = {
    "onsite_start_expected": "onsite_start_on",
    "draft_report": "draft_report_received_on",
    "factual_accuracy": "factual_accuracy_returned_on",
    "pre_publication_report": "final_report_received_on",
    "publication": "published_on",
}
# The council's own deadlines that slipped, by (inspection title, milestone code): working days late.
DONE_LATE = {
    (SIF_TITLE, "action_plan"): 4,
    (ILACS_TITLE, "la_publishes_report"): 2,
}
# Other past deadlines were met up to this many working days early.
DONE_EARLY_AT_MOST = 8

LEAD_INSPECTORS = ("Hilary Marsh HMI", "Tom Adeyemi HMI", "Ruth Kowalski HMI", "Gareth Lloyd HMI")
MOCK_LEADS = ("Peer reviewer, Eastfield Council", "Independent reviewer (former HMI)")

RI = "requires_improvement"

SIF_GRADES = {
    "overall": RI,
    "help_and_protection": RI,
    "children_in_care": RI,
    "adoption": "good",
    "care_leavers": RI,
    "leaders": RI,
}
SIF_RECOMMENDATIONS = (
    ("help_and_protection", "Make sure every child in need has an up-to-date assessment and a clear plan."),
    ("children_in_care", "Reduce delay for children waiting for a permanent home."),
    ("care_leavers", "Keep in touch with all care leavers and help more of them into education or work."),
    ("leaders", "Use audit findings to change practice, and check that the changes last."),
)

ILACS_GRADES = {"overall": RI, "leaders": RI, "help_and_protection": RI, "children_in_care": RI}
# The six recommendations, after the seed council's 2019 letter, in our own words.
ILACS_RECOMMENDATIONS = (
    (
        "help_and_protection",
        "Improve the quality and oversight of early help so that families get the "
        "right support soon enough, and check its impact.",
    ),
    (
        "leaders",
        "Strengthen management oversight and supervision so that drift is spotted and children's "
        "plans move on within their timescales.",
    ),
    (
        "children_in_care",
        "Make work under the public law outline timely and effective, with pre-proceedings "
        "reviewed regularly.",
    ),
    (
        "children_in_care",
        "Improve plans for children placed with their parents under a care order, and "
        "review them often enough.",
    ),
    (
        "children_in_care",
        "Work with health partners on strategy and on health services for children in care "
        "and care leavers, starting with timely initial health assessments.",
    ),
    ("help_and_protection", "Improve the help given to children living with domestic abuse or neglect."),
)


def _wd(start: dt.date, n: int) -> dt.date:
    return working_days.add_working_days(start, n)


def _create(*, title: str, grades: dict[str, str], recommendations=(), **fields) -> Inspection | None:
    if Inspection.objects.filter(title=title).exists():
        return None
    inspection = services.inspection_create(title=title, **fields)
    if grades:
        services.judgements_record(inspection=inspection, grades=grades)
    for order, (area_code, text) in enumerate(recommendations, start=1):
        services.recommendation_create(inspection=inspection, order=order, text=text, area_code=area_code)
    return inspection


@transaction.atomic
def seed(*, rng: random.Random, today: dt.date | None = None) -> list[Inspection]:
    """Create the demo inspections that are missing; return those created."""
    today = today or timezone.localdate()
    # Draw every random choice up front, so reruns and partial runs stay deterministic.
    sif_lead, ilacs_lead = rng.sample(LEAD_INSPECTORS, 2)
    mock_lead = rng.choice(MOCK_LEADS)
    done_seed = rng.getrandbits(32)
    codes = ("sif-2013", "ilacs-2018", "ilacs-2026")
    frameworks = {f.code: f for f in Framework.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in frameworks]
    if missing:
        raise RuntimeError(f"Frameworks not loaded: {', '.join(missing)}. Run: manage.py load_frameworks")

    # SIF: the printed range starts on the notification day (Tuesday); fieldwork ends 3 weeks later.
    sif_end = dt.date(2014, 3, 26)
    sif = _create(
        title=SIF_TITLE,
        framework=frameworks["sif-2013"],
        kind=Inspection.Kind.ACTUAL,
        lead_inspector=sif_lead,
        notified_on=dt.date(2014, 3, 4),
        onsite_start_on=dt.date(2014, 3, 5),
        onsite_end_on=sif_end,
        draft_report_received_on=_wd(sif_end, 15),
        factual_accuracy_returned_on=_wd(sif_end, 20),
        final_report_received_on=_wd(sif_end, 25),
        published_on=_wd(sif_end, 27),
        grades=SIF_GRADES,
        recommendations=SIF_RECOMMENDATIONS,
    )
    ilacs = _create(
        title=ILACS_TITLE,
        framework=frameworks["ilacs-2018"],
        kind=Inspection.Kind.ACTUAL,
        lead_inspector=ilacs_lead,
        notified_on=dt.date(2019, 2, 11),
        onsite_start_on=dt.date(2019, 2, 18),
        onsite_end_on=dt.date(2019, 3, 1),
        draft_report_received_on=dt.date(2019, 3, 15),
        factual_accuracy_returned_on=dt.date(2019, 3, 22),
        final_report_received_on=dt.date(2019, 3, 27),
        published_on=dt.date(2019, 4, 1),
        grades=ILACS_GRADES,
        recommendations=ILACS_RECOMMENDATIONS,
    )
    # A two-week mock on site from the first working Monday at least four weeks away, "notified"
    # 5 working days before, as Ofsted's call comes the working week ahead (over Christmas, earlier):
    # the framework's "inspectors arrive" milestone then falls on the first on-site day.
    soon = today + dt.timedelta(days=28)
    mock_start = soon + dt.timedelta(days=(7 - soon.weekday()) % 7)
    while not working_days.is_working_day(mock_start):
        mock_start += dt.timedelta(days=7)
    mock = _create(
        title=MOCK_TITLE,
        framework=frameworks["ilacs-2026"],
        kind=Inspection.Kind.MOCK,
        lead_inspector=mock_lead,
        notified_on=working_days.add_working_days(mock_start, -5),
        onsite_start_on=mock_start,
        onsite_end_on=mock_start + dt.timedelta(days=11),
        grades={},
    )
    if mock is not None:
        _plan_mock_days(mock)
    for inspection in Inspection.objects.filter(title__in=(SIF_TITLE, ILACS_TITLE)).order_by("title"):
        # Seeded so the demo is the same every time; nothing here is a secret.
        done_rng = random.Random(f"{done_seed}:{inspection.title}")  # noqa: S311  # nosec B311
        _mark_past_milestones_done(inspection, rng=done_rng, today=today)
    return [i for i in (sif, ilacs, mock) if i is not None]


# What the council already knows of the mock's first days, so the control room (and its preview
# before the mock starts) shows a real plan: (working day on site, "HH:MM", kind, title, who).
MOCK_MEETINGS = (
    (
        1,
        "09:00",
        Meeting.Kind.MEETING,
        "Initial meeting with the DCS and senior leaders",
        "DCS, heads of service",
    ),
    (1, "11:00", Meeting.Kind.OBSERVATION, "Front door: multi-agency screening meeting", "MASH team"),
    (1, "14:00", Meeting.Kind.MEETING, "Case tracking: help and protection (cases 1 to 6)", "Team managers"),
    (2, "09:30", Meeting.Kind.INTERVIEW, "Principal social worker", "Principal social worker"),
    (
        2,
        "13:00",
        Meeting.Kind.MEETING,
        "Case tracking: children in care (cases 7 to 16)",
        "Team managers, IROs",
    ),
    (3, "10:00", Meeting.Kind.INTERVIEW, "Virtual school head", "Virtual school head"),
    (3, "15:00", Meeting.Kind.MEETING, "Case tracking: care leavers (cases 17 and 18)", "Personal advisers"),
)
# Data requests the reviewers made at the notification call, due on their first days on site:
# (what, day requested, day due, "HH:MM" due, owner's role).
MOCK_REQUESTS = (
    ("Annex A lists 1 to 11 for the last six months", 0, 1, "12:00", "Performance manager"),
    ("Staffing: vacancy, agency and turnover rates by team", 0, 1, "17:00", "Workforce lead"),
    ("Minutes of the last three corporate parenting panels", 0, 2, "12:00", "Democratic services"),
)


def _plan_mock_days(mock: Inspection) -> None:
    """Meetings and data requests for the mock's first three days on site (through the models, so
    each has its history row like anything typed on the on-site log)."""

    def at(day: int, hhmm: str) -> dt.datetime:
        on = (
            mock.onsite_start_on if day <= 1 else working_days.add_working_days(mock.onsite_start_on, day - 1)
        )
        if day == 0:
            on = mock.notified_on
        hour, minute = (int(part) for part in hhmm.split(":"))
        return timezone.make_aware(dt.datetime.combine(on, dt.time(hour, minute)))

    for day, hhmm, kind, title, who in MOCK_MEETINGS:
        Meeting.objects.create(inspection=mock, starts_at=at(day, hhmm), kind=kind, title=title, who=who)
    for what, asked, due, hhmm, owner in MOCK_REQUESTS:
        DataRequest.objects.create(
            inspection=mock,
            what=what,
            owner_name=owner,
            requested_at=at(asked, "10:00"),
            due_at=at(due, hhmm),
        )


def _mark_past_milestones_done(inspection: Inspection, *, rng: random.Random, today: dt.date) -> None:
    """Mark the milestones whose date has passed as done: most on time or early, `DONE_LATE` late.

    Windows (the next inspection) are never "done". An inspection with any milestone already done
    is left alone, so running the demo again never overwrites what someone recorded.
    """
    milestones = services.milestones_compute(inspection=inspection)  # they are otherwise made on commit
    if any(m.done_on for m in milestones):
        return
    for milestone in sorted(milestones, key=lambda m: (m.effective_due_on, m.code)):
        due = milestone.effective_due_on
        if milestone.is_window or due >= today:
            continue
        recorded = DONE_ON_RECORDED_DATE.get(milestone.code)
        late = DONE_LATE.get((inspection.title, milestone.code))
        if recorded and getattr(inspection, recorded):
            done_on = getattr(inspection, recorded)
        elif late:
            done_on = _wd(due, late)
        else:
            done_on = _wd(due, -rng.randint(0, DONE_EARLY_AT_MOST))
            anchor = inspection.anchor_date(milestone.rule.anchor) if milestone.rule else None
            if anchor and done_on < anchor:
                done_on = anchor  # never before the event it counts from
        services.milestone_mark_done(milestone=milestone, done_on=min(done_on, today), today=today)
