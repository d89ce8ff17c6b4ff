"""Forms of the dashboard pages (GOV.UK wording through crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms


class SelfEvaluationAnswerForm(forms.Form):
    what_we_know = forms.CharField(
        label="What do we know about the quality and impact of social work practice?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    how_we_know = forms.CharField(
        label="How do we know it?",
        help_text="Name the evidence: audits, indicators, feedback from children and families, visits.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    what_next = forms.CharField(
        label="What are our plans to maintain or improve practice?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("what_we_know", label_size=Size.SMALL),
            Field.textarea("how_we_know", label_size=Size.SMALL),
            Field.textarea("what_next", label_size=Size.SMALL),
            Button("submit", "Save answers"),
        )


NOTIFICATION_CHOICES = ("daily_digest", "action_reminders", "case_audit_reminders", "moderation_reminders")


def _reminder_choice(label: str, help_text: str) -> forms.TypedChoiceField:
    """A yes/no e-mail choice; not answered (an older form, say) leaves the choice as it is."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", "Yes, send them to me"), ("no", "No, do not send them")],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class NotificationPreferenceForm(forms.Form):
    daily_digest = forms.TypedChoiceField(
        label="Do you want the daily digest e-mail?",
        help_text="Sent at 7:30am on working days: yesterday's changes, red indicators, overdue actions "
        "and inspection milestones in the next 10 working days.",
        choices=[("yes", "Yes, send it to me"), ("no", "No, do not send it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    action_reminders = _reminder_choice(
        "Do you want reminders about improvement plan actions you own?",
        "Sent at 7am on working days, one e-mail listing your actions that are overdue or due "
        "in 5 working days. Nothing is sent when none are.",
    )
    case_audit_reminders = _reminder_choice(
        "Do you want reminders about the case audits you carry out?",
        "Sent just after 7am on working days, in one e-mail with any moderation reminders: "
        "your case audits that are overdue or due within 5 working days, and actions for children "
        "your audits found that are past their due date. Nothing is sent when there are none.",
    )
    moderation_reminders = _reminder_choice(
        "Do you want reminders about case audits waiting for your moderation?",
        "In the same morning e-mail: audits submitted more than 2 working days ago and not yet "
        "moderated (never your own). Nothing is sent when there are none.",
    )

    def __init__(self, *args, choices: tuple[str, ...] = NOTIFICATION_CHOICES, **kwargs):
        """Ask only about the e-mails this user can get (`choices`: field names)."""
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in choices]:
            del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(Field.radios(name, legend_size=Size.MEDIUM, legend_tag="h2") for name in self.fields),
            Button("submit", "Save"),
        )
