"""Samples and case audits: reads. Keyword-only functions named <entity>_<action>."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from casework.models import AuditGrade, CaseAudit, Sample


def audit_list_for(*, user) -> QuerySet[CaseAudit]:
    """Audits this user may open: their own, or every audit for a moderator. Never another's."""
    audits = CaseAudit.objects.select_related("child", "auditor", "member__sample")
    if user.has_perm("casework.moderate_audits"):
        return audits
    return audits.filter(auditor=user)


@dataclass
class SampleProgress:
    total: int
    done: int
    by_status: dict[str, int]
    grade_profile: list[tuple[str, int, int]]  # label, auditor's grades, moderated grades
    overdue: list[CaseAudit]
    audits: list[CaseAudit]
    agreement: tuple[int, int] = (0, 0)  # agreed, moderated
    unassigned: int = 0
    members: list = field(default_factory=list)


def sample_progress(*, sample: Sample, today: dt.date) -> SampleProgress:
    """Return "n of N done", the grade profile and the overdue audits, in two queries."""
    members = list(sample.members.select_related("child"))
    audits = list(
        CaseAudit.objects.filter(member__sample=sample).select_related("child", "auditor", "moderator")
    )
    done = [a for a in audits if a.is_done]
    statuses = Counter(a.status for a in audits)
    grades = Counter(a.overall_grade for a in done)
    moderated = Counter(a.moderator_grade for a in audits if a.moderator_grade)
    profile = [(label, grades[code], moderated[code]) for code, label in AuditGrade.choices]
    agreed = [a for a in audits if a.agreement is not None]
    audited_members = {a.member_id for a in audits}
    return SampleProgress(
        total=len(members),
        done=len(done),
        by_status={label: statuses[code] for code, label in CaseAudit.Status.choices},
        grade_profile=profile,
        overdue=[a for a in audits if a.is_overdue(today)],
        audits=audits,
        agreement=(sum(1 for a in agreed if a.agreement), len(agreed)),
        unassigned=sum(1 for m in members if m.pk not in audited_members),
        members=members,
    )
