"""Dashboard pages: the inspection control room (and its HTMX panel), the readiness overview,
self-evaluation, and notification preferences. The DCS page and board home live in
readiness.views.pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, TemplateView

from readiness.dashboards import selectors, services
from readiness.dashboards.forms import NotificationPreferenceForm, SelfEvaluationAnswerForm
from readiness.dashboards.selectors.control_room import next_inspection, preview_day, preview_inspection

ANSWERS_SAVED = "Answers saved for '{area}'"
PREFERENCE_SAVED = "Your choice has been saved"
EXPORT_REQUESTED = "Your self-evaluation document is being made. This page will show when it is ready."


def _whole_number(text: str | None) -> int | None:
    """A whole number from a query parameter, or None if it is missing, not a number or absurd."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


class ControlRoomMixin(PermissionRequiredMixin):
    """The room for the inspection on site today (actual before mock), or, with
    `?preview=<inspection pk>&day=<n>`, as it will look on that inspection's Nth working day on site."""

    permission_required = "readiness.view_dashboard"
    raise_exception = True

    def control_room_context(self) -> dict:
        if "preview" in self.request.GET:
            return self.preview_context()
        today = timezone.localdate()
        inspection = selectors.live_inspection(today=today)
        if inspection is None:
            from inspections.selectors import inspection_latest

            return {
                "room": None,
                "latest": inspection_latest(),
                "next": next_inspection(today=today),
            }
        return {"room": selectors.control_room(inspection=inspection, today=today)}

    def preview_context(self) -> dict:
        """The room for one inspection on one of its on-site days; 404 if it cannot have a room.

        A day that is not a whole number within the on-site days shows day 1, with a message.
        """
        from inspections.selectors import working_calendar

        pk = _whole_number(self.request.GET.get("preview"))
        inspection = preview_inspection(pk=pk) if pk else None
        if inspection is None:
            raise Http404("No inspection with an on-site start has this number")
        raw_day = self.request.GET.get("day", "").strip()
        # No day means day 1; text that is not a whole number is a day outside the on-site days.
        requested = (_whole_number(raw_day) or 0) if raw_day else None
        calendar = working_calendar()
        try:
            day = preview_day(inspection=inspection, day=requested, calendar=calendar)
            now = timezone.make_aware(dt.datetime.combine(day.date, timezone.localtime().time()))
            room = selectors.control_room(inspection=inspection, today=day.date, now=now, calendar=calendar)
        except ValueError as exc:  # on-site dates beyond the working-day calendar (a mistyped year)
            raise Http404("This inspection's on-site dates are outside the working-day calendar") from exc
        return {
            "room": room,
            "preview": day,
            "preview_query": urlencode({"preview": inspection.pk, "day": day.number}),
        }


class ControlRoomView(ControlRoomMixin, TemplateView):
    template_name = "readiness/dashboards/control_room.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.control_room_context(), **kwargs)


class ControlRoomPanelView(ControlRoomMixin, View):
    """Only the panel, for HTMX to swap inside the page every 30 seconds (the preview's too)."""

    def get(self, request):
        return render(request, "readiness/dashboards/control_room.html#panel", self.control_room_context())


class IndicatorDetailView(PermissionRequiredMixin, TemplateView):
    """One indicator: definition, today's value, rule, trend (chart and table) and linked actions.

    Board members hold only `readiness.view_board_pages` and their home shows no indicators, so
    they are refused here like on the DCS page rather than shown suppressed counts.
    """

    permission_required = "readiness.view_dashboard"
    raise_exception = True
    template_name = "readiness/dashboards/indicator_detail.html"

    def get_context_data(self, **kwargs):
        from readiness.dashboards.selectors.indicator_detail import TREND_WEEKS, indicator_detail, trend_weeks

        weeks = trend_weeks(self.request.GET.get("weeks"))
        detail = indicator_detail(code=self.kwargs["indicator_code"], weeks=weeks)
        if detail is None:
            raise Http404("No indicator has this code")
        children_code = None
        if self.request.user.has_perm("casework.view_child_record"):
            from casework.indicator_views import registry_code_for_source

            children_code = registry_code_for_source(detail.source_path)
        return super().get_context_data(
            detail=detail,
            indicator=detail.indicator,
            trend_options=TREND_WEEKS,
            children_code=children_code,
            **kwargs,
        )


class ReadinessOverviewView(PermissionRequiredMixin, TemplateView):
    permission_required = "readiness.view_dashboard"
    raise_exception = True
    template_name = "readiness/dashboards/readiness_overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.readiness_overview(), **kwargs)


class SelfEvaluationListView(PermissionRequiredMixin, TemplateView):
    permission_required = "readiness.view_selfevaluationanswer"
    raise_exception = True
    template_name = "readiness/dashboards/self_evaluation_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            self_evaluations=list(selectors.self_evaluation_list()),
            calibration=selectors.calibration(),
            **kwargs,
        )


