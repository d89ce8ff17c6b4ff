"""What every service module shares: the history helper and the recompute-on-commit hook.

Every write goes through a model's `save()` (never `QuerySet.update()` or `bulk_*`) so that
django-simple-history records it; `user` becomes the history user when given. Milestones are
recomputed by a Celery task enqueued on commit whenever a date they hang on, a grade a rule
depends on, or the working-day calendar changes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from inspections.tasks import milestones_recompute as milestones_recompute_task

User = AbstractBaseUser


def _as(user: User | None, obj: Any, reason: str | None = None) -> Any:
    """Attach the acting user (and a reason) to the next history row of `obj`."""
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    return obj


def _enqueue_recompute(inspection_id: int) -> None:
    transaction.on_commit(partial(milestones_recompute_task.delay, inspection_id))
