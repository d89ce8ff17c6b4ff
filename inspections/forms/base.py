"""The shared GOV.UK pieces of the inspections forms: the base form, day/month/year dates, times.

Forms check the shape of what was typed; the rules (date order, judgement rules) live in the
models and services, and the views put their messages back on the fields named.
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.working_days.dates import MAX_DATE, MIN_DATE

ENTER_TIME = "{label} must be a time, like 09:30 or 14:00"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class GovDateField(DateInputField):
    """A day/month/year date whose every message names the date ("The first on-site day must ...")."""

    def __init__(self, *, phrase: str, required: bool = False, **kwargs):
        super().__init__(require_all_fields=False, required=required, **kwargs)
        self.phrase = _capital(phrase)
        self.error_messages = {
            "required": f"Enter {phrase}",
            "incomplete": f"{self.phrase} must include a day, month and year",
            "invalid": f"{self.phrase} must be a real date",
        }
        for sub, part in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.error_messages["incomplete"] = f"{self.phrase} must include a {part}"
            sub.validators = []
        self.widget.attrs.setdefault("inputmode", "numeric")

    def compress(self, data_list):
        day, month, year = (list(data_list) + [None, None, None])[:3]
        if not (day and month and year):
            return None
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(f"{self.phrase} must include a year with 4 numbers", code="invalid")
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Working days are known for 1900 to 2100 only: a mistyped year (2206 for 2026) is refused
        # here, in words, rather than failing when a deadline is counted from it.
        if not MIN_DATE <= value <= MAX_DATE:
            raise ValidationError(
                f"{self.phrase} must be between {MIN_DATE.year} and {MAX_DATE.year}; check the year",
                code="out_of_range",
            )
        return value


def _parse_time(value: str, label: str) -> dt.time | None:
    value = (value or "").strip().lower().replace(".", ":")
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(ENTER_TIME.format(label=label), code="invalid")
    return dt.time(int(match[1]), int(match[2]))


def _aware(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(9, 0)))


def _local_parts(value: dt.datetime | None) -> tuple[dt.date | None, str]:
    if value is None:
        return None, ""
    local = timezone.localtime(value)
    return local.date(), f"{local:%H:%M}"


class GovForm(forms.Form):
    """A form with a crispy-forms-gds helper; subclasses give `layout()` and the button text."""

    submit_text = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Every page writes its own <form> and {% csrf_token %}; crispy's would nest inside it.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout(), Button("submit", self.submit_text))

    def layout(self) -> list:
        return [Field(name) for name in self.fields]
