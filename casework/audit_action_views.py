"""Actions for children found by case audits: the list, marking one as done, and reopening it.

Like the audit pages, every action is looked up through the audits the user may open
(`audit_action_list_for`), so an action on another auditor's audit is a 404 whatever the URL says,
and a role without the permission gets 403 before anything is looked up.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import FormView, ListView

from casework import audit_actions as services
from casework.audit_views import _errors_to_form
from casework.forms import AuditActionDoneForm, AuditActionReopenForm
from casework.models import Sample
from casework.selectors import AUDIT_ACTION_VIEWS, audit_action_list_for, audit_action_list_view

ACTION_DONE = "Action for {child_id} marked as done."
ACTION_REOPENED = "Action for {child_id} reopened."
DEFAULT_VIEW = "open"


class AuditActionListView(PermissionRequiredMixin, ListView):
    """Actions for children: an auditor sees those on their own audits; a moderator, and whoever
    oversees the programme (`view_every_audit`, the DCS), sees all."""

    permission_required = "casework.view_caseaudit"
    raise_exception = True
    paginate_by = 50
    template_name = "casework/audit_action_list.html"

    def _sample(self) -> Sample | None:
        # An unknown or malformed ?sample= (an old bookmark, a typo) is ignored, not an error.
        raw = self.request.GET.get("sample", "")
        if not raw.isdigit():
            return None
        return Sample.objects.filter(pk=int(raw)).first()

    def get_queryset(self):
        self.view = self.request.GET.get("show", DEFAULT_VIEW)
        if self.view not in AUDIT_ACTION_VIEWS:
            self.view = DEFAULT_VIEW
        self.sample = self._sample()
        self.today = timezone.localdate()
        actions, self.views = audit_action_list_view(
            user=self.request.user, view=self.view, today=self.today, sample=self.sample
        )
        return actions

    def get_context_data(self, **kwargs):
        extra = {"sample": self.sample.pk} if self.sample else {}
        return {
            **super().get_context_data(**kwargs),
            "today": self.today,
            "views": [
                (name, label, count, urlencode({"show": name, **extra})) for name, label, count in self.views
            ],
            "view": self.view,
            "view_label": AUDIT_ACTION_VIEWS[self.view],
            "sample": self.sample,
            "filters_qs": urlencode({"show": self.view, **extra}),
        }


class _ActionMixin(PermissionRequiredMixin):
    permission_required = "casework.change_caseauditaction"
    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # refuse before looking anything up: 403, never 404
            return self.handle_no_permission()
        # Scoped lookup: an action on another auditor's audit does not exist for this user (404).
        self.action = get_object_or_404(
            audit_action_list_for(user=request.user), pk=kwargs["audit_action_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self.action, "list_url": self.list_url()}

    def list_url(self) -> str:
        return reverse("casework:audit-action-list")


class AuditActionDoneView(_ActionMixin, FormView):
    """Record the date an action was done and what was done; today unless changed."""

    form_class = AuditActionDoneForm
    template_name = "casework/audit_action_done.html"

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.audit_action_complete(
                action=self.action, user=self.request.user, done_on=data["done_on"], note=data["note"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_DONE.format(child_id=self.action.audit.child.child_id))
        return redirect(f"{self.list_url()}?show=done")


class AuditActionReopenView(_ActionMixin, FormView):
    """Ask why (GET), then make a done action open again (POST)."""

    form_class = AuditActionReopenForm
    template_name = "casework/audit_action_reopen.html"

    def form_valid(self, form):
        try:
            services.audit_action_reopen(
                action=self.action, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_REOPENED.format(child_id=self.action.audit.child.child_id))
        return redirect(f"{self.list_url()}?show=open")
