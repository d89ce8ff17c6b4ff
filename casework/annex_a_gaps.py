"""The Annex A Validation sheet: gaps and impossible sequences to fix before the workbook goes out.

Read from the same data the lists are built from (`annex_a._Data`), so the sheet and the
"Check the return" page name the same problems as the lists show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from casework.annex_a import ADOPTION_COLUMNS, SIX_MONTHS, TWELVE_MONTHS, _Data, _latest_before, _open_in
from casework.models import Cohort, Event
from inspections.working_days import add_working_days

# The list a dated event belongs to, for naming a problem with it on the Validation sheet.
EVENT_LISTS = {
    Event.Kind.CONTACT: "List 1",
    Event.Kind.REFERRAL: "List 3",
    Event.Kind.ASSESSMENT_START: "List 4",
    Event.Kind.ASSESSMENT_COMPLETED: "List 4",
    Event.Kind.STRATEGY_DISCUSSION: "List 5",
    Event.Kind.SECTION_47: "List 5",
    Event.Kind.ICPC: "List 5",
    Event.Kind.CP_REVIEW: "List 7",
    Event.Kind.CLA_REVIEW: "List 8",
    Event.Kind.IHA: "List 8",
    Event.Kind.CARE_LEAVER_CONTACT: "List 9",
    Event.Kind.CARE_LEAVER_ACCOMMODATION: "List 9",
    Event.Kind.CARE_LEAVER_EET: "List 9",
    **{kind: "List 10" for kind, _ in ADOPTION_COLUMNS},
}
ALL_LISTS = "All lists"
# Events that need a child who has been born. Work before birth is ordinary practice (contacts,
# referrals, assessments, strategy discussions, section 47 enquiries, conferences and plans for
# an unborn baby, allocation, visits), so only these are a problem when dated before the month of
# birth: an unborn baby is not looked after, placed, missing or a care leaver.
NEEDS_A_BORN_CHILD = frozenset(
    {
        Event.Kind.CLA_REVIEW,
        Event.Kind.IHA,
        Event.Kind.RHA,
        Event.Kind.PEP,
        Event.Kind.MISSING_EPISODE,
        Event.Kind.RETURN_INTERVIEW,
        Event.Kind.CARE_LEAVER_CONTACT,
        Event.Kind.CARE_LEAVER_ACCOMMODATION,
        Event.Kind.CARE_LEAVER_EET,
        Event.Kind.PRIVATE_FOSTERING_NOTIFICATION,
        Event.Kind.PRIVATE_FOSTERING_VISIT,
        Event.Kind.PLACEMENT_ORDER,
        Event.Kind.PLACED_FOR_ADOPTION,
        Event.Kind.ADOPTION_ORDER,
    }
)
# The first looked-after review is due within 20 working days of coming into care (domain.md §6):
# a child in care for less than that has no review missing yet.
FIRST_REVIEW_WORKING_DAYS = 20


def _dates_ever(kind: str, as_of: dt.date) -> dict[int, list[dt.date]]:
    """Every date of one kind of event on or before the day, by child, oldest first (one query)."""
    by_child: dict[int, list[dt.date]] = defaultdict(list)
    for child_pk, day in (
        Event.objects.filter(kind=kind, occurred_on__lte=as_of)
        .order_by("child_id", "occurred_on")
        .values_list("child_id", "occurred_on")
    ):
        by_child[child_pk].append(day)
    return by_child


def gaps(data: _Data, as_of: dt.date, listed: set[int]) -> list[list]:
    """Gaps and impossible sequences: [child ID, list, problem] rows, by child.

    Reads only what `_Data` holds plus two queries (conferences and looked-after reviews however
    long ago), so the check costs the same for ten children or ten thousand. Events dated after
    the day are never read, so they are never a problem. Adds the children it names to `listed`
    where they are not on a list already, for the missing-birth check at the end.
    """
    six = as_of - dt.timedelta(days=SIX_MONTHS)
    twelve = as_of - dt.timedelta(days=TWELVE_MONTHS)
    problems: list[list] = []

    def problem(pk: int, where: str, message: str) -> None:
        problems.append([data.children[pk][1], where, message])

    for pk, items in data.events[Event.Kind.ASSESSMENT_COMPLETED].items():
        for day, _ in items:
            if not six < day <= as_of:
                continue
            anchors = data.dates(Event.Kind.REFERRAL, pk) + data.dates(Event.Kind.ASSESSMENT_START, pk)
            if not any(a <= day for a in anchors):
                later = [a for a in anchors if a > day]
                listed.add(pk)
                if later:
                    problem(
                        pk,
                        "List 4",
                        f"Assessment completed on {day:%d/%m/%Y} before the referral or start "
                        f"on {min(later):%d/%m/%Y}",
                    )
                else:
                    problem(
                        pk, "List 4", f"Assessment completed on {day:%d/%m/%Y} has no referral or start date"
                    )
    for pk, items in data.events[Event.Kind.ICPC].items():
        for day, _ in items:
            if (
                six < day <= as_of
                and _latest_before(data.dates(Event.Kind.STRATEGY_DISCUSSION, pk), day) is None
            ):
                listed.add(pk)
                problem(
                    pk, "List 5", f"Initial conference on {day:%d/%m/%Y} has no strategy discussion before it"
                )
    conferences = _dates_ever(Event.Kind.ICPC, as_of)
    reviewed = set(
        Event.objects.filter(kind=Event.Kind.CLA_REVIEW, occurred_on__lte=as_of)
        .order_by()  # the model's ordering would join the child and defeat DISTINCT
        .values_list("child_id", flat=True)
        .distinct()
    )
    in_touch = {
        pk
        for pk, items in data.events[Event.Kind.CARE_LEAVER_CONTACT].items()
        if any(twelve < day <= as_of for day, _ in items)
    }
    out_of_touch: set[int] = set()
    for episode in data.episodes:
        pk, cohort, start, end = episode[0], episode[1], episode[2], episode[3]
        if cohort == Cohort.CHILD_PROTECTION and _open_in(episode, six, as_of):
            if _latest_before(conferences.get(pk, []), start) is None:
                problem(
                    pk,
                    "List 7",
                    f"Child protection plan from {start:%d/%m/%Y} has no initial conference on or before it",
                )
        elif cohort == Cohort.LOOKED_AFTER and _open_in(episode, six, as_of):
            if not data.placements.get(pk):
                problem(pk, "List 8", f"Looked after from {start:%d/%m/%Y} but no placement is recorded")
            first_due = add_working_days(start, FIRST_REVIEW_WORKING_DAYS)
            if pk not in reviewed and first_due < as_of:
                problem(
                    pk,
                    "List 8",
                    f"Looked after from {start:%d/%m/%Y} but no looked-after review is recorded; the first "
                    f"was due by {first_due:%d/%m/%Y} (held late, or missing from the records)",
                )
        elif (
            cohort == Cohort.CARE_LEAVER
            and start <= twelve  # a care leaver for the whole 12 months: newer ones are not due yet
            and (end is None or end > as_of)
            and pk not in in_touch
            and pk not in out_of_touch
        ):
            out_of_touch.add(pk)
            problem(
                pk,
                "List 9",
                f"Care leaver since {start:%d/%m/%Y} has no contact recorded in the 12 months to "
                f"{as_of:%d/%m/%Y}",
            )
    for kind, by_child in data.events.items():
        if kind not in NEEDS_A_BORN_CHILD:
            continue
        for pk, items in by_child.items():
            _, _, _, _, year, month, _, _ = data.children[pk]
            if not year:
                continue
            born = f"{month:02d}/{year}" if month else str(year)
            for day, _ in items:
                if (day.year, day.month) < (year, month or 1):
                    problem(
                        pk,
                        EVENT_LISTS.get(kind, ALL_LISTS),
                        f"{Event.Kind(kind).label} on {day:%d/%m/%Y} is before the child's month of "
                        f"birth ({born})",
                    )
    for pk in sorted(listed):
        child = data.children[pk]
        if not child[4] or not child[5]:
            problems.append([child[1], ALL_LISTS, "Month and year of birth are missing"])
    # By child and list; within those, in the order found (a child's events oldest first), since
    # dd/mm/yyyy dates inside the messages do not sort as text.
    return sorted(problems, key=lambda p: (p[0], p[1]))
