"""The on-site log: one page per inspection with four quick add forms and lists, plus change and close.

A concern's child reference is shown, and can be entered, only by users holding
`casework.view_child_record`, checked by name so this layer imports nothing from casework.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from inspections import services
from inspections.forms import ConcernForm, DailyNoteForm, DataRequestForm, MeetingForm
from inspections.models import Concern, DailyNote, DataRequest, Meeting
from inspections.views.base import VIEW, InspectionMixin, add_service_errors

CHILD_RECORD_PERMISSION = "casework.view_child_record"
LOG_PERMISSIONS = (VIEW, "inspections.view_dailynote")
DELETED = "{noun} deleted"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def can_see_child(user) -> bool:
    return user.has_perm(CHILD_RECORD_PERMISSION)


def log_url(inspection, anchor: str = "") -> str:
    url = reverse("inspections:onsite-log", kwargs={"inspection_pk": inspection.pk})
    return f"{url}#{anchor}" if anchor else url


class OnsiteLogView(InspectionMixin, TemplateView):
    permission_required = LOG_PERMISSIONS
    template_name = "inspections/onsite_log.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        inspection = self.inspection
        sections = []
        for spec in SECTIONS:
            if not user.has_perm(f"inspections.view_{spec.codename}"):
                continue
            form = None
            if user.has_perm(f"inspections.add_{spec.codename}"):
                form = spec.form_class(**spec.form_kwargs(user))
                form.helper.form_tag = False
            rows = spec.model.objects.filter(inspection=inspection)
            if spec.model is DataRequest:
                rows = rows.select_related("owner")
            sections.append(
                {
                    "spec": spec,
                    "form": form,
                    "rows": list(rows),
                    "can_change": user.has_perm(f"inspections.change_{spec.codename}"),
                    "can_delete": user.has_perm(f"inspections.delete_{spec.codename}"),
                }
            )
        return super().get_context_data(sections=sections, can_see_child=can_see_child(user), **kwargs)


class Section:
    """What differs between the four kinds of entry."""

    def __init__(self, model, form_class, codename: str, noun: str, anchor: str, title: str, url_part: str):
        self.model = model
        self.form_class = form_class
        self.codename = codename
        self.noun = noun
        self.anchor = anchor
        self.title = title
        self.url_part = url_part
        self.create_name = f"inspections:{codename}-create"
        self.update_name = f"inspections:{codename}-update"
        self.delete_name = f"inspections:{codename}-delete"
        self.noun_with_article = f"this {noun}"
        self.delete_button = f"Delete {noun}"

    def form_kwargs(self, user) -> dict:
        return {"can_see_child": can_see_child(user)} if self.model is Concern else {}


SECTIONS = (
    Section(DailyNote, DailyNoteForm, "dailynote", "daily note", "daily-notes", "Daily notes", "note"),
    Section(
        DataRequest,
        DataRequestForm,
        "datarequest",
        "data request",
        "data-requests",
        "Data requests",
        "request",
    ),
    Section(Meeting, MeetingForm, "meeting", "meeting", "meetings", "Meetings and interviews", "meeting"),
    Section(Concern, ConcernForm, "concern", "concern", "concerns", "Concerns raised", "concern"),
)
SECTION_BY_MODEL = {spec.model: spec for spec in SECTIONS}


class EntryMixin(InspectionMixin):
    """Add or change one entry of one section; `section` is set by the subclass."""

    section: Section
    template_name = "inspections/onsite_entry_form.html"
    action = "add"

    def get_permission_required(self):
        return (VIEW, f"inspections.{self.action}_{self.section.codename}")

    @cached_property
    def entry(self):
        if "entry_pk" not in self.kwargs:
            return self.section.model(inspection=self.inspection)
        return get_object_or_404(self.section.model, inspection=self.inspection, pk=self.kwargs["entry_pk"])

    def get_form_class(self):
        return self.section.form_class

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), **self.section.form_kwargs(self.request.user)}
        if self.entry.pk:
            kwargs["instance"] = self.entry
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            entry=self.entry,
            back_url=log_url(self.inspection, self.section.anchor),
            **kwargs,
        )

    def form_valid(self, form):
        adding = self.entry.pk is None
        try:
            services.onsite_entry_save(entry=self.entry, data=form.service_data(), user=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        noun = self.section.noun
        messages.success(self.request, f"{noun[0].upper()}{noun[1:]} {'added' if adding else 'saved'}")
        return redirect(log_url(self.inspection, self.section.anchor))


def _entry_views(spec: Section) -> tuple[type, type]:
    create = type(
        f"{spec.model.__name__}CreateView", (EntryMixin, FormView), {"section": spec, "action": "add"}
    )
    update = type(
        f"{spec.model.__name__}UpdateView", (EntryMixin, FormView), {"section": spec, "action": "change"}
    )
    return create, update


class EntryDeleteMixin(EntryMixin):
    """Ask to confirm (GET), then delete (POST) one entry of the inspection in the URL."""

    template_name = "inspections/onsite_entry_confirm_delete.html"
    action = "delete"

    def post(self, request, *args, **kwargs):
        services.onsite_entry_delete(entry=self.entry, user=request.user)
        messages.success(request, DELETED.format(noun=_capital(self.section.noun)))
        return redirect(log_url(self.inspection, self.section.anchor))


def _delete_view(spec: Section) -> type:
    return type(f"{spec.model.__name__}DeleteView", (EntryDeleteMixin, TemplateView), {"section": spec})


DailyNoteCreateView, DailyNoteUpdateView = _entry_views(SECTIONS[0])
DataRequestCreateView, DataRequestUpdateView = _entry_views(SECTIONS[1])
MeetingCreateView, MeetingUpdateView = _entry_views(SECTIONS[2])
ConcernCreateView, ConcernUpdateView = _entry_views(SECTIONS[3])
DailyNoteDeleteView, DataRequestDeleteView, MeetingDeleteView, ConcernDeleteView = map(_delete_view, SECTIONS)


class DataRequestCloseView(InspectionMixin, View):
    """POST only: mark a data request closed."""

    permission_required = (VIEW, "inspections.change_datarequest")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        data_request = get_object_or_404(DataRequest, inspection=self.inspection, pk=kwargs["entry_pk"])
        services.data_request_close(data_request=data_request, user=request.user)
        messages.success(request, "Data request closed")
        return redirect(log_url(self.inspection, "data-requests"))


class ConcernCloseView(InspectionMixin, View):
    """POST only: close a concern now, or reopen it (`reopen=1`)."""

    permission_required = (VIEW, "inspections.change_concern")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        concern = get_object_or_404(Concern, inspection=self.inspection, pk=kwargs["entry_pk"])
        if request.POST.get("reopen"):
            services.concern_reopen(concern=concern, user=request.user)
            messages.success(request, "Concern reopened")
        else:
            services.concern_close(concern=concern, user=request.user)
            messages.success(request, "Concern closed")
        return redirect(log_url(self.inspection, "concerns"))
