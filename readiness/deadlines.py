"""Every open deadline in one list: inspection milestones, data requests, plan actions, case audits.

One query per source whatever the data size (plus one for the council's calendar and one to find
child IDs written into free text). Case audits are child-level, so they are counted per sample and
due date and never listed one by one: the page can then be shown to the DCS as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from inspections import working_days

MILESTONE = "milestone"
DATA_REQUEST = "data-request"
PLAN_ACTION = "plan-action"
CASE_AUDIT = "case-audit"

KINDS: dict[str, str] = {
    MILESTONE: "Inspection milestone",
    DATA_REQUEST: "Data request",
    PLAN_ACTION: "Improvement plan action",
    CASE_AUDIT: "Case audit",
}

OVERDUE = "overdue"
NEXT = "next"
LATER = "later"
GROUPS: dict[str, str] = {
    OVERDUE: "Overdue",
    NEXT: "Next 10 working days",
    LATER: "Later",
}
NEXT_WORKING_DAYS = 10
DEFAULT_HORIZON_DAYS = 90
LONG_HORIZON_MONTHS = 12

NO_SAMPLE = "Case audits not in a sample"
CHILD_ID_REMOVED = "[child ID removed]"

# Status tags: colour by urgency, in the GOV.UK tag palette.
STATUS_COLOURS = {OVERDUE: "red", "today": "orange", "soon": "yellow", "later": "grey"}


@dataclass(frozen=True)
class Deadline:
    """One row of the deadlines page. Never carries a child's identity."""

    due_on: dt.date
    kind: str
    what: str
    belongs_to: str
    owner: str
    url: str
    working_days: int  # from today to the due date; negative when overdue
    status: str  # a key of STATUS_COLOURS
    status_text: str
    group: str  # a key of GROUPS
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


@dataclass(frozen=True)
class _Raw:
    due_on: dt.date
    kind: str
    what: str
    belongs_to: str
    owner: str
    url: str
    note: str = ""


def horizon_end(*, today: dt.date, long: bool = False) -> dt.date:
    """The last day shown: 90 days ahead, or 12 calendar months ahead when asked."""
    if long:
        return working_days.add_months(today, LONG_HORIZON_MONTHS)
    return today + dt.timedelta(days=DEFAULT_HORIZON_DAYS)


def status_for(due_on: dt.date, *, today: dt.date, cal: working_days.Calendar) -> tuple[str, str, int]:
    """Return (status key, wording, working days from today) for a due date."""
    n = working_days.working_days_between(today, due_on, cal)
    if due_on < today:
        late = max(n * -1, 1)
        return OVERDUE, f"Overdue by {late} working day{'s' if late != 1 else ''}", n
    if due_on == today:
        return "today", "Due today", 0
    if n == 0:
        # Due on a weekend or holiday straight after today: today is the last working day before it.
        return "today", f"Due {due_on:%A} (not a working day)", 0
    wording = f"Due in {n} working day{'s' if n != 1 else ''}"
    return ("soon" if n <= NEXT_WORKING_DAYS else "later"), wording, n


