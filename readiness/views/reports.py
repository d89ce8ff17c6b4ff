"""Report pages: list, request, progress (polled with HTMX), download and "Try again"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, ListView

from readiness.models import Report
from readiness.reports.forms import ReportRequestForm
from readiness.reports.selectors import report_list_visible_to, report_plan_title
from readiness.reports.services import BROKER_DOWN_NOTE, report_request, report_retry

REQUESTED_MESSAGE = "Your report is being made. This page will show when it is ready."
QUEUED_BROKER_DOWN_MESSAGE = BROKER_DOWN_NOTE
RETRY_MESSAGE = "Your report is being made again."
NOT_READY_MESSAGE = "This report is not ready to download."


class ReportPermissionMixin(PermissionRequiredMixin):
    permission_required = "readiness.view_report"
    raise_exception = True

    def get_report(self) -> Report:
        """Return the report in the URL if this user may see it; 404 for others (no IDOR hint)."""
        return get_object_or_404(report_list_visible_to(user=self.request.user), pk=self.kwargs["report_id"])


class ReportListView(ReportPermissionMixin, ListView):
    template_name = "readiness/report_list.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return report_list_visible_to(user=self.request.user).select_related("requested_by")


# Not inside the request's transaction: the report must be committed (and the task sent) before
# the response, so the page can say at once whether background work took it.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ReportRequestView(ReportPermissionMixin, FormView):
    permission_required = ("readiness.view_report", "readiness.add_report")
    template_name = "readiness/report_request.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            report = report_request(
                kind=form.cleaned_data["kind"], parameters=form.parameters(), user=self.request.user
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"kind": exc.messages}
            for name, messages_ in errors.items():
                form.add_error(name if name in form.fields else "kind", messages_)
            return self.form_invalid(form)
        report.refresh_from_db()
        if report.note:
            messages.warning(self.request, QUEUED_BROKER_DOWN_MESSAGE)
        else:
            messages.success(self.request, REQUESTED_MESSAGE)
        return redirect(report)


class ReportDetailView(ReportPermissionMixin, View):
    template_name = "readiness/report_detail.html"

    def get(self, request, report_id):
        report = self.get_report()
        context = {"report": report, "plan_title": report_plan_title(report=report)}
        return render(request, self.template_name, context)


class ReportStatusView(ReportPermissionMixin, View):
    """The status panel alone, for HTMX to swap in every two seconds while the report is made."""

    def get(self, request, report_id):
        report = self.get_report()
        return render(request, "readiness/report_detail.html#status", {"report": report})


class ReportDownloadView(ReportPermissionMixin, View):
    def get(self, request, report_id):
        report = self.get_report()
        if report.status != Report.Status.READY or not report.file:
            raise Http404(NOT_READY_MESSAGE)
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404(NOT_READY_MESSAGE) from None
        response = FileResponse(
            handle, as_attachment=True, filename=download_name(report), content_type="application/pdf"
        )
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ReportRetryView(ReportPermissionMixin, View):
    permission_required = ("readiness.view_report", "readiness.add_report")
    http_method_names = ["post"]

    def post(self, request, report_id):
        report = self.get_report()
        try:
            report = report_retry(report=report, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(report)
        report.refresh_from_db()
        if report.note:
            messages.warning(request, QUEUED_BROKER_DOWN_MESSAGE)
        else:
            messages.success(request, RETRY_MESSAGE)
        return redirect(report)


def download_name(report: Report) -> str:
    """Chosen by the server: council, kind, date and number; nothing a user typed."""
    from django.conf import settings

    made = report.finished_at or report.requested_at
    return f"{slugify(settings.COUNCIL_NAME)}-{report.kind}-{made:%Y-%m-%d}-{report.pk}.pdf"
