"""Forms of the improvement plan pages (GOV.UK wording through crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from inspections.forms import GovDateField, GovForm
from readiness.plans.models import Action, ImprovementPlan, Rag
from readiness.plans.rag import RAG_ORDER
from readiness.plans.selectors import ACTION_OWNER_PERMISSION, PLAN_OWNER_PERMISSION, users_holding
from readiness.plans.services import DUE_DATE_NEEDS_REASON, ENTER_UPDATE, OVERRIDE_NEEDS_REASON

ENTER_TITLE = "Enter a title for the plan"
ENTER_PRIORITY = "Enter the priority"
ENTER_DESCRIPTION = "Enter what will be done"
SELECT_PRIORITY = "Select the priority this action belongs to"
SELECT_RAG = "Select on track, at risk, off track or complete"
SELECT_FILE = "Choose a spreadsheet to import"
SELECT_SOURCE = "Select where the plan comes from"
LINK_OR_FILE = "Enter a link or choose a file"
LINK_AND_FILE = "Enter a link or choose a file, not both"

RAG_CHOICES = [(value, Rag(value).label) for value in RAG_ORDER]


def _user_choices(*, may: str | None = None, keep=None):
    """Active users by name; with `may`, only those holding that permission, and `keep` (a user's pk).

    An owner gets reminder e-mails with links to the plan's pages, so only someone who may open them
    is offered; the current owner stays in the list whoever they are, so saving never drops them.
    """
    users = users_holding(may, keep=keep) if may else get_user_model().objects.filter(is_active=True)
    users = users.order_by("first_name", "last_name", "username")
    return [("", "No owner yet"), *((u.pk, u.get_full_name() or u.get_username()) for u in users)]


class UserChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)


def _user_or_none(pk):
    return get_user_model().objects.filter(pk=pk).first() if pk else None


class PlanForm(GovForm):
    submit_text = "Save plan"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, 'Improvement plan after the 2019 ILACS inspection'.",
        error_messages={"required": ENTER_TITLE},
    )
    source = forms.ChoiceField(
        label="Where does the plan come from?",
        choices=ImprovementPlan.Source.choices,
        error_messages={"required": SELECT_SOURCE},
    )
    inspection = forms.TypedChoiceField(
        label="Inspection (optional)",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="For a new plan from an inspection, one priority is made for each recommendation.",
    )
    owner = UserChoiceField(label="Plan owner (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from inspections.models import Inspection

        inspections = Inspection.objects.order_by("-onsite_start_on", "-pk").values_list("pk", "title")
        self.fields["inspection"].choices = [("", "Not from an inspection"), *inspections]
        self.fields["owner"].choices = _user_choices(
            may=PLAN_OWNER_PERMISSION, keep=self.initial.get("owner")
        )

    def clean_inspection(self):
        from inspections.models import Inspection

        pk = self.cleaned_data["inspection"]
        return Inspection.objects.filter(pk=pk).first() if pk else None

    def clean_owner(self):
        return _user_or_none(self.cleaned_data["owner"])

    def layout(self):
        return [
            Field.text("title"),
            Field.radios("source"),
            Field.select("inspection"),
            Field.select("owner"),
        ]


class PlanUpdateForm(PlanForm):
    status = forms.ChoiceField(
        label="Status", choices=ImprovementPlan.Status.choices, widget=forms.RadioSelect
    )
    published_on = GovDateField(
        phrase="the date the plan was published", label="Date published", required=False
    )

    def layout(self):
        return [
            *super().layout(),
            Field.radios("status", legend_size=Size.SMALL),
            Field("published_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]


class PriorityForm(GovForm):
    submit_text = "Save priority"

    title = forms.CharField(
        label="Priority",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A recommendation or theme the plan answers.",
        error_messages={"required": ENTER_PRIORITY},
    )

    def layout(self):
        return [Field.textarea("title", rows=3)]


UNKNOWN_AUDIT = "There is no case audit number '{text}'. Enter the audit's number, for example 42"


def _shortened(text: str, limit: int = 90) -> str:
    """Text for a select option: whole up to `limit` characters, else cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _indicator_choices(*, current: str = "") -> list[tuple[str, str]]:
    from readiness.dashboards.models import Indicator

    choices = [("", "No indicator"), *Indicator.objects.order_by("order", "name").values_list("code", "name")]
    if current and current not in {code for code, _ in choices}:
        choices.append((current, f"{current} (no longer defined)"))
    return choices


class ActionForm(GovForm):
    submit_text = "Save action"

    priority = forms.TypedChoiceField(
        label="Priority", coerce=int, error_messages={"required": SELECT_PRIORITY}
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ENTER_DESCRIPTION},
    )
    owner = UserChoiceField(label="Owner", required=False, help_text="The person who reports progress.")
    lead_officer = forms.CharField(label="Lead officer (optional)", required=False, max_length=200)
    partner_agency = forms.CharField(label="Partner agency (optional)", required=False, max_length=200)
    start_on = GovDateField(phrase="the start date", label="Start date (optional)", required=False)
    due_on = GovDateField(phrase="the due date", label="Due date", required=True)
    due_on_reason = forms.CharField(
        label="Reason for changing the due date",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required if you change the due date. It is kept in the action's history.",
    )
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect)
    success_measure = forms.CharField(
        label="How will we know it worked? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator_code = forms.ChoiceField(
        label="Indicator that measures it (optional)",
        required=False,
        help_text="The dashboard shows this indicator's latest value and trend.",
    )
    indicator_target = forms.CharField(label="Target (optional)", required=False, max_length=200)
    source_audit_reference = forms.CharField(
        label="Case audit it comes from (optional)",
        required=False,
        max_length=100,
        help_text="The audit's number, for example 42. The action then links back to the audit.",
    )
    rag_override = forms.ChoiceField(
        label="Set the RAG status by hand (optional)",
        required=False,
        choices=[("", "No – work it out from the dates"), *RAG_CHOICES],
    )
    rag_override_reason = forms.CharField(
        label="Reason for setting the RAG status by hand",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plan: ImprovementPlan, action: Action | None = None, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [
            ("", "Select a priority"),
            *((p.pk, f"{p.order}. {_shortened(p.title)}") for p in plan.priorities.order_by("order")),
        ]
        self.fields["owner"].choices = _user_choices(
            may=ACTION_OWNER_PERMISSION, keep=self.initial.get("owner")
        )
        self.fields["indicator_code"].choices = _indicator_choices(
            current=action.indicator_code if action else ""
        )
        if action is None:
            del self.fields["due_on_reason"]
            self.helper.layout = Layout(*self.layout(), Button("submit", self.submit_text))

    def clean_owner(self):
        return _user_or_none(self.cleaned_data["owner"])

    def clean_source_audit_reference(self):
        """Accept an audit number ('42', '#42', 'audit 42') for an audit that exists."""
        from casework.models import CaseAudit

        text = self.cleaned_data["source_audit_reference"].strip()
        if not text:
            return ""
        number = text.lower().removeprefix("audit").strip().lstrip("#").strip()
        if not number.isdigit() or not CaseAudit.objects.filter(pk=int(number)).exists():
            raise forms.ValidationError(UNKNOWN_AUDIT.format(text=text), code="unknown_audit")
        return number

    def clean(self):
        data = super().clean()
        due = data.get("due_on")
        if self.action is not None and due and due != self.action.due_on:
            if not (data.get("due_on_reason") or "").strip():
                self.add_error("due_on_reason", DUE_DATE_NEEDS_REASON)
        if data.get("rag_override") and not (data.get("rag_override_reason") or "").strip():
            self.add_error("rag_override_reason", OVERRIDE_NEEDS_REASON)
        return data

    def layout(self):
        small = {"legend_size": Size.for_legend(Size.SMALL)}
        fields = [
            Field.select("priority"),
            Field.textarea("description", rows=3),
            Field.select("owner"),
            Field.text("lead_officer"),
            Field.text("partner_agency"),
            Field("start_on", context=small),
            Field("due_on", context=small),
        ]
        if "due_on_reason" in self.fields:
            fields.append(Field.textarea("due_on_reason", rows=2))
        return [
            *fields,
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("success_measure", rows=2),
            Field.select("indicator_code"),
            Field.text("indicator_target"),
            Field.text("source_audit_reference"),
            Field.select("rag_override"),
            Field.textarea("rag_override_reason", rows=2),
        ]


class ProgressUpdateForm(GovForm):
    submit_text = "Add update"

    date = GovDateField(phrase="the date of the update", label="Date of the update", required=True)
    text = forms.CharField(
        label="What has happened since the last update?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ENTER_UPDATE},
    )
    rag = forms.ChoiceField(
        label="RAG status",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_RAG},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def layout(self):
        return [
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("text", rows=4),
            Field.radios("rag", legend_size=Size.SMALL),
        ]


class EvidenceForm(GovForm):
    submit_text = "Add evidence"

    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    url = forms.URLField(
        label="Link (optional)",
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={"invalid": "Enter a link in the right format, like https://intranet.example/minutes"},
    )
    file = forms.FileField(label="Or upload a file (optional)", required=False, help_text="At most 10 MB.")

    MAX_BYTES = 10 * 1024 * 1024

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file") and not ({"url", "file"} & self.errors.keys()):
            self.add_error("url", LINK_OR_FILE)
        elif data.get("url") and data.get("file"):
            self.add_error("url", LINK_AND_FILE)
        upload = data.get("file")
        if upload is not None and upload.size > self.MAX_BYTES:
            self.add_error("file", "The file must be smaller than 10 MB")
        return data

    def layout(self):
        return [Field.text("title"), Field.text("url"), Field("file")]


class ActionFilterForm(forms.Form):
    owner = forms.TypedChoiceField(label="Owner", coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Action.Status.choices]
    )
    priority = forms.TypedChoiceField(label="Priority", coerce=int, empty_value=None, required=False)
    rag = forms.ChoiceField(label="RAG", required=False, choices=[("", "Any RAG"), *RAG_CHOICES])
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, plan: ImprovementPlan | None = None, owner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if owner:
            self.fields["owner"].choices = [("", "Anyone"), *_user_choices()[1:]]
        else:
            del self.fields["owner"]
        if plan is not None:
            self.fields["priority"].choices = [
                ("", "Any priority"),
                *((p.pk, f"Priority {p.order}") for p in plan.priorities.order_by("order")),
            ]
        else:
            del self.fields["priority"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        names = [name for name in ("owner", "status", "priority", "rag") if name in self.fields]
        self.helper.layout = Layout(
            *(Field.select(name) for name in names),
            Field.checkbox("overdue"),
            Button.secondary("filter", "Apply filters"),
        )


class PlanImportForm(GovForm):
    submit_text = "Import plan"

    file = forms.FileField(
        label="Spreadsheet",
        help_text="CSV or Excel (.xlsx), one row per action: priority, action, owner, due date…",
        error_messages={"required": SELECT_FILE},
    )
    title = forms.CharField(
        label="Title of the plan", max_length=200, error_messages={"required": ENTER_TITLE}
    )
    source = forms.ChoiceField(label="Where does the plan come from?", choices=ImprovementPlan.Source.choices)
    inspection = forms.TypedChoiceField(
        label="Inspection (optional)", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from inspections.models import Inspection

        inspections = Inspection.objects.order_by("-onsite_start_on", "-pk").values_list("pk", "title")
        self.fields["inspection"].choices = [("", "Not from an inspection"), *inspections]

    def clean_inspection(self):
        from inspections.models import Inspection

        pk = self.cleaned_data["inspection"]
        return Inspection.objects.filter(pk=pk).first() if pk else None

    def layout(self):
        return [Field("file"), Field.text("title"), Field.radios("source"), Field.select("inspection")]