def deadline_list(
    *,
    today: dt.date | None = None,
    until: dt.date | None = None,
    kinds: list[str] | tuple[str, ...] | None = None,
) -> list[Deadline]:
    """Return every open deadline due up to `until` (overdue ones however old), soonest first.

    Done milestones, sent or closed data requests, complete actions and submitted audits are left
    out. Observed milestones (what usually happens, not a deadline) are left out as well.
    """
    from inspections.selectors import working_calendar

    today = today or timezone.localdate()
    until = until or horizon_end(today=today)
    wanted = [k for k in (kinds or KINDS) if k in KINDS]
    cal = working_calendar()
    next_until = working_days.add_working_days(today, NEXT_WORKING_DAYS, cal)

    sources = {
        MILESTONE: _milestones,
        DATA_REQUEST: _data_requests,
        PLAN_ACTION: _plan_actions,
        CASE_AUDIT: _case_audits,
    }
    raw: list[_Raw] = []
    for kind in wanted:
        raw.extend(sources[kind](until=until))

    clean = _without_child_ids([text for r in raw for text in (r.what, r.belongs_to, r.note)])
    kind_order = list(KINDS)
    rows = []
    for r in raw:
        status, wording, n = status_for(r.due_on, today=today, cal=cal)
        group = OVERDUE if r.due_on < today else NEXT if r.due_on <= next_until else LATER
        rows.append(
            Deadline(
                due_on=r.due_on,
                kind=r.kind,
                what=clean(r.what),
                belongs_to=clean(r.belongs_to),
                owner=r.owner,
                url=r.url,
                working_days=n,
                status=status,
                status_text=wording,
                group=group,
                note=clean(r.note),
            )
        )
    rows.sort(key=lambda d: (d.due_on, kind_order.index(d.kind), d.belongs_to, d.what))
    return rows


def group_counts(rows: list[Deadline]) -> dict[str, int]:
    """How many rows fall in each group, in the page's order."""
    return {key: sum(1 for r in rows if r.group == key) for key in GROUPS}


# ---------------------------------------------------------------------------------------------
# Sources: one query each
# ---------------------------------------------------------------------------------------------


def _user_name(first: str | None, last: str | None, username: str | None) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or username or ""


def _milestones(*, until: dt.date) -> list[_Raw]:
    from inspections.models import Milestone

    # The last day that meets the milestone: a date changed by hand, else the window's end, else due.
    rows = (
        Milestone.objects.filter(done_on__isnull=True)
        .exclude(status=Milestone.Status.OBSERVED)
        .annotate(last_day=Coalesce("override_due_on", "window_end_on", "due_on"))
        .filter(last_day__lte=until)
        .values(
            "name",
            "due_on",
            "window_end_on",
            "override_due_on",
            "last_day",
            "inspection_id",
            "inspection__title",
        )
        .order_by("last_day", "pk")
    )
    found = []
    for m in rows:
        note = ""
        if m["override_due_on"]:
            note = f"Date changed by hand (worked out as {_fmt(m['due_on'])})"
        elif m["window_end_on"]:
            note = f"Window opens {_fmt(m['due_on'])}"
        found.append(
            _Raw(
                due_on=m["last_day"],
                kind=MILESTONE,
                what=m["name"],
                belongs_to=m["inspection__title"],
                owner="",
                url=reverse("inspections:inspection-detail", kwargs={"inspection_pk": m["inspection_id"]}),
                note=note,
            )
        )
    return found


def _data_requests(*, until: dt.date) -> list[_Raw]:
    from inspections.models import DataRequest

    # Due before midnight at the end of `until`, in the council's time zone.
    tz = timezone.get_current_timezone()
    before = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        DataRequest.objects.filter(status=DataRequest.Status.OPEN, due_at__isnull=False, due_at__lt=before)
        .values(
            "what",
            "due_at",
            "owner_name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "inspection_id",
            "inspection__title",
        )
        .order_by("due_at", "pk")
    )
    found = []
    for r in rows:
        owner = _user_name(r["owner__first_name"], r["owner__last_name"], r["owner__username"])
        due_at = timezone.localtime(r["due_at"])
        found.append(
            _Raw(
                due_on=due_at.date(),
                kind=DATA_REQUEST,
                what=_first_line(r["what"]),
                belongs_to=r["inspection__title"] or "",
                owner=owner or r["owner_name"],
                url=reverse("inspections:onsite-log", kwargs={"inspection_pk": r["inspection_id"]}),
                note=f"Due by {due_at:%H:%M}" if (due_at.hour, due_at.minute) != (0, 0) else "",
            )
        )
    return found


