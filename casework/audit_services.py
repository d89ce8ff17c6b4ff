"""Samples and case audits: writes. Keyword-only functions named <entity>_<action>.

Every refusal is a ValidationError with a plain sentence (or a dict of field -> sentence) that the
views put on the form; the database never sees a half-done change because callers run inside
ATOMIC_REQUESTS and the multi-row writes here are atomic themselves.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.audit_questions import CURRENT_VERSION, question_set
from casework.models import (
    AuditAnswer,
    AuditGrade,
    CaseAudit,
    CaseAuditAction,
    CaseAuditEscalation,
    Child,
    Cohort,
    Episode,
    Placement,
    Sample,
    SampleCohort,
    SampleMember,
    normalise_child_id,
)
from casework.samples import KIND_RULES, draw_stratified, parse_yes_no, sample_check

SAMPLE_LOCKED = (
    "This sample is locked: an audit in it started on {date}. Its children cannot be changed. "
    "Start a new sample instead."
)
UNKNOWN_CHILDREN = "Child {ids} {verb} not in the case data; import {them} first or check the ID."
NOT_YOUR_AUDIT = "Only the auditor it is assigned to, or a moderator, can change this audit."
CANNOT_START = "This audit has already started."
CANNOT_EDIT = "This audit was submitted on {date}; it can no longer be changed."
CANNOT_SUBMIT = "Only an audit in progress can be submitted; this one is {status}."
CANNOT_MODERATE = "Only a submitted audit can be moderated; this one is {status}."
CANNOT_SHARE = "Only a moderated audit can be shared with inspectors; this one is {status}."
OWN_AUDIT = "You cannot moderate an audit you carried out; ask another moderator."
GRADE_MISSING = "Select a grade for {name}"
OVERALL_MISSING = "Select an overall grade for the case"
MODERATOR_GRADE_MISSING = "Select the moderated grade"
AGREEMENT_MISSING = "Select whether you agree with the auditor's grade"
ALREADY_RESPONDED = "The team manager's response to this escalation is already recorded."
RESPONSE_MISSING = "Enter the team manager's response"
NO_AUDITOR = "Select the auditor"

# Which sample cohort a child's current episode puts them in; the first match wins.
EPISODE_PRIORITY = (
    (Cohort.LOOKED_AFTER, SampleCohort.LOOKED_AFTER),
    (Cohort.CARE_LEAVER, SampleCohort.CARE_LEAVER),
    (Cohort.CHILD_PROTECTION, SampleCohort.HELP_AND_PROTECTION),
    (Cohort.CHILD_IN_NEED, SampleCohort.HELP_AND_PROTECTION),
    (Cohort.EARLY_HELP, SampleCohort.EARLY_HELP),
)


def _or_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "an earlier date"


# Samples ---------------------------------------------------------------------------------------


def sample_problems(*, rows: list[Mapping[str, object]], rule: str) -> list[str]:
    """Return every broken composition rule, and every child ID the case data does not hold."""
    problems = sample_check(rows, rule)
    ids = {normalise_child_id(row.get("child_id")) for row in rows} - {""}
    known = set(Child.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    unknown = sorted(ids - known)
    if unknown:
        many = len(unknown) > 1
        problems.append(
            UNKNOWN_CHILDREN.format(
                ids=_or_and(unknown), verb="are" if many else "is", them="them" if many else "it"
            ).replace("Child ", "Children " if many else "Child ", 1)
        )
    return problems


def _check_unlocked(sample: Sample) -> None:
    if sample.locked_at is not None:
        raise ValidationError(SAMPLE_LOCKED.format(date=_when(sample.locked_at)), code="locked")


def _write_members(sample: Sample, rows: list[Mapping[str, object]]) -> None:
    ids = [normalise_child_id(row["child_id"]) for row in rows]
    pks = dict(Child.objects.filter(child_id__in=ids).values_list("child_id", "pk"))
    for member in sample.members.all():
        member.delete()  # one by one, so each removal has its history row
    for order, (child_id, row) in enumerate(zip(ids, rows, strict=True), start=1):
        SampleMember.objects.create(
            sample=sample,
            child_id=pks[child_id],
            cohort=str(row["cohort"]).strip().lower(),
            out_of_borough=parse_yes_no(row.get("out_of_borough")),
            order=order,
        )


@transaction.atomic
def sample_create(
    *,
    kind: str,
    title: str,
    rows: list[Mapping[str, object]],
    user=None,
    inspection=None,
    rule_code: str | None = None,
    due_on: dt.date | None = None,
    chosen_by: str | None = None,
    seed: int | None = None,
) -> Sample:
    """Create a sample from (child_id, cohort, out_of_borough) rows; refuse it with every problem."""
    rule_code = rule_code or KIND_RULES[kind]
    problems = sample_problems(rows=rows, rule=rule_code)
    if problems:
        raise ValidationError(problems, code="sample")
    if chosen_by is None:
        chosen_by = (
            Sample.ChosenBy.INSPECTORS if kind == Sample.Kind.INSPECTION_AUDIT else Sample.ChosenBy.BY_HAND
        )
    sample = Sample(
        kind=kind,
        title=title,
        inspection=inspection,
        rule_code=rule_code,
        due_on=due_on,
        chosen_by=chosen_by,
        seed=seed,
        created_by=user,
    )
    sample.full_clean()
    sample.save()
    _write_members(sample, rows)
    return sample


@transaction.atomic
def sample_members_replace(*, sample: Sample, rows: list[Mapping[str, object]]) -> Sample:
    """Replace a sample's children, unless an audit in it has started."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    _check_unlocked(sample)
    problems = sample_problems(rows=rows, rule=sample.rule_code or KIND_RULES[sample.kind])
    if problems:
        raise ValidationError(problems, code="sample")
    _write_members(sample, rows)
    return sample


