"""Inspection control room."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone


def live_inspection(*, today: dt.date):
    """The actual inspection on site today (the latest to start, if two overlap), or None."""
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(kind=Inspection.Kind.ACTUAL, onsite_start_on__lte=today)
        .filter(
            Q(onsite_end_on__gte=today)
            | Q(onsite_end_on__isnull=True, onsite_start_on__gte=today - dt.timedelta(days=14))
        )
        .select_related("framework")
        .order_by("-onsite_start_on", "-pk")
        .first()
    )


@dataclass
class OnsiteDay:
    number: int
    of: int | None
    is_working_day: bool


def onsite_day(*, start: dt.date, end: dt.date | None, today: dt.date, calendar=None) -> OnsiteDay:
    """Day N of M on site, counting working days only (bank holidays and closures skipped)."""
    from inspections import working_days

    before = start - dt.timedelta(days=1)
    number = working_days.working_days_between(before, today, calendar)
    of = working_days.working_days_between(before, end, calendar) if end else None
    return OnsiteDay(number=number, of=of, is_working_day=working_days.is_working_day(today, calendar))


@dataclass
class AuditProgress:
    available: bool
    members: int = 0
    audits: int = 0
    done: int = 0
    shared: int = 0


def inspection_audit_progress(*, inspection) -> AuditProgress:
    """The inspection's audit sample: children in it, audits done and shared (counts only)."""
    try:
        from casework.models import CaseAudit, Sample, SampleMember
    except ImportError:
        return AuditProgress(available=False)
    members = SampleMember.objects.filter(
        sample__inspection=inspection, sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).count()
    counts = CaseAudit.objects.filter(
        member__sample__inspection=inspection, member__sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).aggregate(
        audits=Count("pk"),
        done=Count("pk", filter=Q(status__in=["submitted", "moderated", "shared"])),
        shared=Count("pk", filter=Q(status="shared")),
    )
    return AuditProgress(available=True, members=members, **counts)


def control_room(*, inspection, today: dt.date, now: dt.datetime | None = None) -> dict:
    """What the control room shows for a live inspection, in a fixed number of queries."""
    from inspections.models import DataRequest
    from inspections.selectors import milestone_rows, working_calendar

    now = now or timezone.now()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    day_end = day_start + dt.timedelta(days=1)
    calendar = working_calendar()
    requests = list(
        inspection.data_requests.exclude(status=DataRequest.Status.CLOSED).select_related("owner")
    )
    concerns = list(inspection.concerns.all())
    return {
        "inspection": inspection,
        "today": today,
        "now": now,
        "day": onsite_day(
            start=inspection.onsite_start_on, end=inspection.onsite_end_on, today=today, calendar=calendar
        ),
        "meetings": list(inspection.meetings.filter(starts_at__gte=day_start, starts_at__lt=day_end)),
        "requests": requests,
        "requests_overdue": sum(1 for r in requests if r.due_at and r.due_at < now),
        "requests_due_today": sum(1 for r in requests if r.due_at and now <= r.due_at < day_end),
        "concerns": concerns,
        "concerns_open": sum(1 for c in concerns if c.is_open),
        "audits": inspection_audit_progress(inspection=inspection),
        "milestones": [
            row for row in milestone_rows(inspection=inspection, today=today) if not row.milestone.done_on
        ][:8],
        "notes": list(inspection.daily_notes.select_related("author")[:5]),
    }
