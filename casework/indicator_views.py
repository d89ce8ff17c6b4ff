"""The children behind a casework indicator: today's reading, then each child counted, missed first.

Child-level pages: each needs `casework.view_child_record`, which board members never hold. The
registry maps a URL code (the code each selector gives its result) to the selector, so the URL is
stable and names only selectors that return the children they counted.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from casework import indicators
from casework.models import Child, Cohort, Episode
from inspections.spreadsheet_cells import inert_text

PERMISSION = "casework.view_child_record"
CHILDREN_PER_PAGE = 50
NO_OPEN_EPISODE = "No open episode"
MISSED, MET = "missed", "met"


@dataclass(frozen=True)
class Entry:
    """A selector whose result lists the children it counted, and how to word each side."""

    selector: Callable[..., indicators.Indicator]
    missed_label: str = "Timescale missed"
    met_label: str = "Timescale met"


REGISTRY: dict[str, Entry] = {
    "assessments_45_wd": Entry(indicators.assessments_within_45_days),
    "icpc_15_wd": Entry(indicators.icpc_within_15_days),
    "iha_20_wd": Entry(indicators.iha_within_20_days),
    "iha_28_days": Entry(indicators.iha_within_28_days),
    "first_review_20_wd": Entry(indicators.first_review_within_20_days),
    "pep_10_wd": Entry(indicators.pep_within_10_days),
    "pep_20_wd": Entry(indicators.pep_within_20_days),
    "return_interviews_72_hours": Entry(indicators.return_interviews_within_72_hours),
    "cp_visits_10_wd": Entry(indicators.cp_visits_every_10_days),
    "cla_visits_reg_28": Entry(indicators.cla_visits_in_timescale, "Visit overdue", "Visits in timescale"),
    "care_leavers_in_touch": Entry(indicators.care_leavers_in_touch, "Not in touch", "In touch"),
    "care_leavers_suitable_accommodation": Entry(
        indicators.care_leavers_suitable_accommodation, "Not suitable or not known", "Suitable"
    ),
    "care_leavers_eet": Entry(
        indicators.care_leavers_in_eet,
        "Not in education, employment or training, or not known",
        "In education, employment or training",
    ),
    "supervision_in_timescale": Entry(
        indicators.case_supervision_in_timescale, "Not supervised", "Supervised"
    ),
    "gp_at_icpc": Entry(
        indicators.gp_at_icpc, "No GP contribution evidenced", "GP attended or sent a report"
    ),
    "private_fostering": Entry(indicators.private_fostering_in_timescale),
    # Lower is better: the selector counts the children over 16 weeks and returns them as missed.
    "pre_proceedings_16_weeks": Entry(
        indicators.pre_proceedings_over_16_weeks, "More than 16 weeks", "16 weeks or less"
    ),
}

_BY_FUNCTION = {entry.selector.__name__: code for code, entry in REGISTRY.items()}


def registry_code_for_source(path: str) -> str | None:
    """The registry code for an indicator source path such as 'casework.indicators.gp_at_icpc'."""
    module, _, name = (path or "").rpartition(".")
    if module != indicators.__name__:
        return None
    return _BY_FUNCTION.get(name)


@dataclass
class ChildRow:
    pk: int
    child_id: str
    status: str  # MISSED or MET
    status_label: str
    cohorts: str = ""


def _entry(code: str) -> Entry:
    entry = REGISTRY.get(code)
    if entry is None:
        raise Http404("No casework indicator has this code")
    return entry


def _rows(entry: Entry, result: indicators.Indicator) -> list[ChildRow]:
    """Every child counted, missed first, then met, each by child ID (one query)."""
    labels = {MISSED: entry.missed_label, MET: entry.met_label}
    missed = result.missed_child_pks
    counted = result.met_child_pks | missed
    rows = [
        ChildRow(pk=pk, child_id=child_id, status=MISSED if pk in missed else MET, status_label="")
        for pk, child_id in Child.objects.filter(pk__in=counted).values_list("pk", "child_id")
    ]
    for row in rows:
        row.status_label = labels[row.status]
    rows.sort(key=lambda row: (row.status != MISSED, row.child_id))
    return rows


def _add_cohorts(rows: list[ChildRow], as_of) -> None:
    """Each child's cohorts open on the day (one query for all of `rows`)."""
    open_on: dict[int, set[str]] = defaultdict(set)
    episodes = (
        Episode.objects.filter(child_id__in=[row.pk for row in rows], start_on__lte=as_of)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .values_list("child_id", "cohort")
    )
    for child_pk, cohort in episodes:
        open_on[child_pk].add(cohort)
    order = {value: index for index, value in enumerate(Cohort.values)}
    for row in rows:
        cohorts = sorted(open_on.get(row.pk, ()), key=lambda c: order.get(c, len(order)))
        row.cohorts = ", ".join(Cohort(c).label for c in cohorts) if cohorts else NO_OPEN_EPISODE


INDICATOR_CODE = re.compile(r"[-a-zA-Z0-9_]{1,50}")
INDICATOR_PAGE_PERMISSION = "readiness.view_dashboard"


class IndicatorChildrenView(PermissionRequiredMixin, TemplateView):
    permission_required = PERMISSION
    raise_exception = True
    template_name = "casework/indicators/indicator_children.html"

    def get_context_data(self, **kwargs):
        code = self.kwargs["selector_code"]
        entry = _entry(code)
        today = timezone.localdate()
        result = entry.selector(as_of=today)
        rows = _rows(entry, result)
        page = Paginator(rows, CHILDREN_PER_PAGE).get_page(self.request.GET.get("page"))
        _add_cohorts(list(page.object_list), today)
        back_url, back_query = self._back_to_indicator()
        return super().get_context_data(
            code=code,
            back_url=back_url,
            back_query=back_query,
            entry=entry,
            result=result,
            today=today,
            page_obj=page,
            missed_count=len(result.missed_child_pks),
            met_count=len(result.met_child_pks),
            **kwargs,
        )

    def _back_to_indicator(self) -> tuple[str, str]:
        """The indicator page this list was opened from (`?from=<indicator code>`), for the back link.

        Indicator pages belong to the top layer, so they are found by URL name only, and only for
        someone who may open them.
        """
        code = self.request.GET.get("from", "")
        if not INDICATOR_CODE.fullmatch(code) or not self.request.user.has_perm(INDICATOR_PAGE_PERMISSION):
            return "", ""
        try:
            return reverse("readiness:indicator-detail", kwargs={"indicator_code": code}), f"from={code}"
        except NoReverseMatch:
            return "", ""


class IndicatorChildrenCsvView(PermissionRequiredMixin, View):
    """Every child counted, as a CSV (child ID, met or missed, cohorts), formula-safe, never cached."""

    permission_required = PERMISSION
    raise_exception = True

    def get(self, request, selector_code):
        entry = _entry(selector_code)
        today = timezone.localdate()
        result = entry.selector(as_of=today)
        rows = _rows(entry, result)
        _add_cohorts(rows, today)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["child_id", "result", "cohorts_open_on_the_day"])
        for row in rows:
            writer.writerow([inert_text(cell) for cell in (row.child_id, row.status_label, row.cohorts)])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        filename = f"{selector_code.replace('_', '-')}-children-{today.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
