"""Writes for dashboards: the nightly snapshots, their backfill, the daily digest, self-evaluation."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from readiness.dashboards import sources
from readiness.dashboards.models import (
    DigestSent,
    Indicator,
    NotificationPreference,
    SelfEvaluationAnswer,
    Snapshot,
)

logger = logging.getLogger(__name__)


def dashboard_cache_key(day: dt.date) -> str:
    return f"readiness:dashboard:indicators:{day.isoformat()}"


@dataclass
class SnapshotRun:
    day: dt.date
    written: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # code -> why


def snapshots_take(*, day: dt.date | None = None, only_as_of: bool = False) -> SnapshotRun:
    """Write (or rewrite) one snapshot per indicator with a usable source for `day`.

    Idempotent per day: running again replaces that day's values. With only_as_of, sources that
    cannot look back are skipped (used by the backfill, so an earlier day never gets today's number).
    """
    day = day or timezone.localdate()
    run = SnapshotRun(day=day)
    for indicator in Indicator.objects.all():
        if only_as_of and not sources.supports_as_of(indicator.source):
            run.skipped[indicator.code] = "cannot look back"
            continue
        try:
            reading = sources.read(indicator, as_of=day)
        except sources.SourceUnavailable as exc:
            run.skipped[indicator.code] = str(exc)
            continue
        Snapshot.objects.update_or_create(
            indicator=indicator,
            date=day,
            defaults={
                "value": reading.value,
                "numerator": reading.numerator,
                "denominator": reading.denominator,
            },
        )
        run.written += 1
    cache.delete(dashboard_cache_key(timezone.localdate()))
    return run


def snapshots_backfill(*, days: int, today: dt.date | None = None, every: int = 1) -> list[SnapshotRun]:
    """Fill the `days` days before today (and today) from the events as they stood on each day.

    With `every` = 7, only today and every seventh day before it: one point in each week the trends
    show (the latest snapshot of each week ending today), at a seventh of the cost.
    """
    if every < 1:
        raise ValueError("every must be 1 or more")
    today = today or timezone.localdate()
    runs = []
    for back in range(days - days % every, -1, -every):
        day = today - dt.timedelta(days=back)
        with transaction.atomic():
            runs.append(snapshots_take(day=day, only_as_of=back > 0))
    return runs


# ---------------------------------------------------------------------------------------------
# Self-evaluation
# ---------------------------------------------------------------------------------------------


def self_evaluation_answer_save(
    *, inspection, area, user, what_we_know: str, how_we_know: str, what_next: str
):
    """Create or change the answers for one area (history records who and when)."""
    answer = SelfEvaluationAnswer.objects.filter(inspection=inspection, area=area).first()
    if answer is None:
        answer = SelfEvaluationAnswer(inspection=inspection, area=area)
    answer.what_we_know, answer.how_we_know, answer.what_next = what_we_know, how_we_know, what_next
    answer.updated_by = user
    answer.full_clean()
    answer.save()
    return answer


# ---------------------------------------------------------------------------------------------
# Notification preferences and the daily digest
# ---------------------------------------------------------------------------------------------


def notification_preference_set(
    *,
    user,
    daily_digest: bool | None = None,
    action_reminders: bool | None = None,
    case_audit_reminders: bool | None = None,
    moderation_reminders: bool | None = None,
) -> NotificationPreference:
    """Save a user's e-mail choices; None leaves a choice as it is. Unchanged choices write nothing."""
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    wanted = {
        "daily_digest": daily_digest,
        "action_reminders": action_reminders,
        "case_audit_reminders": case_audit_reminders,
        "moderation_reminders": moderation_reminders,
    }
    changes = {name: value for name, value in wanted.items() if value is not None}
    if preference.pk and all(getattr(preference, name) == value for name, value in changes.items()):
        return preference
    for name, value in changes.items():
        setattr(preference, name, value)
    preference.save()
    return preference


@dataclass
class DigestRun:
    day: dt.date
    skipped_reason: str = ""
    sent_to: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    opted_out: list[str] = field(default_factory=list)


NOT_A_WORKING_DAY = "{day} is not a working day"


def daily_digest_send(*, day: dt.date | None = None) -> DigestRun:
    """E-mail the digest to each DCS who has not opted out and has not had today's; skip non-working days."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from inspections import working_days
    from inspections.selectors import working_calendar
    from readiness import roles
    from readiness.dashboards.selectors import digest_content

    day = day or timezone.localdate()
    run = DigestRun(day=day)
    if not working_days.is_working_day(day, working_calendar()):
        run.skipped_reason = NOT_A_WORKING_DAY.format(day=day.isoformat())
        return run
    recipients = list(
        User.objects.filter(groups__name=roles.DCS, is_active=True)
        .exclude(email="")
        .select_related("notification_preference")
        .order_by("pk")
        .distinct()
    )
    content = None
    for user in recipients:
        preference = getattr(user, "notification_preference", None)
        if preference is not None and not preference.daily_digest:
            run.opted_out.append(user.username)
            continue
        if content is None:
            content = digest_content(day=day)
        context = {**content, "user": user, "council_name": settings.COUNCIL_NAME}
        try:
            with transaction.atomic():
                DigestSent.objects.create(date=day, user=user)
                message = EmailMultiAlternatives(
                    subject=f"{settings.SERVICE_NAME}: daily digest for {day.day} {day:%B %Y}",
                    body=render_to_string("readiness/dashboards/digest_email.txt", context),
                    to=[user.email],
                )
                message.attach_alternative(
                    render_to_string("readiness/dashboards/digest_email.html", context), "text/html"
                )
                message.send()
        except IntegrityError:
            run.already_sent.append(user.username)
            continue
        run.sent_to.append(user.username)
    return run
