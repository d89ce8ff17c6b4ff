"""The Annex A workbook: lists 1–11 from the case data and a Validation sheet.

Look-backs (domain.md §3.9, T25): six months for lists 1–8, the day itself for list 9 (care
leavers), twelve months for lists 10 and 11. List 10 is read from the children's adoption events
(one row per child, the latest of each step on or before the day), list 11 from the adopter
households (a pseudonymous reference, never a name). Cells that a spreadsheet would run as a
formula are written as text, prefixed with ' on the visible sheets (ASVS 1.2.10).

`import_cases` reads the workbook back list by list (casework/imports/annex_lists.py) and, since
every record already exists, changes nothing: the round trip. Nothing else is in the workbook — no
hidden sheet with the children's whole history: it goes to inspectors, and holds what Annex A asks
for and no more.

The Validation sheet (`annex_a_gaps.gaps`) names gaps to fix before the workbook goes out: an assessment
completed with no referral or start before it, a conference with no strategy discussion, a plan
with no conference on or before its start, a looked-after child with no placement or never
reviewed, a care leaver with no contact in 12 months, an event before the child's month of birth,
and a listed child with no month and year of birth. The check page (casework/annex_a_views.py)
shows the same problems and each list's row count through `annex_a_check`, which reads the data
once and leaves the row cells unwritten.

Reads are a handful of `values_list` queries; the workbook is written in openpyxl's write-only
mode, so a county-sized export keeps memory modest.

The common "Team" column is the name of the child's latest team allocation (`team_allocation`
event) on or before the day, so a team the child joined after the day is not shown; blank when
none is recorded. The common "Worker" column is the worker reference of the child's latest
allocation on or before the day (a pseudonymous reference such as SW042, never a name); blank when
none is recorded or the latest says unallocated. "Team date" beside Team (the date of that team
allocation), "Allocation date" beside Worker (only where the reference shown is exactly the one
held), list 8's placement start and end, and list 9's accommodation and EET dates are the dates
the per-list importer needs to read those columns back (it never guesses a date), so the visible
lists alone also import unchanged.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from casework.indicators import worker_reference
from casework.models import AdopterHousehold, Child, Cohort, Episode, Event, Placement
from inspections.spreadsheet_cells import inert

SIX_MONTHS = 183
TWELVE_MONTHS = 365
# Next to Team: the date of the team allocation the Team column shows, so the importer takes the
# team back as that allocation. Next to Worker on every child list: the date of the allocation the
# Worker column shows, likewise (the importer never guesses either date).
TEAM_DATE = "Team date"
ALLOCATION_DATE = "Allocation date"
COMMON = (
    "Child ID",
    "Gender",
    "Ethnicity",
    "Date of birth (month/year)",
    "Age at last birthday",
    "Disability",
    "UASC",
    "Team",
    TEAM_DATE,
    "Worker",
)
# List 10: the adoption journey's events, one column each (the latest on or before the day).
ADOPTION_COLUMNS = (
    (Event.Kind.ADOPTION_DECISION, "Adoption decision"),
    (Event.Kind.PLACEMENT_ORDER, "Placement order"),
    (Event.Kind.PLACED_FOR_ADOPTION, "Placed for adoption"),
    (Event.Kind.ADOPTION_ORDER, "Adoption order"),
    (Event.Kind.ADOPTION_DECISION_REVERSED, "Decision reversed"),
)
# List 11: one row per adopter household (a reference, never a name).
ADOPTER_COLUMNS = (
    ("reference", "Adopter reference"),
    ("household_type", "Household type"),
    ("children_approved_for", "Children approved for"),
    ("enquiry_on", "Enquiry date"),
    ("registration_on", "Registration of interest"),
    ("stage_one_on", "Stage 1 start"),
    ("stage_two_on", "Stage 2 start"),
    ("approved_on", "Approval date"),
    ("matched_on", "Matched date"),
    ("placed_on", "Placed date"),
    ("closed_on", "Closed date"),
    ("closed_reason", "Closure reason"),
)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


class _Data:
    """Everything the lists need, read once."""

    def __init__(self, as_of: dt.date) -> None:
        earliest = as_of - dt.timedelta(days=SIX_MONTHS + TWELVE_MONTHS + 60)
        self.children = {
            row[0]: row
            for row in Child.objects.values_list(
                "pk", "child_id", "gender", "ethnicity", "birth_year", "birth_month", "disability", "uasc"
            )
        }
        self.episodes = list(
            Episode.objects.filter(start_on__lte=as_of).values_list(
                "child_id", "cohort", "start_on", "end_on", "legal_status"
            )
        )
        self.placements: dict[int, list[tuple]] = defaultdict(list)
        for child_pk, kind, in_area, start, end in Placement.objects.filter(start_on__lte=as_of).values_list(
            "child_id", "placement_type", "in_area", "start_on", "end_on"
        ):
            self.placements[child_pk].append((start, end, kind, in_area))
        self.events: dict[str, dict[int, list[tuple[dt.date, str]]]] = defaultdict(lambda: defaultdict(list))
        for kind, child_pk, occurred, value in (
            Event.objects.filter(occurred_on__gte=earliest, occurred_on__lte=as_of)
            .order_by("occurred_on")
            .values_list("kind", "child_id", "occurred_on", "value")
        ):
            self.events[kind][child_pk].append((occurred, value))
        self.as_of = as_of

    @cached_property
    def allocations(self) -> dict[int, tuple[dt.date, str]]:
        """The latest allocation on or before the day, however long ago (later rows win). Read
        only when a row's cells are written, so the check page never reads it."""
        return {
            child_pk: (day, value)
            for child_pk, day, value in Event.objects.filter(
                kind=Event.Kind.ALLOCATION, occurred_on__lte=self.as_of
            )
            .order_by("child_id", "occurred_on", "pk")
            .values_list("child_id", "occurred_on", "value")
        }

    def allocation(self, child_pk: int) -> tuple[str, dt.date | str]:
        """The Worker and Allocation date cells: the date only where the reference shown is exactly
        what we hold (so importing it back finds the same allocation); both blank when unallocated."""
        day, value = self.allocations.get(child_pk, ("", ""))
        shown = worker_reference(value)
        return shown, (day if shown and shown == value else "")

    @cached_property
    def teams(self) -> dict[int, tuple[dt.date, str]]:
        """The latest team allocation on or before the day, however long ago (later rows win): a
        team the child joined after the day is not shown. Read only when cells are written."""
        return {
            child_pk: (day, value)
            for child_pk, day, value in Event.objects.filter(
                kind=Event.Kind.TEAM_ALLOCATION, occurred_on__lte=self.as_of
            )
            .order_by("child_id", "occurred_on", "pk")
            .values_list("child_id", "occurred_on", "value")
        }

    def team(self, child_pk: int) -> tuple[str, dt.date | str]:
        """The Team and Team date cells: the team's name as held and the date it was allocated;
        both blank when no team is recorded (or the latest says none)."""
        day, value = self.teams.get(child_pk, ("", ""))
        return (value, day) if value else ("", "")

    def dates(self, kind: str, child_pk: int) -> list[dt.date]:
        return [day for day, _ in self.events[kind].get(child_pk, [])]