@transaction.atomic
def sample_update(*, sample: Sample, **changes) -> Sample:
    """Change a sample's details (title, due date, inspection), unless it is locked."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    _check_unlocked(sample)
    for name, value in changes.items():
        setattr(sample, name, value)
    sample.full_clean()
    sample.save()
    return sample


def child_sample_cohorts(*, as_of: dt.date) -> dict[int, tuple[str, bool]]:
    """Return child pk -> (sample cohort, placed out of borough) for every child open on `as_of`.

    Two queries, whatever the number of children.
    """
    open_episodes = Episode.objects.filter(start_on__lte=as_of).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=as_of)
    )
    by_child: dict[int, set[str]] = {}
    for child_pk, cohort in open_episodes.values_list("child_id", "cohort"):
        by_child.setdefault(child_pk, set()).add(cohort)
    away = set(
        Placement.objects.filter(start_on__lte=as_of, in_area=False)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .values_list("child_id", flat=True)
    )
    result = {}
    for child_pk, cohorts in by_child.items():
        for episode_cohort, sample_cohort in EPISODE_PRIORITY:
            if episode_cohort in cohorts:
                result[child_pk] = (str(sample_cohort), child_pk in away)
                break
    return result


@dataclass
class Draw:
    seed: int
    rows: list[dict]
    excluded: int


def sample_draw_rows(
    *,
    as_of: dt.date,
    seed: int,
    size: int,
    minimum_per_stratum: int = 2,
    exclude_audited_months: int = 12,
    cohorts: Iterable[str] = ("help_and_protection", "looked_after", "care_leaver"),
) -> Draw:
    """Draw children open on `as_of`, stratified by cohort, leaving out those audited lately."""
    cohorts = list(cohorts)
    since = as_of - dt.timedelta(days=round(exclude_audited_months * 365.25 / 12))
    recently = set(CaseAudit.objects.filter(created_at__date__gte=since).values_list("child_id", flat=True))
    current = child_sample_cohorts(as_of=as_of)
    ids = dict(Child.objects.filter(pk__in=current).values_list("pk", "child_id"))
    population = [
        (ids[pk], cohort) for pk, (cohort, _) in current.items() if cohort in cohorts and pk not in recently
    ]
    excluded = sum(1 for pk, (cohort, _) in current.items() if cohort in cohorts and pk in recently)
    drawn = draw_stratified(
        population, seed=seed, size=size, minimum_per_stratum=minimum_per_stratum, strata_order=cohorts
    )
    pk_of = {child_id: pk for pk, child_id in ids.items()}
    rows = [
        {
            "child_id": child_id,
            "cohort": cohort,
            "out_of_borough": "yes" if current[pk_of[child_id]][1] else "no",
        }
        for child_id, cohort in drawn
    ]
    return Draw(seed=seed, rows=rows, excluded=excluded)


def new_seed() -> int:
    """Return a fresh seed, short enough to read out and type in again."""
    return secrets.randbelow(900_000) + 100_000


@transaction.atomic
def sample_draw(
    *,
    title: str,
    as_of: dt.date,
    size: int,
    seed: int | None = None,
    minimum_per_stratum: int = 2,
    kind: str = Sample.Kind.ROLLING_MONTHLY,
    due_on: dt.date | None = None,
    user=None,
) -> Sample:
    """Create a seeded, reproducible stratified sample; the seed is stored and shown."""
    seed = new_seed() if seed is None else seed
    draw = sample_draw_rows(as_of=as_of, seed=seed, size=size, minimum_per_stratum=minimum_per_stratum)
    return sample_create(
        kind=kind,
        title=title,
        rows=draw.rows,
        user=user,
        rule_code=KIND_RULES[kind],
        due_on=due_on,
        chosen_by=Sample.ChosenBy.SEEDED_RANDOM,
        seed=seed,
    )


def sample_due_on(sample: Sample) -> dt.date | None:
    """For an inspection's audit sample the findings are due when fieldwork starts."""
    if sample.kind == Sample.Kind.INSPECTION_AUDIT and sample.inspection_id:
        return sample.inspection.onsite_start_on or sample.due_on
    return sample.due_on


