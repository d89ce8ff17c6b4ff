"""Evidence for an action: adding it, and downloading an uploaded file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView

from readiness.plans import services
from readiness.plans.forms import EvidenceForm
from readiness.plans.models import ActionEvidence
from readiness.plans.views.common import EVIDENCE_ADDED, ActionMixin, Permission, add_service_errors


class EvidenceCreateView(ActionMixin, FormView):
    permission_required = ("readiness.view_action", "readiness.add_actionevidence")
    template_name = "readiness/plans/evidence_form.html"
    form_class = EvidenceForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.evidence_add(
                action=self.action,
                title=data["title"],
                url=data["url"],
                file=data["file"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, EVIDENCE_ADDED)
        return redirect(self.action)


class EvidenceDownloadView(Permission, View):
    """Serve an uploaded evidence file to those who may see actions; never by its stored name."""

    permission_required = ("readiness.view_action", "readiness.view_actionevidence")

    def get(self, request, evidence_pk):
        evidence = get_object_or_404(ActionEvidence, pk=evidence_pk)
        if not evidence.file:
            return (
                redirect(evidence.url)
                if evidence.url.startswith(("https://", "http://"))
                else render(request, "404.html", status=404)
            )
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing") from None
        name = evidence.original_name.rsplit("/", 1)[-1] or f"evidence-{evidence.pk}"
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type="application/octet-stream"
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
