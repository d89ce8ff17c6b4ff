"""The deadlines page: every open deadline, grouped overdue / next 10 working days / later, and its CSV."""

from __future__ import annotations

import csv
import io

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from inspections.spreadsheet_cells import inert as safe_cell
from readiness import deadlines

PERMISSION = "readiness.view_dashboard"
PAGE_SIZE = 50
NEXT_90_DAYS = "90-days"
NEXT_12_MONTHS = "12-months"
PERIODS = [
    (NEXT_90_DAYS, "The next 90 days"),
    (NEXT_12_MONTHS, "The next 12 months"),
]
CSV_HEADER = ["Due date", "Kind", "What", "Belongs to", "Owner", "Status", "Working days", "Note", "Link"]
NOTHING_DUE = "Nothing is due"
NOTHING_DUE_TEXT = "There are no open deadlines, overdue or coming up, in the period you chose."
NOTHING_MATCHES_TEXT = (
    "No deadlines of the kinds you chose are open. Choose other kinds, or clear the filters."
)


class DeadlineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Kind of deadline",
        required=False,
        choices=list(deadlines.KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to see every kind.",
    )
    period = forms.ChoiceField(
        label="Show deadlines due in",
        required=False,
        choices=PERIODS,
        widget=forms.RadioSelect,
        help_text="Overdue deadlines are always shown.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("kind", legend_size=Size.SMALL, small=True),
            Field.radios("period", legend_size=Size.SMALL, small=True),
            Button.secondary("filter", "Apply filters"),
        )

    def values(self) -> tuple[list[str], bool]:
        """The chosen kinds (empty for all) and whether to look 12 months ahead."""
        if not self.is_valid():
            return [], False
        return self.cleaned_data["kind"], self.cleaned_data["period"] == NEXT_12_MONTHS


class DeadlinesMixin(PermissionRequiredMixin):
    permission_required = PERMISSION
    raise_exception = True

    def deadline_rows(self):
        data = self.request.GET.copy()
        if data.get("period") not in dict(PERIODS):
            data["period"] = NEXT_90_DAYS  # so the radios always show which period is shown
        form = DeadlineFilterForm(data)
        kinds, long = form.values()
        today = timezone.localdate()
        until = deadlines.horizon_end(today=today, long=long)
        rows = deadlines.deadline_list(today=today, until=until, kinds=kinds or None)
        return form, rows, kinds, long, today, until


class DeadlineListView(DeadlinesMixin, TemplateView):
    """Every open deadline in one place, for performance managers, the DCS and administrators."""

    template_name = "readiness/deadlines.html"

    def get_context_data(self, **kwargs):
        form, rows, kinds, long, today, until = self.deadline_rows()
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        groups = []
        for key, label in deadlines.GROUPS.items():
            in_group = [r for r in page.object_list if r.group == key]
            if in_group:
                groups.append({"key": key, "label": label, "rows": in_group})
        query = [(k, v) for k in ("kind", "period") for v in self.request.GET.getlist(k) if v]
        return super().get_context_data(
            form=form,
            page_obj=page,
            groups=groups,
            counts=deadlines.group_counts(rows),
            total=len(rows),
            filtered=bool(kinds),
            long=long,
            today=today,
            until=until,
            filters_qs=urlencode(query),
            csv_url=f"{reverse('readiness:deadlines-csv')}?{urlencode(query)}",
            nothing_due=NOTHING_DUE,
            nothing_text=NOTHING_MATCHES_TEXT if kinds else NOTHING_DUE_TEXT,
            **kwargs,
        )


class DeadlineCsvView(DeadlinesMixin, View):
    """The same deadlines as a CSV: formula-safe cells and a file name chosen here, not by the user."""

    def get(self, request):
        _, rows, _, _, today, _ = self.deadline_rows()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for r in rows:
            writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        r.due_on.isoformat(),
                        r.kind_label,
                        r.what,
                        r.belongs_to,
                        r.owner,
                        r.status_text,
                        r.working_days,
                        r.note,
                        request.build_absolute_uri(r.url),
                    )
                ]
            )
        # A byte order mark so Excel reads the file as UTF-8.
        response = HttpResponse(
            ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="deadlines-{today.isoformat()}.csv"'
        response["Cache-Control"] = "no-store"
        return response
