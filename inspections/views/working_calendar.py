"""The working calendar: bank holidays for the next 12 months and the council's own changes.

Adding or removing a local change goes through the same services as the admin's, so every
milestone is recomputed on commit and history records the user.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from inspections import selectors, services
from inspections.forms import NonWorkingDayForm
from inspections.models import NonWorkingDay
from inspections.views.base import Permission, add_service_errors

VIEW_CALENDAR = "inspections.view_nonworkingday"
ADD_CALENDAR = "inspections.add_nonworkingday"
DELETE_CALENDAR = "inspections.delete_nonworkingday"

ADDED = "{day} added to the calendar. Deadlines are being worked out again."
REMOVED = "{day} removed from the calendar. Deadlines are being worked out again."


class WorkingCalendarView(Permission, TemplateView):
    permission_required = VIEW_CALENDAR
    template_name = "inspections/calendar/working_calendar.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        end = today + dt.timedelta(days=365)
        changes = list(NonWorkingDay.objects.order_by("date"))
        worked = {c.date for c in changes if c.kind == NonWorkingDay.Kind.WORKING}
        holidays = [
            {"date": day.date, "name": day.name, "worked": day.date in worked}
            for day in selectors.bank_holidays_between(start=today, end=end)
        ]
        return super().get_context_data(
            today=today,
            end=end,
            holidays=holidays,
            closures=[c for c in changes if c.kind == NonWorkingDay.Kind.CLOSED],
            removals=[c for c in changes if c.kind == NonWorkingDay.Kind.WORKING],
            **kwargs,
        )


class NonWorkingDayCreateView(Permission, FormView):
    permission_required = ADD_CALENDAR
    template_name = "inspections/calendar/non_working_day_form.html"
    form_class = NonWorkingDayForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            day = services.non_working_day_add(
                date=data["date"], name=data["name"], kind=data["kind"], user=self.request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ADDED.format(day=selectors.long_date(day.date)))
        return redirect("inspections:nonworkingday-list")


class NonWorkingDayDeleteView(Permission, TemplateView):
    """GET asks for confirmation; only POST removes."""

    permission_required = DELETE_CALENDAR
    template_name = "inspections/calendar/non_working_day_confirm_delete.html"

    def get_day(self) -> NonWorkingDay:
        return get_object_or_404(NonWorkingDay, pk=self.kwargs["day_pk"])

    def get_context_data(self, **kwargs):
        day = self.get_day()
        return super().get_context_data(day=day, day_words=selectors.long_date(day.date), **kwargs)

    def post(self, request, *args, **kwargs):
        day = self.get_day()
        words = selectors.long_date(day.date)
        services.non_working_day_remove(non_working_day=day, user=request.user)
        messages.success(request, REMOVED.format(day=words))
        return redirect("inspections:nonworkingday-list")
