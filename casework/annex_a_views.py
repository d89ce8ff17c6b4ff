"""Check the Annex A return before downloading it: each list's rows and the Validation problems.

A GET page (the date is in the query string, so a check can be bookmarked or shared with a
colleague) that builds the lists once through `annex_a_check`, the same code the workbook uses, so
the counts here are the workbook's. Problems are grouped by list, 50 to a page; a child ID links to
the child's page only for users who may see child records. The problems also download as a CSV.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from casework.annex_a import annex_a_check
from casework.annex_a_gaps import ALL_LISTS
from casework.forms import AnnexACheckForm
from casework.models import Child
from inspections.spreadsheet_cells import inert_text

PERMISSION = "casework.export_annex_a"
CHILD_PERMISSION = "casework.view_child_record"
PROBLEMS_PER_PAGE = 50
NO_GAPS = "No gaps found."
NO_GAPS_TEXT = "Nothing is missing and no dates are out of order on this date."
CSV_HEADER = ("child_id", "list", "problem")
DATE_KEYS = ("as_of_0", "as_of_1", "as_of_2")


def _date_form(request) -> AnnexACheckForm:
    """Bind the date from the query string; with none at all, check today's return."""
    data = request.GET
    if not any(key in data for key in DATE_KEYS):
        today = timezone.localdate()
        data = dict(zip(DATE_KEYS, (str(today.day), str(today.month), str(today.year)), strict=True))
    return AnnexACheckForm(data)


def _date_query(as_of) -> str:
    return urlencode(dict(zip(DATE_KEYS, (as_of.day, as_of.month, as_of.year), strict=True)))


def _list_order(label: str) -> tuple[int, int]:
    """'All lists' first (a gap there is in every list), then lists 1 to 11 in number order."""
    return (0, 0) if label == ALL_LISTS else (1, int(label.split()[1]))


def _by_list(problems: list[list]) -> list[list]:
    """The Validation sheet's rows in list order, then by child ID (each child's in sheet order)."""
    return sorted(problems, key=lambda p: (_list_order(p[1]), p[0]))


class AnnexACheckView(PermissionRequiredMixin, TemplateView):
    permission_required = PERMISSION
    raise_exception = True
    template_name = "casework/annex_a_check.html"

    def get_context_data(self, **kwargs):
        form = _date_form(self.request)
        context = {"form": form, **kwargs}
        if not form.is_valid():
            return super().get_context_data(**context)
        check = annex_a_check(as_of=form.cleaned_data["as_of"])
        titles = {item.title.split(" ", 2)[1]: item.title for item in check.lists}
        problems = _by_list(check.problems)
        page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(self.request.GET.get("page"))
        links = {}
        if self.request.user.has_perm(CHILD_PERMISSION):
            ids = {child_id for child_id, _, _ in page.object_list}
            links = dict(Child.objects.filter(child_id__in=ids).values_list("child_id", "pk"))
        groups: list[dict] = []
        for child_id, where, message in page.object_list:
            if not groups or groups[-1]["list"] != where:
                number = where.split()[1] if where != ALL_LISTS else ""
                groups.append({"list": where, "title": titles.get(number, where), "rows": []})
            groups[-1]["rows"].append({"child_id": child_id, "pk": links.get(child_id), "message": message})
        date_query = _date_query(check.as_of)
        return super().get_context_data(
            check=check,
            page_obj=page,
            groups=groups,
            problem_count=len(problems),
            date_query=date_query,
            csv_url=f"{reverse('casework:annex-a-problems')}?{date_query}",
            download_url=reverse("casework:annex-a"),
            no_gaps=NO_GAPS,
            no_gaps_text=NO_GAPS_TEXT,
            **context,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "no-store"  # child IDs: never kept in a shared cache
        return response


class AnnexAProblemsCsvView(PermissionRequiredMixin, View):
    """The check's problems as a CSV (child ID, list, problem): formula-safe, never cached."""

    permission_required = PERMISSION
    raise_exception = True

    def get(self, request):
        form = _date_form(request)
        if not form.is_valid():
            message = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        check = annex_a_check(as_of=form.cleaned_data["as_of"])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        for problem in _by_list(check.problems):
            writer.writerow([inert_text(cell) for cell in problem])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        filename = f"annex-a-problems-{check.as_of.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
