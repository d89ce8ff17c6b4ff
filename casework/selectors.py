"""Samples and case audits: reads. Keyword-only functions named <entity>_<action>."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from casework.audit_questions import domain_names
from casework.models import (
    AuditAnswer,
    AuditGrade,
    CaseAudit,
    CaseAuditAction,
    Child,
    Episode,
    Event,
    Placement,
    Sample,
    SampleMember,
)
from inspections.history import ChangeHistory, Source, change_history_of, format_date


def audit_list_for(*, user) -> QuerySet[CaseAudit]:
    """Audits this user may see: their own, or every audit for a moderator and for those who oversee
    the programme (`view_every_audit`, read only). Never another auditor's."""
    audits = CaseAudit.objects.select_related("child", "auditor", "member__sample")
    if user.has_perm("casework.moderate_audits") or user.has_perm("casework.view_every_audit"):
        return audits
    return audits.filter(auditor=user)


_S = CaseAudit.Status
# The audit list's views of the workflow: name -> (label, statuses), in the order they are offered.
AUDIT_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "to-do": ("To do", (_S.IN_PROGRESS, _S.ASSIGNED)),
    "to-moderate": ("Waiting for moderation", (_S.SUBMITTED,)),
    "done": ("Moderated or shared", (_S.MODERATED, _S.SHARED)),
    "all": ("All", tuple(_S.values)),
}
# Work still to do comes first: audits started, then not started, then waiting, then finished.
_STAGE = Case(
    *(
        When(status=status, then=Value(stage))
        for stage, status in enumerate((_S.IN_PROGRESS, _S.ASSIGNED, _S.SUBMITTED, _S.MODERATED, _S.SHARED))
    ),
    default=Value(9),
)


def audit_list_view(*, user, view: str) -> tuple[QuerySet[CaseAudit], list[tuple[str, str, int]]]:
    """Return the audits in one of AUDIT_VIEWS (work to do first, then by due date) and every view's
    (name, label, count), counted in one query over the audits this user may open."""
    audits = audit_list_for(user=user)
    by_status = dict(audits.order_by().values_list("status").annotate(n=Count("pk")))
    counts = [
        (name, label, sum(by_status.get(status, 0) for status in statuses))
        for name, (label, statuses) in AUDIT_VIEWS.items()
    ]
    statuses = AUDIT_VIEWS[view][1]
    listed = audits if view == "all" else audits.filter(status__in=statuses)
    return listed.order_by(_STAGE, F("due_on").asc(nulls_last=True), "child__child_id", "pk"), counts


def audit_action_list_for(*, user) -> QuerySet[CaseAuditAction]:
    """Actions this user may see: those on the audits `audit_list_for` lets them open."""
    return CaseAuditAction.objects.filter(audit__in=audit_list_for(user=user).values("pk")).select_related(
        "audit__child", "audit__auditor", "done_by"
    )


# The action list's views: name -> label, in the order they are offered.
AUDIT_ACTION_VIEWS: dict[str, str] = {"open": "Open", "overdue": "Overdue", "done": "Done", "all": "All"}


def _action_filters(today: dt.date) -> dict[str, Q]:
    return {
        "open": Q(done_on__isnull=True),
        "overdue": Q(done_on__isnull=True, due_on__lt=today),
        "done": Q(done_on__isnull=False),
        "all": Q(),
    }


def audit_action_list_view(
    *, user, view: str, today: dt.date, sample: Sample | None = None
) -> tuple[QuerySet[CaseAuditAction], list[tuple[str, str, int]]]:
    """Return the actions in one view (open ones first, then by due date) and every view's
    (name, label, count), counted in one query over the actions this user may see, in `sample` if
    given."""
    actions = audit_action_list_for(user=user)
    if sample is not None:
        actions = actions.filter(audit__member__sample=sample)
    filters = _action_filters(today)
    totals = actions.order_by().aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    counts = [(name, label, totals[name]) for name, label in AUDIT_ACTION_VIEWS.items()]
    open_first = Case(When(done_on__isnull=True, then=Value(0)), default=Value(1))
    listed = actions.filter(filters[view])
    return listed.order_by(open_first, "due_on", "audit__child__child_id", "pk"), counts


# Teams ------------------------------------------------------------------------------------------
# A child's team on a day is the name in their latest team allocation on or before that day, a later
# row winning on the same day; a blank name means no team. The Annex A export's Team column reads the
# same rule in bulk (annex_a._Data.teams); tests/casework/test_child_list_teams.py holds the two together.
TEAM_NAMES_SECONDS = 300


def _team_allocations_on(day: dt.date) -> QuerySet[Event]:
    return Event.objects.filter(
        child=OuterRef("pk"), kind=Event.Kind.TEAM_ALLOCATION, occurred_on__lte=day
    ).order_by("-occurred_on", "-pk")


def child_team_on(*, day: dt.date) -> Subquery:
    """The name of the child's team on `day` ("" when none is recorded or the latest says none), for
    annotating children; served by the index of event_unique_key (child, kind, occurred_on, value)."""
    return Subquery(_team_allocations_on(day).values("value")[:1], output_field=CharField())


