"""Casework forms (GOV.UK Design System through crispy-forms-gds)."""

from pathlib import PurePath

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import Q
from django.utils.html import escape

from casework.imports.reader import CSV_SUFFIXES, MAX_FILE_BYTES, XLSX_SUFFIXES, human_size
from casework.models import AuditGrade, Sample
from inspections.forms import GovDateField
from inspections.models import Inspection

FILE_REQUIRED = "Select a CSV or Excel file"
FILE_EMPTY = "The selected file is empty"
FILE_TOO_BIG = f"The selected file must be smaller than {human_size(MAX_FILE_BYTES)}"
FILE_WRONG_TYPE = "The selected file must be a CSV or an Excel workbook (.xlsx)"


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a case list",
        help_text="A CSV (UTF-8) or Excel workbook (.xlsx), up to 20 MB, with one row per event. "
        "Use pseudonymous child IDs only: columns such as Name or Address are refused.",
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY, "invalid": FILE_REQUIRED},
    )
    dry_run = forms.BooleanField(
        label="Check the file only: save nothing (dry run)",
        help_text="See every problem and what would change, without changing any record.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page supplies the <form> (multipart, novalidate)
        self.helper.layout = Layout(
            Field("file"),
            Field.checkbox("dry_run"),
            Button("submit", "Import file"),
        )
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG, code="too_big")
        if PurePath(upload.name).suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
            raise forms.ValidationError(FILE_WRONG_TYPE, code="wrong_type")
        return upload


# Samples and audits ----------------------------------------------------------------------------

SELECT_KIND = "Select the kind of sample"
ENTER_TITLE = "Enter a title for the sample"
ENTER_CHILDREN = "Enter the children in the sample, one per line"
ENTER_SIZE = "Enter how many children to draw"
SIZE_RANGE = "The number of children must be between 1 and 500"
ENTER_AS_OF = "Enter the date the children must be open on"
SAMPLE_FILE_REQUIRED = "Select a CSV file with the header child_id,cohort,out_of_borough"
SAMPLE_FILE_WRONG_TYPE = "The selected file must be a CSV file"
SAMPLE_FILE_TOO_BIG = "The selected file must be smaller than 1 MB"
SELECT_GRADE = "Select a grade from the list"
ENTER_REASON = "Enter why the child may be at risk now"
ENTER_MANAGER_NAME = "Enter the team manager's name"
ENTER_MANAGER_EMAIL = "Enter the team manager's email address in the correct format, like name@example.gov.uk"
ACTION_INCOMPLETE = "Enter the action, who will do it and when it is due, or leave all three empty"
SAMPLE_FILE_BYTES = 1024 * 1024


def _date_field(label: str, *, help_text: str = "", required: bool = False, phrase: str = "") -> GovDateField:
    """A GOV.UK day/month/year date whose messages name it by its label ("Action due must be ...").

    A label that does not read well after "Enter" ("Enter open on") gives its own `phrase`.
    """
    return GovDateField(phrase=phrase or label.lower(), label=label, help_text=help_text, required=required)


