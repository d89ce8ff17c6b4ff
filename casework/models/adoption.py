"""Adoption: adopter households (Annex A list 11) and the order of their steps."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


def normalise_adopter_reference(raw: object) -> str:
    """Return the one spelling of an adopter household's reference: trimmed and upper-cased."""
    return str(raw if raw is not None else "").strip().upper()


# A household's steps in the order they happen; each date, when known, is on or after the earlier ones.
ADOPTER_STEPS = (
    ("enquiry_on", "first enquiry"),
    ("registration_on", "registration of interest"),
    ("stage_one_on", "stage 1 start"),
    ("stage_two_on", "stage 2 start"),
    ("approved_on", "approval"),
    ("matched_on", "match"),
    ("placed_on", "placement"),
)


def adopter_date_problems(dates: dict[str, object]) -> dict[str, str]:
    """Return {field: plain-English problem} for dates out of order (the model's clean and the
    importer both use this). `dates` maps the date fields to dates or None."""
    problems: dict[str, str] = {}
    known: list[tuple[str, object]] = []
    for name, words in ADOPTER_STEPS:
        day = dates.get(name)
        if day is None:
            continue
        later = [(earlier, before) for earlier, before in known if before > day]
        if later:
            earlier, before = later[-1]
            problems[name] = (
                f"The {words} date ({day:%d/%m/%Y}) is before the {earlier} date ({before:%d/%m/%Y}); "
                f"a household's steps happen in order"
            )
        known.append((words, day))
    closed = dates.get("closed_on")
    if closed is not None and known:
        words, latest = max(known, key=lambda item: item[1])
        if latest > closed:
            problems["closed_on"] = (
                f"The closure date ({closed:%d/%m/%Y}) is before the {words} date ({latest:%d/%m/%Y}); "
                f"a household's record closes after its last step"
            )
    return problems


class AdopterHousehold(models.Model):
    """An individual or household in contact with the council's adoption agency (Annex A list 11).

    Pseudonymous reference only: never names, addresses or contact details.
    """

    class HouseholdType(models.TextChoices):
        SINGLE = "single", "Single adopter"
        COUPLE = "couple", "Couple"

    reference = models.CharField(
        max_length=40,
        unique=True,
        help_text="The agency's pseudonymous reference for the household, never a name.",
    )
    household_type = models.CharField(max_length=10, choices=HouseholdType.choices, blank=True)
    children_approved_for = models.PositiveSmallIntegerField(
        "number of children approved for",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    enquiry_on = models.DateField("first contact or enquiry", null=True, blank=True)
    registration_on = models.DateField("registration of interest", null=True, blank=True)
    stage_one_on = models.DateField("stage 1 started", null=True, blank=True)
    stage_two_on = models.DateField("stage 2 started", null=True, blank=True)
    approved_on = models.DateField("approved (panel and agency decision maker)", null=True, blank=True)
    matched_on = models.DateField("matched with a child", null=True, blank=True)
    placed_on = models.DateField("child placed", null=True, blank=True)
    closed_on = models.DateField("withdrawn or closed", null=True, blank=True)
    closed_reason = models.CharField("reason for withdrawal or closure", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reference=""), name="adopter_reference_not_blank"),
        ]

    def __str__(self) -> str:
        return f"Adopter household {self.reference}"

    def save(self, *args, **kwargs):
        self.reference = normalise_adopter_reference(self.reference)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.reference = normalise_adopter_reference(self.reference)
        problems = adopter_date_problems({name: getattr(self, name) for name in self.date_fields()})
        if self.closed_reason and self.closed_on is None:
            problems["closed_on"] = "Give the date the household withdrew or closed, as there is a reason"
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def date_fields() -> tuple[str, ...]:
        return (*(name for name, _ in ADOPTER_STEPS), "closed_on")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
