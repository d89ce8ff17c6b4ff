"""Casework: children and their journeys (pseudonymous IDs only, never names)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Child(models.Model):
    """A child known to children's services, identified only by the council's own child ID."""

    class Gender(models.TextChoices):
        MALE = "male", "Male"
        FEMALE = "female", "Female"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    child_id = models.CharField(
        "child ID", max_length=40, unique=True, help_text="The council's pseudonymous child ID, never a name."
    )
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=10, blank=True, help_text="DfE ethnicity code, e.g. WBRI.")
    disability = models.BooleanField(null=True, blank=True)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id"]
        verbose_name_plural = "children"
        permissions = [("view_child_record", "Can see child-level records")]

    def __str__(self) -> str:
        return self.child_id

    def save(self, *args, **kwargs):
        # IDs arrive from spreadsheets with stray spaces and mixed case; one spelling per child.
        self.child_id = self.child_id.strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("casework:child-detail", kwargs={"pk": self.pk})