@transaction.atomic
def sample_audits_assign(*, sample: Sample, auditor, version: str = CURRENT_VERSION) -> list[CaseAudit]:
    """Create an audit, assigned to `auditor`, for every child in the sample without one."""
    if auditor is None:
        raise ValidationError({"auditor": NO_AUDITOR})
    due = sample_due_on(sample)
    audited = set(CaseAudit.objects.filter(member__sample=sample).values_list("member_id", flat=True))
    created = []
    for member in sample.members.select_related("child").exclude(pk__in=audited):
        audit = CaseAudit(
            member=member,
            child=member.child,
            cohort=member.cohort,
            question_set_version=version,
            auditor=auditor,
            due_on=due,
        )
        audit.full_clean()
        audit.save()
        created.append(audit)
    return created


# Audits -----------------------------------------------------------------------------------------


def _status_words(audit: CaseAudit) -> str:
    return audit.get_status_display().lower()


def _may_change(audit: CaseAudit, user) -> bool:
    return user is None or audit.auditor_id == user.pk or user.has_perm("casework.moderate_audits")


@transaction.atomic
def audit_start(*, audit: CaseAudit, user=None) -> CaseAudit:
    """Start an assigned audit and lock its sample."""
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if not _may_change(audit, user):
        raise ValidationError(NOT_YOUR_AUDIT, code="forbidden")
    if audit.status != CaseAudit.Status.ASSIGNED:
        raise ValidationError(CANNOT_START, code="transition")
    now = timezone.now()
    audit.status = CaseAudit.Status.IN_PROGRESS
    audit.started_at = now
    audit.save()
    if audit.member_id:
        sample = Sample.objects.select_for_update().get(pk=audit.member.sample_id)
        if sample.locked_at is None:
            sample.locked_at = now
            sample.save()
    return audit


@transaction.atomic
def audit_save_answers(
    *,
    audit: CaseAudit,
    user=None,
    answers: Mapping[str, tuple[str, str]],
    overall_grade: str = "",
    strengths: str = "",
    areas_for_development: str = "",
) -> CaseAudit:
    """Save a draft: domain code -> (grade or "", comment). Starts an assigned audit."""
    if audit.status == CaseAudit.Status.ASSIGNED:
        audit = audit_start(audit=audit, user=user)
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if not _may_change(audit, user):
        raise ValidationError(NOT_YOUR_AUDIT, code="forbidden")
    if audit.status != CaseAudit.Status.IN_PROGRESS:
        raise ValidationError(CANNOT_EDIT.format(date=_when(audit.submitted_at)), code="transition")
    domains = {d.code for d in question_set(audit.question_set_version, audit.cohort)}
    existing = {answer.domain: answer for answer in audit.answers.all()}
    for code, (grade, comment) in answers.items():
        if code not in domains:
            continue
        if grade and grade not in AuditGrade.values:
            raise ValidationError({f"grade_{code}": "Select a grade from the list"})
        answer = existing.get(code)
        if answer is None:
            AuditAnswer.objects.create(audit=audit, domain=code, grade=grade or "", comment=comment or "")
        elif (answer.grade, answer.comment) != (grade or "", comment or ""):
            answer.grade, answer.comment = grade or "", comment or ""
            answer.save()
    changed = (audit.overall_grade, audit.strengths, audit.areas_for_development) != (
        overall_grade,
        strengths,
        areas_for_development,
    )
    if changed:
        audit.overall_grade = overall_grade
        audit.strengths = strengths
        audit.areas_for_development = areas_for_development
        audit.full_clean()
        audit.save()
    return audit


