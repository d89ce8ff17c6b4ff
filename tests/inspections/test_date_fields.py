"""Day/month/year dates: every message names the date, and a mistyped year is refused in words.

Working days are known for 1900 to 2100 only (the `holidays` data), so a date outside that range
would fail later, when a deadline is counted from it; the form refuses it first.
"""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from inspections.forms import GovDateField
from readiness import roles


class _Form(forms.Form):
    due_on = GovDateField(phrase="the due date", label="Due date", required=True)


def _errors(day, month, year) -> list[str]:
    form = _Form(data={"due_on_0": day, "due_on_1": month, "due_on_2": year})
    return [] if form.is_valid() else form.errors["due_on"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("4", "1", "2206"), "The due date must be between 1900 and 2100; check the year"),
        (("4", "1", "1899"), "The due date must be between 1900 and 2100; check the year"),
        (("4", "1", "26"), "The due date must include a year with 4 numbers"),
        (("31", "2", "2026"), "The due date must be a real date"),
        (("", "", ""), "Enter the due date"),
    ],
)
def test_bad_dates_are_refused_in_words(parts, message):
    assert _errors(*parts) == [message]


@pytest.mark.parametrize("parts", [("1", "1", "1900"), ("31", "12", "2100"), ("4", "1", "2027")])
def test_dates_the_calendar_knows_are_accepted(parts):
    form = _Form(data=dict(zip(("due_on_0", "due_on_1", "due_on_2"), parts, strict=True)))
    assert form.is_valid()
    assert isinstance(form.cleaned_data["due_on"], dt.date)


@pytest.mark.django_db
def test_an_inspection_with_a_mistyped_year_gets_an_error_summary_not_a_crash(client_for):
    from tests.factories.inspections import framework

    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(
        reverse("inspections:inspection-create"),
        {
            "title": "Typo",
            "kind": "actual",
            "framework": framework("ilacs-2023").pk,
            "onsite_start_on_0": "4",
            "onsite_start_on_1": "1",
            "onsite_start_on_2": "2207",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "check the year" in html


@pytest.mark.django_db
def test_casework_dates_use_the_same_rules(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    html = pm.get(
        reverse("casework:annex-a-check"), {"as_of_0": "29", "as_of_1": "11", "as_of_2": "26"}
    ).content.decode()
    assert "Date of the return must include a year with 4 numbers" in html


@pytest.mark.django_db
def test_the_model_refuses_a_year_the_calendar_does_not_know_whatever_the_form():
    """The admin and scripts bypass the form; `full_clean` still names the date."""
    from django.core.exceptions import ValidationError

    from tests.factories.inspections import InspectionFactory

    inspection = InspectionFactory.build(
        onsite_start_on=dt.date(2207, 1, 4), onsite_end_on=dt.date(2207, 1, 15)
    )
    with pytest.raises(ValidationError) as refused:
        inspection.clean()
    assert "check the year" in refused.value.message_dict["onsite_start_on"][0]
    assert "check the year" in refused.value.message_dict["onsite_end_on"][0]