def _self_evaluation(self_evaluation_pk: int):
    from inspections.models import Inspection

    return get_object_or_404(
        Inspection.objects.select_related("framework"),
        pk=self_evaluation_pk,
        kind=Inspection.Kind.SELF_EVALUATION,
    )


class SelfEvaluationDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "readiness.view_selfevaluationanswer"
    raise_exception = True
    template_name = "readiness/dashboards/self_evaluation_detail.html"

    def get_context_data(self, **kwargs):
        inspection = _self_evaluation(self.kwargs["self_evaluation_pk"])
        return super().get_context_data(
            inspection=inspection,
            areas=selectors.self_evaluation_areas(inspection=inspection),
            changes=selectors.self_evaluation_changes(inspection=inspection),
            **kwargs,
        )


class SelfEvaluationAnswerView(PermissionRequiredMixin, FormView):
    permission_required = ("readiness.view_selfevaluationanswer", "readiness.change_selfevaluationanswer")
    raise_exception = True
    template_name = "readiness/dashboards/self_evaluation_answer.html"
    form_class = SelfEvaluationAnswerForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.inspection = None
        self.area = None

    def _load(self):
        if self.inspection is None:
            self.inspection = _self_evaluation(self.kwargs["self_evaluation_pk"])
            self.area = get_object_or_404(
                self.inspection.framework.areas.filter(graded=True), code=self.kwargs["area_code"]
            )
        return self.inspection, self.area

    def get_initial(self):
        from readiness.dashboards.models import SelfEvaluationAnswer

        inspection, area = self._load()
        answer = SelfEvaluationAnswer.objects.filter(inspection=inspection, area=area).first()
        if answer is None:
            return {}
        return {
            "what_we_know": answer.what_we_know,
            "how_we_know": answer.how_we_know,
            "what_next": answer.what_next,
        }

    def get_context_data(self, **kwargs):
        inspection, area = self._load()
        return super().get_context_data(inspection=inspection, area=area, **kwargs)

    def form_valid(self, form):
        inspection, area = self._load()
        try:
            services.self_evaluation_answer_save(
                inspection=inspection, area=area, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, ANSWERS_SAVED.format(area=area.name))
        return redirect("readiness:self-evaluation-detail", self_evaluation_pk=inspection.pk)


# Not inside the request's transaction: the report must be committed before its task is sent.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class SelfEvaluationExportView(PermissionRequiredMixin, View):
    permission_required = ("readiness.view_selfevaluationanswer", "readiness.add_report")
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, self_evaluation_pk):
        from readiness.models import Report
        from readiness.reports.services import report_request

        inspection = _self_evaluation(self_evaluation_pk)
        try:
            report = report_request(
                kind=Report.Kind.SELF_EVALUATION, parameters={"inspection": inspection.pk}, user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("readiness:self-evaluation-detail", self_evaluation_pk=inspection.pk)
        messages.success(request, EXPORT_REQUESTED)
        return redirect(report)


class NotificationPreferenceView(PermissionRequiredMixin, FormView):
    """Each user's e-mail choices: only those e-mails their role can get; 403 when there are none."""

    # choice -> any one of these permissions lets the user get that e-mail
    CHOICE_PERMISSIONS = {
        "daily_digest": ("readiness.view_dashboard",),
        "action_reminders": ("readiness.view_dashboard",),
        # Auditors get their own audits (and the actions those audits found); moderators, separately,
        # the audits waiting for them. Someone who does both chooses each.
        "case_audit_reminders": ("casework.change_caseaudit",),
        "moderation_reminders": ("casework.moderate_audits",),
    }
    raise_exception = True
    template_name = "readiness/dashboards/notification_preferences.html"
    form_class = NotificationPreferenceForm

    def choices(self) -> tuple[str, ...]:
        user = self.request.user
        return tuple(
            name for name, perms in self.CHOICE_PERMISSIONS.items() if any(user.has_perm(p) for p in perms)
        )

    def has_permission(self) -> bool:
        return bool(self.choices())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": self.choices()}

    def get_initial(self):
        from readiness.dashboards.models import NotificationPreference

        preference = NotificationPreference.objects.filter(user=self.request.user).first()
        return {
            name: "yes" if preference is None or getattr(preference, name) else "no"
            for name in self.CHOICE_PERMISSIONS
        }

    def form_valid(self, form):
        services.notification_preference_set(
            user=self.request.user,
            **{name: form.cleaned_data.get(name) for name in self.CHOICE_PERMISSIONS},
        )
        messages.success(self.request, PREFERENCE_SAVED)
        return redirect("readiness:notification-preferences")
