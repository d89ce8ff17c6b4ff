"""Every text-like input in error has the GOV.UK red border (`govuk-input--error`), not only the plain
text inputs crispy-forms-gds marks itself: e-mail, password, number and link inputs across the
project's forms, whatever their base class (inspections/forms/rendering.py)."""

import re

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template

from casework.forms import EscalationForm, SampleDrawForm
from inspections.forms.rendering import INPUT_ERROR_CLASS
from readiness.forms import GovukPasswordChangeForm, SignInForm
from readiness.people.forms import PersonCreateForm, PersonDetailsForm
from readiness.plans.forms import EvidenceForm

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input\b[^>]*>", re.S)


def _classes(form, name: str) -> list[str]:
    """The classes of the input named `name` as the page renders it: {% crispy form %}."""
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    (tag,) = [tag for tag in INPUT.findall(html) if f'name="{name}"' in tag]
    return re.search(r'class="([^"]*)"', tag).group(1).split()


@pytest.mark.parametrize(
    ("make_form", "name"),
    [
        (lambda: SignInForm(data={"username": "jsmith", "password": ""}), "password"),
        (lambda: GovukPasswordChangeForm(User(username="jsmith"), data={}), "old_password"),
        (lambda: GovukPasswordChangeForm(User(username="jsmith"), data={}), "new_password1"),
        (lambda: PersonCreateForm(data={"email": "not-an-address", "password": ""}), "email"),
        (lambda: PersonCreateForm(data={"email": "not-an-address", "password": ""}), "password"),
        (lambda: PersonDetailsForm(data={"email": "not-an-address"}, person=User()), "email"),
        (lambda: EscalationForm(data={"manager_email": "not-an-address"}), "manager_email"),
        (lambda: SampleDrawForm(data={"size": "twelve"}), "size"),
        (lambda: EvidenceForm(data={"title": "Minutes", "url": "not a link"}), "url"),
    ],
    ids=[
        "sign-in password",
        "current password",
        "new password",
        "add person e-mail",
        "add person password",
        "person details e-mail",
        "escalation e-mail",
        "sample size number",
        "evidence link",
    ],
)
def test_an_input_in_error_has_the_error_border(make_form, name):
    form = make_form()
    assert name in form.errors  # the field is in error, so the border must show
    classes = _classes(form, name)
    assert INPUT_ERROR_CLASS in classes
    assert "govuk-input" in classes  # crispy-forms-gds' own class is kept


def test_the_border_is_added_once_and_only_to_fields_in_error():
    form = PersonCreateForm(data={"username": "", "first_name": "Jo", "email": "not-an-address"})
    assert _classes(form, "username").count(INPUT_ERROR_CLASS) == 1  # crispy-forms-gds marks text inputs
    assert INPUT_ERROR_CLASS not in _classes(form, "first_name")
    assert "govuk-input--width-20" in _classes(form, "password")  # the widget's own classes stay


def test_radios_in_error_do_not_get_the_text_box_border():
    form = PersonCreateForm(data={})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    radios = [tag for tag in INPUT.findall(html) if 'type="radio"' in tag]
    assert radios and not any(INPUT_ERROR_CLASS in tag for tag in radios)
