"""The council's own changes to the working-day calendar."""

from django.db import models
from simple_history.models import HistoricalRecords


class NonWorkingDay(models.Model):
    """A local change to the England and Wales working-day calendar.

    `closed` adds a non-working day (a council closure, or a bank holiday announced after the
    installed `holidays` release); `working` removes a day the library treats as a holiday.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", "Not a working day"
        WORKING = "working", "A working day after all"

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120, help_text="For example, 'Council closure' or 'Royal wedding'.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.name} ({self.get_kind_display()})"
