"""Writes of the working-day calendar (local non-working days) and of calendar feed tokens.

A change to the calendar recomputes every milestone on commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from inspections.models import CalendarToken, NonWorkingDay
from inspections.models.feeds import new_token
from inspections.services._common import User, _as
from inspections.tasks import milestones_recompute_all as milestones_recompute_all_task

# ---------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------


@transaction.atomic
def non_working_day_add(
    *, date: dt.date, name: str, kind: str = NonWorkingDay.Kind.CLOSED, user: User | None = None
) -> NonWorkingDay:
    """Add a local closure (or a worked bank holiday) and recompute every milestone on commit."""
    day = NonWorkingDay(date=date, name=name.strip(), kind=kind)
    day.full_clean()
    _as(user, day).save()
    transaction.on_commit(milestones_recompute_all_task.delay)
    return day


@transaction.atomic
def non_working_day_remove(*, non_working_day: NonWorkingDay, user: User | None = None) -> None:
    """Remove a local calendar change and recompute every milestone on commit."""
    _as(user, non_working_day).delete()
    transaction.on_commit(milestones_recompute_all_task.delay)


# ---------------------------------------------------------------------------
# Calendar feed tokens
# ---------------------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, user: Any) -> CalendarToken:
    """Give `user` a new feed address; any earlier address stops working at once."""
    token = CalendarToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        token = CalendarToken(user=user)
    else:
        token.token = new_token()
        token.revoked_at = None
    token.full_clean()
    _as(user, token, "New address").save()
    return token


@transaction.atomic
def calendar_token_revoke(*, user: Any) -> CalendarToken | None:
    """Stop `user`'s feed address working; return the token, or None if they had none."""
    token = CalendarToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if token is not None:
        token.revoked_at = timezone.now()
        _as(user, token, "Revoked").save()
    return token