class SampleDetailsForm(forms.Form):
    """What every way of entering a sample asks first."""

    kind = forms.ChoiceField(
        label="Kind of sample",
        choices=Sample.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_KIND},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Mock inspection audit sample, April 2026.",
        error_messages={"required": ENTER_TITLE},
    )
    inspection = forms.ModelChoiceField(
        label="Inspection (optional)",
        queryset=Inspection.objects.none(),
        required=False,
        empty_label="Not for an inspection",
        help_text="For an inspection audit sample the audits are due on the first on-site day.",
    )
    due_on = _date_field("Audits due", help_text="For example, 27 3 2026.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.order_by("-onsite_start_on")

    def detail_layout(self):
        return (
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field("inspection"),
            Field("due_on"),
        )


class SampleForm(SampleDetailsForm):
    children = forms.CharField(
        label="Children",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="One child per line: child ID, cohort, out of borough. For example, C0012, "
        "looked_after, yes. Cohorts: help_and_protection, looked_after, care_leaver (or early_help).",
        error_messages={"required": ENTER_CHILDREN},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *self.detail_layout(), Field.textarea("children"), Button("submit", "Save sample")
        )

    def rows(self) -> list[dict]:
        """Return the children as rows for sample_check; `row` is the line number."""
        rows = []
        for number, line in enumerate(self.cleaned_data["children"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split(",")]
            cells += [""] * (3 - len(cells))
            rows.append({"child_id": cells[0], "cohort": cells[1], "out_of_borough": cells[2], "row": number})
        return rows


class SampleMembersForm(forms.Form):
    children = SampleForm.base_fields["children"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("children"), Button("submit", "Save children"))

    rows = SampleForm.rows


class SampleUploadForm(SampleDetailsForm):
    file = forms.FileField(
        label="Upload the sample",
        help_text="A CSV file (UTF-8) with the header child_id,cohort,out_of_borough and one row per child.",
        error_messages={
            "required": SAMPLE_FILE_REQUIRED,
            "empty": FILE_EMPTY,
            "invalid": SAMPLE_FILE_REQUIRED,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.detail_layout(), Field("file"), Button("submit", "Upload sample"))
        self.fields["file"].widget.attrs.update({"accept": ".csv"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SAMPLE_FILE_BYTES:
            raise forms.ValidationError(SAMPLE_FILE_TOO_BIG, code="too_big")
        if PurePath(upload.name).suffix.lower() not in CSV_SUFFIXES:
            raise forms.ValidationError(SAMPLE_FILE_WRONG_TYPE, code="wrong_type")
        return upload


class SampleDrawForm(forms.Form):
    title = SampleDetailsForm.base_fields["title"]
    as_of = _date_field(
        "Open on",
        help_text="Children open to the service on this date are drawn.",
        required=True,
        phrase=ENTER_AS_OF.removeprefix("Enter "),
    )
    size = forms.IntegerField(
        label="How many children",
        min_value=1,
        max_value=500,
        initial=12,
        error_messages={
            "required": ENTER_SIZE,
            "invalid": SIZE_RANGE,
            "min_value": SIZE_RANGE,
            "max_value": SIZE_RANGE,
        },
    )
    minimum_per_stratum = forms.IntegerField(
        label="At least this many from each cohort",
        min_value=0,
        max_value=50,
        initial=2,
        error_messages={"required": "Enter the minimum per cohort", "invalid": "Enter a whole number"},
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        help_text="Leave empty for a new draw. Enter the seed of an earlier draw to repeat it exactly.",
        error_messages={
            "invalid": "The seed must be a whole number",
            "min_value": "The seed must be 0 or more",
        },
    )
    due_on = _date_field("Audits due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field("as_of"),
            Field.text("size", field_width=4),
            Field.text("minimum_per_stratum", field_width=4),
            Field.text("seed", field_width=10),
            Field("due_on"),
            Button("submit", "Draw sample"),
        )


def auditor_choices():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    codename = "change_caseaudit"
    return (
        users.filter(Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename))
        .distinct()
        .order_by("first_name", "username")
    )


class SampleAssignForm(forms.Form):
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=None,
        empty_label="Select an auditor",
        help_text="Every child in the sample without an audit gets one, assigned to this auditor.",
        error_messages={"required": "Select the auditor", "invalid_choice": "Select the auditor"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditor_choices()
        self.fields["auditor"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("auditor"), Button("submit", "Assign audits"))


GRADE_CHOICES = AuditGrade.choices


OVERALL_AND_ACTION_FIELDS = (
    "overall_grade",
    "strengths",
    "areas_for_development",
    "action_text",
    "action_owner",
    "action_due_on",
)


class AuditForm(forms.Form):
    """One page per audit: a graded domain per fieldset, the overall grade, and an optional action."""

    overall_grade = forms.ChoiceField(
        label="Overall grade for the case",
        choices=GRADE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": SELECT_GRADE},
    )
    strengths = forms.CharField(label="Strengths", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    areas_for_development = forms.CharField(
        label="Areas for development", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    action_text = forms.CharField(
        label="Action for the child (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    action_owner = forms.CharField(label="Who will do it", max_length=200, required=False)
    action_due_on = _date_field("Action due")

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        fieldsets = []
        for domain in self.domains:
            self.fields[f"grade_{domain.code}"] = forms.ChoiceField(
                label=f"Grade for {domain.name.lower()}",
                choices=GRADE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": SELECT_GRADE},
            )
            self.fields[f"comment_{domain.code}"] = forms.CharField(
                label=f"Evidence for {domain.name.lower()}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            questions = "".join(f"<li>{escape(q)}</li>" for q in domain.questions)
            fieldsets.append(
                Fieldset(
                    HTML(f'<ul class="govuk-list govuk-list--bullet govuk-hint">{questions}</ul>'),
                    Field.radios(f"grade_{domain.code}", legend_size=Size.SMALL, small=True, inline=True),
                    Field.textarea(f"comment_{domain.code}"),
                    legend=domain.name,
                    legend_size=Size.MEDIUM,
                )
            )
        # The error summary lists errors in field order: put the domains first, as the page does.
        for name in OVERALL_AND_ACTION_FIELDS:
            self.fields[name] = self.fields.pop(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *fieldsets,
            Fieldset(
                Field.radios("overall_grade", legend_size=Size.SMALL, small=True, inline=True),
                Field.textarea("strengths"),
                Field.textarea("areas_for_development"),
                legend="Overall",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("action_text"),
                Field.text("action_owner"),
                Field("action_due_on"),
                legend="Add an action",
                legend_size=Size.MEDIUM,
            ),
            Button("save", "Save draft", css_class="govuk-button--secondary"),
            Button("submit", "Submit audit"),
        )

    def clean(self):
        data = super().clean()
        parts = [data.get("action_text"), data.get("action_owner"), data.get("action_due_on")]
        if any(parts) and not all(parts):
            self.add_error("action_text", ACTION_INCOMPLETE)
        return data

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            d.code: (
                self.cleaned_data.get(f"grade_{d.code}") or "",
                self.cleaned_data.get(f"comment_{d.code}") or "",
            )
            for d in self.domains
        }


class ModerationForm(forms.Form):
    moderator_grade = forms.ChoiceField(
        label="Moderated grade",
        choices=GRADE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the moderated grade", "invalid_choice": SELECT_GRADE},
    )
    agreement = forms.TypedChoiceField(
        label="Do you agree with the auditor's overall grade?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree with the auditor's grade"},
    )
    moderator_comment = forms.CharField(
        label="Moderator's comments", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("moderator_grade", legend_size=Size.SMALL, small=True),
            Field.radios("agreement", legend_size=Size.SMALL, small=True, inline=True),
            Field.textarea("moderator_comment"),
            Button("submit", "Save moderation"),
        )


class EscalationForm(forms.Form):
    reason = forms.CharField(
        label="Why may the child be at risk now?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Use the child ID only: no names.",
        error_messages={"required": ENTER_REASON},
    )
    manager_name = forms.CharField(
        label="Team manager's name", max_length=200, error_messages={"required": ENTER_MANAGER_NAME}
    )
    manager_email = forms.EmailField(
        label="Team manager's email address",
        error_messages={"required": ENTER_MANAGER_EMAIL, "invalid": ENTER_MANAGER_EMAIL},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason"),
            Field.text("manager_name"),
            Field.text("manager_email"),
            Button("submit", "Escalate now", css_class="govuk-button--warning"),
        )


class EscalationResponseForm(forms.Form):
    response = forms.CharField(
        label="Team manager's response",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the team manager's response"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("response"), Button("submit", "Record response"))


class AnnexAForm(forms.Form):
    as_of = _date_field(
        "Date of the return", help_text="Look-backs count back from this date.", required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("as_of"), Button("submit", "Download Annex A workbook"))


class AnnexACheckForm(AnnexAForm):
    """The same date, asked on a GET form: checking the return changes nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("as_of"), Button.secondary("check", "Check the return"))


# Actions for children ----------------------------------------------------------------------------

ENTER_DONE_NOTE = "Enter what was done"
ENTER_REOPEN_REASON = "Enter why the action is being reopened"


class AuditActionDoneForm(forms.Form):
    done_on = _date_field(
        "Date it was done",
        help_text="For example, 27 3 2026. It cannot be in the future.",
        required=True,
        phrase="the date it was done",
    )
    note = forms.CharField(
        label="What was done?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the social worker visited and saw the child alone. Use the child ID "
        "only: no names.",
        error_messages={"required": ENTER_DONE_NOTE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("done_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("note"),
            Button("submit", "Mark as done"),
        )


class AuditActionReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action being reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the visit was cancelled. The reason is kept in the action's history.",
        error_messages={"required": ENTER_REOPEN_REASON},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason"), Button("submit", "Reopen action", css_class="govuk-button--warning")
        )