def _age(child: tuple, as_of: dt.date) -> int | str:
    _, _, _, _, year, month, _, _ = child
    if not year:
        return ""
    if (year, month or 1) > (as_of.year, as_of.month):
        return -1
    return as_of.year - year - (1 if month and as_of.month < month else 0)


def _common(child: tuple, as_of: dt.date) -> list:
    _, child_id, gender, ethnicity, year, month, disability, uasc = child
    born = f"{month:02d}/{year}" if year and month else (str(year) if year else "")
    return [
        inert(child_id),
        Child.Gender(gender).label if gender else "",
        inert(ethnicity),
        born,
        _age(child, as_of),
        _yes_no(disability),
        _yes_no(uasc),
    ]


def _latest_before(dates: list[dt.date], day: dt.date) -> dt.date | None:
    index = bisect.bisect_right(dates, day)
    return dates[index - 1] if index else None


def _first_from(dates: list[dt.date], day: dt.date) -> dt.date | None:
    index = bisect.bisect_left(dates, day)
    return dates[index] if index < len(dates) else None


def _open_in(episode: tuple, start: dt.date, end: dt.date) -> bool:
    _, _, began, ended, _ = episode
    return began <= end and (ended is None or ended > start)


def _adoption_rows(as_of: dt.date, row) -> list[list]:
    """List 10: children adopted, with a decision and not yet adopted, or whose decision was
    reversed. In scope when any step falls in the 12 months to the day, or the child's latest
    decision has been followed by neither an adoption order nor a reversal (still waiting)."""
    start = as_of - dt.timedelta(days=TWELVE_MONTHS)
    steps: dict[int, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    for child_pk, kind, occurred in (
        Event.objects.filter(kind__in=[kind for kind, _ in ADOPTION_COLUMNS], occurred_on__lte=as_of)
        .order_by("child_id", "occurred_on")
        .values_list("child_id", "kind", "occurred_on")
    ):
        steps[child_pk][kind].append(occurred)
    rows = []
    for child_pk in sorted(steps, key=lambda pk: (min(days[0] for days in steps[pk].values()), pk)):
        kinds = steps[child_pk]
        latest = {kind: days[-1] for kind, days in kinds.items()}
        decision = latest.get(Event.Kind.ADOPTION_DECISION)
        ended = max(
            (
                latest[k]
                for k in (Event.Kind.ADOPTION_ORDER, Event.Kind.ADOPTION_DECISION_REVERSED)
                if k in latest
            ),
            default=None,
        )
        waiting = decision is not None and (ended is None or ended < decision)
        recent = any(start < day <= as_of for days in kinds.values() for day in days)
        if waiting or recent:
            rows.append(row(child_pk, *(latest.get(kind, "") for kind, _ in ADOPTION_COLUMNS)))
    return rows


def _adopter_rows(as_of: dt.date) -> list[list]:
    """List 11: households with any step in the 12 months to the day, or open on the day. Dates
    after the day are left blank (the list is as it stood on the day)."""
    start = as_of - dt.timedelta(days=TWELVE_MONTHS)
    dates = AdopterHousehold.date_fields()
    labels = dict(AdopterHousehold.HouseholdType.choices)
    rows = []
    for household in AdopterHousehold.objects.order_by("reference").values(
        *(name for name, _ in ADOPTER_COLUMNS)
    ):
        known = [household[name] for name in dates if household[name] and household[name] <= as_of]
        if not known:
            continue
        closed = household["closed_on"]
        is_open = closed is None or closed > as_of
        if not (is_open or any(start < day for day in known)):
            continue
        values = []
        for name, _ in ADOPTER_COLUMNS:
            value = household[name]
            if name in dates:
                value = value if value and value <= as_of else ""
            elif name == "household_type":
                value = labels.get(value, "")
            elif name == "closed_reason":
                value = inert(value) if closed and closed <= as_of else ""
            values.append(inert(value) if value is not None else "")
        rows.append(values)
    return rows


def build_lists(
    as_of: dt.date, *, cells: bool = True
) -> tuple[dict[str, tuple[list[str], list[list]]], list[list], set[int]]:
    """Return {sheet: (header, rows)}, validation rows, and the pks of every child listed.

    With `cells=False` each child row is left empty: the same rows in the same number, for
    counting them without writing the common columns (the check page).
    """
    data = _Data(as_of)
    six = as_of - dt.timedelta(days=SIX_MONTHS)
    listed: set[int] = set()
    sheets: dict[str, tuple[list[str], list[list]]] = {}

    def row(child_pk: int, *extra) -> list:
        listed.add(child_pk)
        if not cells:
            return []
        team, joined = data.team(child_pk)
        worker, allocated = data.allocation(child_pk)
        return [
            *_common(data.children[child_pk], as_of),
            inert(team),
            joined,
            inert(worker),
            allocated,
            *extra,
        ]

    def in_six(day: dt.date) -> bool:
        return six < day <= as_of

    # 1 Contacts
    rows = [
        row(pk, day, inert(value))
        for pk, items in data.events[Event.Kind.CONTACT].items()
        for day, value in items
        if in_six(day)
    ]
    sheets["List 1 Contacts"] = ([*COMMON, ALLOCATION_DATE, "Contact date", "Contact outcome"], rows)
    # 2 Early help, 6 Children in need, 7 Child protection, 8 Children in care
    for title, cohort in (
        ("List 2 Early help", Cohort.EARLY_HELP),
        ("List 6 Children in need", Cohort.CHILD_IN_NEED),
        ("List 7 Child protection", Cohort.CHILD_PROTECTION),
    ):
        rows = []
        for episode in data.episodes:
            if episode[1] == cohort and _open_in(episode, six, as_of):
                pk = episode[0]
                extra = [episode[2], episode[3] or ""]
                if cohort == Cohort.CHILD_PROTECTION:
                    extra.append(_latest_before(data.dates(Event.Kind.VISIT, pk), as_of) or "")
                rows.append(row(pk, *extra))
        header = [*COMMON, ALLOCATION_DATE, "Start date", "End date"]
        if cohort == Cohort.CHILD_PROTECTION:
            header.append("Latest visit")
        sheets[title] = (header, rows)
    # 3 Referrals
    rows = []
    for pk, items in data.events[Event.Kind.REFERRAL].items():
        dates = [day for day, _ in items]
        for day, value in items:
            if in_six(day):
                before = sum(1 for d in dates if day - dt.timedelta(days=TWELVE_MONTHS) <= d < day)
                rows.append(row(pk, day, "Yes" if "nfa" in value.lower() else "No", before))
    sheets["List 3 Referrals"] = (
        [
            *COMMON,
            ALLOCATION_DATE,
            "Referral date",
            "No further action",
            "Referrals in the previous 12 months",
        ],
        rows,
    )
    # 4 Assessments
    rows = []
    for pk, items in data.events[Event.Kind.ASSESSMENT_START].items():
        completions = data.dates(Event.Kind.ASSESSMENT_COMPLETED, pk)
        for day, _ in items:
            done = _first_from(completions, day)
            if in_six(day) or (done and in_six(done)):
                rows.append(row(pk, day, done or ""))
    sheets["List 4 Assessments"] = (
        [*COMMON, ALLOCATION_DATE, "Assessment start", "Assessment completed"],
        rows,
    )
    # 5 Section 47 enquiries and ICPCs
    rows = []
    for pk, items in data.events[Event.Kind.SECTION_47].items():
        s47s = [day for day, _ in items]
        for day in s47s:
            if in_six(day):
                strategy = _latest_before(data.dates(Event.Kind.STRATEGY_DISCUSSION, pk), day)
                icpc = _first_from(data.dates(Event.Kind.ICPC, pk), day)
                before = sum(1 for d in s47s if day - dt.timedelta(days=TWELVE_MONTHS) <= d < day)
                rows.append(row(pk, strategy or "", day, icpc or "", before))
    header = [
        *COMMON,
        ALLOCATION_DATE,
        "Strategy discussion",
        "Section 47 start",
        "ICPC date",
        "Section 47s in the previous 12 months",
    ]
    sheets["List 5 Section 47 and ICPC"] = (header, rows)
    # 8 Children in care
    rows = []
    for episode in data.episodes:
        if episode[1] == Cohort.LOOKED_AFTER and _open_in(episode, six, as_of):
            pk = episode[0]
            current = [
                p for p in data.placements.get(pk, []) if p[0] <= as_of and (p[1] is None or p[1] >= six)
            ]
            latest = max(current, default=None)
            rows.append(
                row(
                    pk,
                    episode[2],
                    episode[3] or "",
                    inert(episode[4]),
                    Placement.Type(latest[2]).label if latest else "",
                    _yes_no(latest[3]) if latest else "",
                    latest[0] if latest else "",
                    latest[1] if latest and latest[1] and latest[1] <= as_of else "",
                    _latest_before(data.dates(Event.Kind.CLA_REVIEW, pk), as_of) or "",
                    _first_from(data.dates(Event.Kind.IHA, pk), episode[2]) or "",
                )
            )
    header = [
        *COMMON,
        ALLOCATION_DATE,
        "Start date",
        "End date",
        "Legal status",
        "Placement",
        "Placement in area",
        "Placement start",
        "Placement end",
        "Latest review",
        "Initial health assessment",
    ]
    sheets["List 8 Children in care"] = (header, rows)
    # 9 Care leavers, on the day
    rows = []
    for episode in data.episodes:
        if (
            episode[1] == Cohort.CARE_LEAVER
            and episode[2] <= as_of
            and (episode[3] is None or episode[3] > as_of)
        ):
            pk = episode[0]

            def latest(kind: str, pk: int = pk) -> tuple:
                items = data.events[kind].get(pk, [])
                return items[-1] if items else ("", "")

            contact, accommodation, eet = (
                latest(Event.Kind.CARE_LEAVER_CONTACT),
                latest(Event.Kind.CARE_LEAVER_ACCOMMODATION),
                latest(Event.Kind.CARE_LEAVER_EET),
            )
            rows.append(
                row(
                    pk,
                    episode[2],
                    contact[0],
                    inert(contact[1]),
                    inert(accommodation[1]),
                    accommodation[0],
                    inert(eet[1]),
                    eet[0],
                )
            )
    header = [
        *COMMON,
        ALLOCATION_DATE,
        "Care leaver since",
        "Latest contact",
        "In touch",
        "Accommodation",
        "Accommodation date",
        "Education, employment or training",
        "EET date",
    ]
    sheets["List 9 Care leavers"] = (header, rows)
    sheets["List 10 Adoption"] = (
        [*COMMON, ALLOCATION_DATE, *(label for _, label in ADOPTION_COLUMNS)],
        _adoption_rows(as_of, row),
    )
    sheets["List 11 Adopters"] = ([label for _, label in ADOPTER_COLUMNS], _adopter_rows(as_of))
    from casework.annex_a_gaps import gaps  # it builds on this module's data and helpers

    return sheets, gaps(data, as_of, listed), listed


@dataclass(frozen=True)
class ListCount:
    """One sheet of the workbook on the check page: its title, look-back and number of rows."""

    title: str
    look_back: str
    rows: int


@dataclass(frozen=True)
class AnnexACheck:
    """What the check page shows: each list's rows as the workbook would hold them, and its gaps."""

    as_of: dt.date
    lists: list[ListCount]
    problems: list[list]  # [child ID, list, problem], as on the Validation sheet


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _look_back(title: str, as_of: dt.date) -> str:
    """The dates a list covers, as `build_lists` counts them (the day itself for list 9)."""
    number = int(title.split()[1])
    if number == 9:
        return f"On {_day(as_of)}"
    days = TWELVE_MONTHS if number >= 10 else SIX_MONTHS
    return f"{_day(as_of - dt.timedelta(days=days - 1))} to {_day(as_of)}"


def annex_a_check(*, as_of: dt.date) -> AnnexACheck:
    """Count each list and gather the Validation sheet's problems, reading the case data once."""
    sheets, problems, _ = build_lists(as_of, cells=False)
    lists = [
        ListCount(title=title, look_back=_look_back(title, as_of), rows=len(rows))
        for title, (_, rows) in sorted(sheets.items(), key=lambda item: int(item[0].split()[1]))
    ]
    return AnnexACheck(as_of=as_of, lists=lists, problems=problems)


def annex_a_write(*, as_of: dt.date, out: str | BinaryIO) -> dict[str, int]:
    """Write the workbook to a path or binary file; return the row count of each sheet."""
    sheets, problems, listed = build_lists(as_of)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    counts = {}

    def header_cells(sheet, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(header_cells(sheet, header))
        for values in rows:
            sheet.append(values)
        counts[title] = len(rows)
    validation = workbook.create_sheet("Validation")
    validation.append(header_cells(validation, ["Child ID", "List", "Problem"]))
    if not problems:
        validation.append(["", "", "No gaps found."])
    for values in problems:
        validation.append([inert(v) for v in values])
    counts["Validation"] = len(problems)
    workbook.save(out)
    return counts
