"""Who changed whose access, and when: django-simple-history on Django's own `auth.User`.

Why simple-history on the User model and not an append-only log written by our services:

- It records every save of a user wherever it comes from: these pages, the Django admin (its user
  pages, its password page, its group and permission boxes), `createsuperuser`, `changepassword` or
  a shell. A log written by our services would miss every one of those except our own pages.
- The acting user comes from the request (`HistoryRequestMiddleware`), as for every domain model, and
  the rows are the library's, read-only everywhere (tests/reliability/test_check_17*).
- The role is a group, so `groups` (and `user_permissions`, access given one permission at a time in
  the admin) are kept as many-to-many history: each row holds the groups the person had after it.

What it does not do by itself, and how this module covers it:

- The password hash and `last_login` are never copied (`excluded_fields`). A save that touches only
  `last_login` (Django's `update_last_login` at every sign-in) writes no row at all, so signing in is
  not an account change. A save that sets a new password is labelled "Password changed" from
  `_password`, the raw value Django keeps only until `save()` returns; the value is never stored.
- Some account changes do not change the user row: resetting two-factor sign-in (their TOTP devices
  are deleted), unlocking (django-axes' attempts are deleted), ending their sessions. The service
  doing it writes a history row of the person with what happened in `history_change_reason` (a text
  field here, one line per thing done) and the acting user, in the same transaction (`record_event`).

TOTP devices and axes attempts deleted through their own admin pages are not recorded here; the people
pages are the way to do those jobs (README "Creating real users").
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

import simple_history
from django.contrib.auth.models import User
from django.db import models
from simple_history.models import HistoricalRecords

PASSWORD_CHANGED = "Password changed"  # noqa: S105 - words for the history, not a password  # nosec B105
# Saves that touch only these fields are not account changes (every sign-in writes last_login).
SIGN_IN_FIELDS = frozenset({"last_login"})
EXCLUDED_FIELDS = ["password", "last_login"]
M2M_FIELDS = ["groups", "user_permissions"]


class UserHistoricalRecords(HistoricalRecords):
    """HistoricalRecords for `auth.User`: no row for a sign-in, and a password change said in words."""

    registered: UserHistoricalRecords | None = None

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        UserHistoricalRecords.registered = self

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= SIGN_IN_FIELDS:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if not reason and history_type == "~" and getattr(instance, "_password", None) is not None:
            return PASSWORD_CHANGED
        return reason


simple_history.register(
    User,
    app="readiness",
    records_class=UserHistoricalRecords,
    excluded_fields=EXCLUDED_FIELDS,
    m2m_fields=M2M_FIELDS,
    history_change_reason_field=models.TextField(null=True),
)


@contextmanager
def recorded(person: User, *, by: User | None, lines: Iterable[str] = ()):
    """Within the block, the history rows of `person` name `by` and say `lines` (one a line)."""
    if by is not None:
        person._history_user = by
    if lines:
        person._change_reason = "\n".join(lines)
    try:
        yield person
    finally:
        for name in ("_history_user", "_change_reason"):
            person.__dict__.pop(name, None)


def record_event(
    person: User, *, by: User | None, lines: Iterable[str] = (), history_type: str = "~"
) -> None:
    """Write one history row of `person` as they are now: what was done to their account that a save
    of its row would not show (a two-factor reset), or their creation once their role is set."""
    records = UserHistoricalRecords.registered
    if records is None:  # pragma: no cover - registered when this module is imported
        raise RuntimeError("User history is not registered")
    with recorded(person, by=by, lines=lines):
        records.create_historical_record(person, history_type)
