"""Per-user tokens for the iCalendar feed of upcoming milestones (Outlook cannot sign in)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

TOKEN_BYTES = 32  # 43 URL-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed address; revoking it makes the address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The secret itself stays out of the history tables: they record who made and revoked it, when.
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["user"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}" + (" (revoked)" if self.revoked_at else "")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