def child_team_since(*, day: dt.date) -> Subquery:
    """The date of the team allocation `child_team_on` reads."""
    return Subquery(_team_allocations_on(day).values("occurred_on")[:1])


def child_list_in_team(children: QuerySet[Child], *, team: str, day: dt.date) -> QuerySet[Child]:
    """The children whose team on `day` is `team`: those with an allocation to the team on or before
    the day (an EXISTS the index event_team_by_name serves, so no other event is read), whose latest
    allocation is that team (`child_team_on`, one probe of event_unique_key's index each)."""
    ever = Event.objects.filter(
        child=OuterRef("pk"), kind=Event.Kind.TEAM_ALLOCATION, occurred_on__lte=day, value=team
    )
    return (
        children.filter(Exists(ever)).alias(team_filtered=child_team_on(day=day)).filter(team_filtered=team)
    )


def team_names() -> list[str]:
    """Every team held: the distinct names in team allocations, sorted ("" is no team, not a team).

    Reading them scans every team allocation (in event_team_by_name's index), so they are kept until
    an event changes: every change
    to an event writes a history row, and the newest one (read from its primary key's index) is part
    of the key; TEAM_NAMES_SECONDS bounds what a change made without history could leave.
    """
    newest = Event.history.model.objects.order_by("-history_id").values_list("history_id", "history_date")
    history_id, when = newest.first() or (0, None)
    key = f"casework:team-names:{history_id}:{when.timestamp() if when else 0}"
    names = cache.get(key)
    if names is None:
        names = list(
            Event.objects.filter(kind=Event.Kind.TEAM_ALLOCATION)
            .exclude(value="")
            .order_by("value")
            .values_list("value", flat=True)
            .distinct()
        )
        cache.set(key, names, timeout=TEAM_NAMES_SECONDS)
    return names


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
    actions_open: int = 0  # actions for children found by the sample's audits, not yet done
    actions_overdue: int = 0


def sample_progress(*, sample: Sample, today: dt.date) -> SampleProgress:
    """Return "n of N done", the grade profile, the overdue audits and the audits' open and overdue
    actions for children, in two queries."""
    members = list(sample.members.select_related("child"))
    open_actions = Q(actions__done_on__isnull=True)
    audits = list(
        CaseAudit.objects.filter(member__sample=sample)
        .select_related("child", "auditor", "moderator")
        .annotate(
            open_actions=Count("actions", filter=open_actions),
            overdue_actions=Count("actions", filter=open_actions & Q(actions__due_on__lt=today)),
        )
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
        actions_open=sum(a.open_actions for a in audits),
        actions_overdue=sum(a.overdue_actions for a in audits),
    )


# Who changed what ------------------------------------------------------------------------------
# Child-level free text is in these rows: only pages behind a casework permission show them, never
# a board page or PDF.


def child_changes(*, child: Child) -> ChangeHistory:
    """Changes to the child's record, episodes and placements, newest first (bounded queries)."""
    return change_history_of(
        [
            Source(child.history.all(), describe=lambda record: "Child record"),
            Source(
                Episode.history.filter(child_id=child.pk),
                exclude={"child"},
                describe=lambda r: f"{r.get_cohort_display()} episode from {format_date(r.start_on)}",
                initial=True,
            ),
            Source(
                Placement.history.filter(child_id=child.pk),
                exclude={"child"},
                describe=lambda r: f"Placement from {format_date(r.start_on)}",
                initial=True,
            ),
        ]
    )


def audit_changes(*, audit: CaseAudit) -> ChangeHistory:
    """The audit's workflow (status, grades, moderation) and its answers, newest first."""
    names = domain_names(audit.question_set_version, audit.cohort)
    return change_history_of(
        [
            Source(
                audit.history.all(),
                exclude={"member", "child", "cohort", "question_set_version"},
                describe=lambda record: "Audit",
            ),
            Source(
                AuditAnswer.history.filter(audit_id=audit.pk),
                exclude={"audit", "domain"},
                describe=lambda record: names.get(record.domain, record.domain),
                initial=True,
            ),
            # Actions for the child: added, marked as done (by whom, with the note) and reopened.
            Source(
                CaseAuditAction.history.filter(audit_id=audit.pk),
                exclude={"audit"},
                describe=lambda record: f"Action: {record.text[:60]}",
                initial=True,
            ),
        ]
    )


def sample_changes(*, sample: Sample) -> ChangeHistory:
    """Changes to the sample and to who is in it, newest first."""
    return change_history_of(
        [
            Source(sample.history.all(), describe=lambda record: "Sample"),
            Source(
                SampleMember.history.filter(sample_id=sample.pk),
                exclude={"sample", "child", "order"},
                select_related=("child",),
                describe=lambda r: f"Child {r.child.child_id}" if r.child else "A child no longer recorded",
                initial=True,
            ),
        ]
    )