@transaction.atomic
def audit_submit(*, audit: CaseAudit, user=None) -> CaseAudit:
    """Submit an audit in progress: every domain and the overall case must be graded."""
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if not _may_change(audit, user):
        raise ValidationError(NOT_YOUR_AUDIT, code="forbidden")
    if audit.status != CaseAudit.Status.IN_PROGRESS:
        raise ValidationError(CANNOT_SUBMIT.format(status=_status_words(audit)), code="transition")
    graded = {a.domain for a in audit.answers.all() if a.grade}
    errors = {
        f"grade_{d.code}": GRADE_MISSING.format(name=d.name.lower())
        for d in question_set(audit.question_set_version, audit.cohort)
        if d.code not in graded
    }
    if not audit.overall_grade:
        errors["overall_grade"] = OVERALL_MISSING
    if errors:
        raise ValidationError(errors, code="incomplete")
    audit.status = CaseAudit.Status.SUBMITTED
    audit.submitted_at = timezone.now()
    audit.save()
    return audit


@transaction.atomic
def audit_moderate(
    *, audit: CaseAudit, moderator, grade: str, agreement: bool | None, comment: str = ""
) -> CaseAudit:
    """Record the moderator's grade and whether they agree; never the auditor's own audit."""
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != CaseAudit.Status.SUBMITTED:
        raise ValidationError(CANNOT_MODERATE.format(status=_status_words(audit)), code="transition")
    if moderator is not None and audit.auditor_id == moderator.pk:
        raise ValidationError(OWN_AUDIT, code="own")
    errors = {}
    if grade not in AuditGrade.values:
        errors["moderator_grade"] = MODERATOR_GRADE_MISSING
    if agreement is None:
        errors["agreement"] = AGREEMENT_MISSING
    if errors:
        raise ValidationError(errors, code="incomplete")
    audit.moderator = moderator
    audit.moderator_grade = grade
    audit.agreement = agreement
    audit.moderator_comment = comment
    audit.moderated_at = timezone.now()
    audit.status = CaseAudit.Status.MODERATED
    audit.save()
    return audit


@transaction.atomic
def audit_share(*, audit: CaseAudit, user=None) -> CaseAudit:
    """Mark a moderated audit as shared with inspectors, time-stamped."""
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != CaseAudit.Status.MODERATED:
        raise ValidationError(CANNOT_SHARE.format(status=_status_words(audit)), code="transition")
    audit.status = CaseAudit.Status.SHARED
    audit.shared_at = timezone.now()
    audit.save()
    return audit


def audit_action_add(
    *, audit: CaseAudit, user=None, text: str, owner: str, due_on: dt.date
) -> CaseAuditAction:
    if not _may_change(audit, user):
        raise ValidationError(NOT_YOUR_AUDIT, code="forbidden")
    action = CaseAuditAction(audit=audit, text=text, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    return action


ESCALATION_SUBJECT = "Immediate escalation: child {child_id} may be at risk"
ESCALATION_BODY = """Dear {manager_name},

During a case audit, {auditor} found that child {child_id} may be at risk now and escalated the case
to you on {raised} for immediate action.

Why: {reason}

Please review the case today and reply to {auditor} with what you have done. Your response will be
recorded against the audit.

This message contains the child's pseudonymous ID only. Do not forward it outside the council.
"""


@transaction.atomic
def escalation_raise(
    *, audit: CaseAudit, user, reason: str, manager_name: str, manager_email: str
) -> CaseAuditEscalation:
    """Record an immediate escalation and e-mail the team manager (after the record commits)."""
    if not _may_change(audit, user):
        raise ValidationError(NOT_YOUR_AUDIT, code="forbidden")
    escalation = CaseAuditEscalation(
        audit=audit,
        raised_by=user,
        raised_at=timezone.now(),
        reason=reason,
        manager_name=manager_name,
        manager_email=manager_email,
    )
    escalation.full_clean()
    escalation.save()
    auditor = user.get_full_name() or user.get_username()
    subject = ESCALATION_SUBJECT.format(child_id=audit.child.child_id)
    body = ESCALATION_BODY.format(
        manager_name=manager_name,
        auditor=auditor,
        child_id=audit.child.child_id,
        raised=timezone.localtime(escalation.raised_at).strftime("%d/%m/%Y at %H:%M"),
        reason=reason,
    )
    recipients = [manager_email]
    # Sent once the record is committed: a rolled-back escalation must not e-mail anyone.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )
    return escalation


@transaction.atomic
def escalation_respond(*, escalation: CaseAuditEscalation, response: str, user=None) -> CaseAuditEscalation:
    escalation = CaseAuditEscalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.responded_at:
        raise ValidationError(ALREADY_RESPONDED, code="responded")
    if not response.strip():
        raise ValidationError({"response": RESPONSE_MISSING})
    escalation.response = response.strip()
    escalation.responded_at = timezone.now()
    escalation.save()
    return escalation