def _plan_actions(*, until: dt.date) -> list[_Raw]:
    from readiness.plans.models import Action

    rows = (
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .filter(due_on__lte=until)
        .values(
            "pk",
            "description",
            "due_on",
            "lead_officer",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "priority__order",
            "priority__plan__title",
        )
        .order_by("due_on", "pk")
    )
    found = []
    for a in rows:
        owner = _user_name(a["owner__first_name"], a["owner__last_name"], a["owner__username"])
        found.append(
            _Raw(
                due_on=a["due_on"],
                kind=PLAN_ACTION,
                what=_first_line(a["description"]),
                belongs_to=f"{a['priority__plan__title']}, priority {a['priority__order']}",
                owner=owner or a["lead_officer"],
                url=reverse("readiness:action-detail", kwargs={"action_pk": a["pk"]}),
            )
        )
    return found


def _case_audits(*, until: dt.date) -> list[_Raw]:
    """Counts per sample and due date only: which children are in a sample is child-level.

    Two queries: audits not yet submitted, grouped by sample and due date (an audit without a date
    of its own takes its sample's); and samples with a due date where some cases have no auditor.
    """
    from casework.models import CaseAudit, Sample

    not_submitted = (CaseAudit.Status.ASSIGNED, CaseAudit.Status.IN_PROGRESS)
    rows = (
        CaseAudit.objects.annotate(deadline=Coalesce("due_on", "member__sample__due_on"))
        .filter(deadline__isnull=False)
        .values("deadline", "member__sample_id", "member__sample__title")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=not_submitted)))
        .filter(open__gt=0, deadline__lte=until)
        .order_by("deadline", "member__sample_id")
    )
    unassigned = {
        (s["pk"], s["due_on"]): s
        for s in Sample.objects.filter(due_on__isnull=False, due_on__lte=until)
        .annotate(without=Count("members", filter=Q(members__audits__isnull=True)))
        .filter(without__gt=0)
        .values("pk", "due_on", "title", "without")
        .order_by()
    }
    found = []
    for g in rows:
        sample_id = g["member__sample_id"]
        title = g["member__sample__title"] if sample_id else NO_SAMPLE
        total = g["total"]
        what = f"{total} case audit{'s' if total != 1 else ''} for {title}: {g['open']} not submitted"
        extra = unassigned.pop((sample_id, g["deadline"]), None)
        if extra:
            what += f"; {_no_auditor(extra['without'])}"
        found.append(_audit_row(g["deadline"], what, title, sample_id))
    for s in unassigned.values():
        what = f"{s['title']}: {_no_auditor(s['without'])}"
        found.append(_audit_row(s["due_on"], what, s["title"], s["pk"]))
    return found


def _no_auditor(count: int) -> str:
    return f"{count} case{'s' if count != 1 else ''} with no auditor yet"


def _audit_row(due_on: dt.date, what: str, title: str, sample_id: int | None) -> _Raw:
    url = (
        reverse("casework:sample-detail", kwargs={"sample_pk": sample_id})
        if sample_id
        else reverse("casework:audit-list")
    )
    return _Raw(due_on=due_on, kind=CASE_AUDIT, what=what, belongs_to=title, owner="", url=url)


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _first_line(text: str, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


_WORD = re.compile(r"[\w/-]+")


def _without_child_ids(texts: list[str]):
    """Return a function that takes every known child ID out of a text, after one query for all.

    People write child IDs into titles and descriptions; none may reach this page or its CSV.
    """
    from casework.models import Child

    words = {w.upper() for text in texts if text for w in _WORD.findall(text)}
    found = sorted(
        Child.objects.filter(child_id__in=words).values_list("child_id", flat=True) if words else [],
        key=len,
        reverse=True,
    )
    if not found:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w/-])(" + "|".join(re.escape(c) for c in found) + r")(?![\w/-])", flags=re.IGNORECASE
    )
    return lambda text: pattern.sub(CHILD_ID_REMOVED, text) if text else text
