"""Forms of the people pages (GOV.UK wording through crispy-forms-gds). They check the shape of what
was typed; the rules (a free username, the password validators, the last administrator) live in
readiness/people/services.py, whose errors the views put on these forms' fields."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from inspections.forms import GovForm
from readiness import roles
from readiness.people.selectors import NO_ROLE, NO_ROLE_LABEL, STATUS_CHOICES
from readiness.people.services import person_create_problems, person_details_problems

ENTER_USERNAME = "Enter a username"
USERNAME_CHARACTERS = "Username must only include letters, numbers and @ . + - _"
ENTER_FIRST_NAME = "Enter their first name"
ENTER_LAST_NAME = "Enter their last name"
ENTER_EMAIL = "Enter their e-mail address"
EMAIL_FORMAT = "Enter an e-mail address in the correct format, like name@example.gov.uk"
SELECT_ROLE = "Select their role"
ENTER_PASSWORD = "Enter an initial password"  # noqa: S105 - an error message, not a password  # nosec B105

ROLE_HINTS = {
    roles.PERFORMANCE_MANAGER: "Frameworks, inspections, case data, samples, audits and improvement plans.",
    roles.DCS: "The daily page, the control room and the digest; sees every audit, read only.",
    roles.AUDITOR: "Carries out and moderates case audits.",
    roles.BOARD_MEMBER: "Aggregate pages and board summary PDFs only, never a child's record.",
    roles.ADMINISTRATOR: "Everything, plus these people pages and the Django admin.",
}
ROLE_CHOICES = [(role, role) for role in roles.ROLE_NAMES]
ROLE_RADIOS = [Choice(role, role, hint=ROLE_HINTS[role]) for role in roles.ROLE_NAMES]


def _role_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ROLE_RADIOS,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_ROLE, "invalid_choice": SELECT_ROLE},
    )


def _role_radios(legend_tag: str | None = None) -> Field:
    if legend_tag:
        return Field.radios("role", legend_tag=legend_tag, legend_size=Size.LARGE)
    return Field.radios("role", legend_size=Size.MEDIUM)


class PersonDetailsForm(GovForm):
    """A person's name and e-mail address; the add-person form asks for them the same way."""

    submit_text = "Save changes"

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": ENTER_FIRST_NAME,
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": ENTER_LAST_NAME,
            "max_length": "Last name must be 150 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="Reminders and the daily digest go here.",
        error_messages={"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
    )

    def __init__(self, *args, person=None, **kwargs):
        self.person = person  # whose details these are: their own address is not "taken"
        super().__init__(*args, **kwargs)

    def clean(self):
        """Ask the service what it would refuse, so that every problem is shown at once."""
        data = super().clean()
        for name, errors in self.problems(data).items():
            if name not in self.errors:
                self.add_error(name, errors)
        return data

    def problems(self, data: dict) -> dict:
        return person_details_problems(person=self.person, email=data.get("email") or "")

    def layout(self):
        return [
            Field.text("first_name", field_width=20, autocomplete="off"),
            Field.text("last_name", field_width=20, autocomplete="off"),
            Field.text("email", spellcheck="false", autocomplete="off"),
        ]


class PersonCreateForm(PersonDetailsForm):
    submit_text = "Add person"
    field_order = ["username", "first_name", "last_name", "email", "role", "password"]

    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in, for example jsmith. Letters, numbers and @ . + - _ only.",
        validators=[UnicodeUsernameValidator(message=USERNAME_CHARACTERS)],
        error_messages={"required": ENTER_USERNAME, "max_length": "Username must be 150 characters or fewer"},
    )
    role = _role_field("Role")
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(
            render_value=True, attrs={"autocomplete": "new-password", "class": "govuk-input--width-20"}
        ),
        help_text="At least 12 characters, and not a common password. Give it to them in person or by "
        "phone, never in the same e-mail as their username; they can change it once signed in.",
        error_messages={"required": ENTER_PASSWORD},
    )

    def problems(self, data: dict) -> dict:
        return person_create_problems(
            username=data.get("username") or "",
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            email=data.get("email") or "",
            password=data.get("password"),
        )

    def layout(self):
        return [
            Field.text("username", field_width=20, spellcheck="false", autocomplete="off"),
            *super().layout(),
            _role_radios(),
            Field.text("password", spellcheck="false"),  # its width is on the widget
        ]


class PersonRoleForm(GovForm):
    """One question a page: the legend is the h1 (WCAG H71)."""

    submit_text = "Change role"

    role = _role_field("Which role should they have?")

    def __init__(self, *args, legend: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if legend:
            self.fields["role"].label = legend

    def layout(self):
        return [_role_radios(legend_tag="h1")]


class PersonFilterForm(forms.Form):
    """Filters for the list, read from the query string; anything unknown is ignored, not an error."""

    q = forms.CharField(label="Name, username or e-mail", required=False, max_length=200)
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role"), *ROLE_CHOICES, (NO_ROLE, NO_ROLE_LABEL)],
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *STATUS_CHOICES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("q", field_width=20, spellcheck="false", autocomplete="off"),
            Field.select("role"),
            Field.select("status"),
            Button.secondary("filter", "Apply filters"),
        )

    def values(self) -> dict:
        """The valid filters only: one bad value (a typed-in URL) drops that filter, not the page."""
        self.is_valid()
        return {
            name: "" if name in self.errors else self.cleaned_data.get(name) or "" for name in self.fields
        }
