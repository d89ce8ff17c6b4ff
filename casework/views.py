"""Child-level pages: every one needs a casework permission, which board members never hold."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import DetailView, FormView, ListView, TemplateView

from casework.forms import CaseImportForm
from casework.imports.problems import Problem
from casework.imports.progress import read_progress
from casework.models import Child, Cohort, Episode, ImportRun
from casework.selectors import child_changes, child_list_in_team, child_team_on, child_team_since, team_names
from casework.services import import_run_create, import_run_retry, import_run_start
from inspections.spreadsheet_cells import inert_text

PROBLEMS_SHOWN = 100
CHILD_COUNT_SECONDS = 300
NO_OPEN_EPISODE = "none"
# The child list's "Open now" filter: a cohort with an open episode, or no open episode at all.
OPEN_NOW_CHOICES = {"": "Any", **dict(Cohort.choices), NO_OPEN_EPISODE: "No open episode"}
IMPORT_PERMISSION = "casework.add_child"


class _WholeListCounted(Paginator):
    """A paginator that, for the whole child list, counts the children once per change to them.

    Counting every child is the one part of the page that grows with the council (a sequential
    scan: 3 ms at 22,000 children on PostgreSQL, against 0.2 ms for the page's 50 rows). Every
    change to a child writes a history row, so the newest history row says whether the count can
    have changed; it is read from the primary key's index whatever the size. The cache keeps a count at most
    CHILD_COUNT_SECONDS, which also bounds what an import committing out of id order could leave.
    """

    def __init__(self, *args, whole_list: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.whole_list = whole_list

    @cached_property
    def count(self) -> int:
        if not self.whole_list:
            return super().count
        # The id and its time: ids alone can come round again after a rollback (SQLite, tests).
        newest = Child.history.model.objects.order_by("-history_id").values_list("history_id", "history_date")
        history_id, when = newest.first() or (0, None)
        key = f"casework:child-count:{history_id}:{when.timestamp() if when else 0}"
        counted = cache.get(key)
        if counted is None:
            counted = super().count
            cache.set(key, counted, timeout=CHILD_COUNT_SECONDS)
        return counted


class ChildListView(PermissionRequiredMixin, ListView):
    permission_required = "casework.view_child_record"
    raise_exception = True
    model = Child
    paginate_by = 50
    paginator_class = _WholeListCounted
    template_name = "casework/child_list.html"

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # Only the whole list's count is kept; a filtered list is counted every time.
        whole_list = not (self.query or self.open_now or self.team)
        return super().get_paginator(
            queryset, per_page, orphans, allow_empty_first_page, whole_list=whole_list, **kwargs
        )

    def get_queryset(self):
        self.today = today = timezone.localdate()
        queryset = super().get_queryset()
        self.query = self.request.GET.get("q", "").strip().upper()
        if self.query:
            queryset = queryset.filter(child_id__startswith=self.query)
        # An unknown ?open= (an old bookmark, a typo) filters nothing rather than failing.
        self.open_now = self.request.GET.get("open", "")
        if self.open_now not in OPEN_NOW_CHOICES:
            self.open_now = ""
        open_episodes = Episode.objects.filter(child=OuterRef("pk"), end_on__isnull=True)
        if self.open_now == NO_OPEN_EPISODE:
            queryset = queryset.filter(~Exists(open_episodes))
        elif self.open_now:
            queryset = queryset.filter(Exists(open_episodes.filter(cohort=self.open_now)))
        # The team today; a team no longer held (an old bookmark, a typo) filters nothing, as above.
        self.teams = team_names()
        self.team = self.request.GET.get("team", "")
        if self.team not in self.teams:
            self.team = ""
        if self.team:
            queryset = child_list_in_team(queryset, team=self.team, day=today)
        return queryset

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        # What the page shows beside each child is read for its own rows: annotated on the list,
        # PostgreSQL would read the team of every child an OFFSET skips too (100 ms for the last page
        # at 22,000 children, against 3 ms for the page itself).
        open_now = Episode.objects.filter(end_on__isnull=True).order_by("cohort")
        page.object_list = (
            Child.objects.filter(pk__in=rows.values("pk"))
            .annotate(team_now=child_team_on(day=self.today))
            .prefetch_related(Prefetch("episodes", queryset=open_now, to_attr="open_episodes"))
        )
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        filters = {
            name: value
            for name, value in (("q", self.query), ("open", self.open_now), ("team", self.team))
            if value
        }
        return {
            **super().get_context_data(**kwargs),
            "query": self.query,
            "open_now": self.open_now,
            "open_now_choices": OPEN_NOW_CHOICES.items(),
            "team": self.team,
            "teams": self.teams,
            "filtered": bool(filters),
            "filters_qs": urlencode(filters),
        }


class ChildDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "casework.view_child_record"
    raise_exception = True
    model = Child
    template_name = "casework/child_detail.html"

    def get_queryset(self):
        # The team today and since when, read with the child itself (no query of their own).
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .annotate(team_now=child_team_on(day=today), team_since=child_team_since(day=today))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        child = self.object
        timeline = [
            (episode.start_on, f"{episode.get_cohort_display()} started", episode.legal_status)
            for episode in child.episodes.all()
        ]
        timeline += [
            (episode.end_on, f"{episode.get_cohort_display()} ended", "")
            for episode in child.episodes.all()
            if episode.end_on
        ]
        timeline += [
            (
                placement.start_on,
                f"Placement started: {placement.get_placement_type_display()}",
                "In the council's area" if placement.in_area else "Out of the council's area",
            )
            for placement in child.placements.all()
        ]
        timeline += [
            (placement.end_on, "Placement ended", placement.get_placement_type_display())
            for placement in child.placements.all()
            if placement.end_on
        ]
        timeline += [
            (event.occurred_on, event.get_kind_display(), event.value) for event in child.events.all()
        ]
        context["timeline"] = sorted(timeline, key=lambda entry: (entry[0], entry[1]))
        context["episodes"] = child.episodes.all()
        context["changes"] = child_changes(child=child)
        return context


def _problem_context(run: ImportRun) -> dict:
    problems = [Problem.from_dict(data) for data in run.problems[:PROBLEMS_SHOWN]]
    return {
        "run": run,
        "problems": problems,
        "problems_hidden": max(run.problem_count - len(problems), 0),
    }


class ImportCreateView(PermissionRequiredMixin, FormView):
    """Upload a case list; small files are imported at once, big ones by a worker."""

    permission_required = IMPORT_PERMISSION
    raise_exception = True
    form_class = CaseImportForm
    template_name = "casework/import_form.html"

    def form_valid(self, form):
        run = import_run_create(
            upload=form.cleaned_data["file"], user=self.request.user, dry_run=form.cleaned_data["dry_run"]
        )
        result = import_run_start(run=run)
        run.refresh_from_db()  # the import saved its outcome on its own copy of the run
        if result is None:
            if run.status == ImportRun.Status.QUEUED and not run.note:  # a note says why it waits
                messages.info(
                    self.request, f"{run.file_name} is being imported. This page shows its progress."
                )
            return redirect(run)
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, **_problem_context(run)))
        messages.success(self.request, _success_text(run))
        return redirect(run)


def _success_text(run: ImportRun) -> str:
    if run.dry_run:
        return (
            f"{run.file_name} has no problems. Importing it would create {run.created} records, "
            f"update {run.updated} and leave {run.unchanged} unchanged. Nothing was saved."
        )
    return (
        f"{run.file_name} imported: {run.created} records created, {run.updated} updated, "
        f"{run.unchanged} unchanged."
    )


class ImportListView(PermissionRequiredMixin, ListView):
    permission_required = IMPORT_PERMISSION
    raise_exception = True
    model = ImportRun
    paginate_by = 50
    template_name = "casework/importrun_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user")


class ImportDetailView(PermissionRequiredMixin, DetailView):
    permission_required = IMPORT_PERMISSION
    raise_exception = True
    model = ImportRun
    pk_url_kwarg = "run_id"
    template_name = "casework/importrun_detail.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **_problem_context(self.object),
            "progress": _progress(self.object),
            "can_retry": _can_retry(self.object),
        }


def _progress(run: ImportRun) -> dict:
    """What the progress bar shows: phase in words, percent of the file read, rows read."""
    if run.is_finished:
        failed = run.status == ImportRun.Status.FAILED
        state = {"phase_words": "Failed" if failed else "Finished", "percent": 100, "rows": run.rows}
        return {**state, "finished": True, "failed": failed}
    state = read_progress(run.pk)
    if state is None:  # the worker has not started, or has not read its first rows yet
        words = "Waiting to start" if run.status == ImportRun.Status.QUEUED else "Checking rows"
        state = {"phase_words": words, "percent": 0, "rows": 0}
    return {**state, "finished": False, "failed": False}


class ImportProgressView(PermissionRequiredMixin, DetailView):
    """The progress panel alone, for HTMX to swap in every two seconds while a run is imported.

    Once the run has finished, HTMX is told to reload the page, which then shows the result.
    """

    permission_required = IMPORT_PERMISSION
    raise_exception = True
    model = ImportRun
    pk_url_kwarg = "run_id"
    template_name = "casework/_import_progress.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "run": self.object, "progress": _progress(self.object)}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.object.is_finished and getattr(self.request, "htmx", False):
            response["HX-Refresh"] = "true"
        return response


class ImportProblemsView(PermissionRequiredMixin, DetailView):
    """Every problem of a run as a CSV (row, column, problem), formula-safe."""

    permission_required = IMPORT_PERMISSION
    raise_exception = True
    model = ImportRun
    pk_url_kwarg = "run_id"

    def render_to_response(self, context, **response_kwargs):
        run = self.object
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # An Annex A workbook read list by list names the sheet of each problem (imports/annex_lists.py).
        sheets = any(data.get("sheet") for data in run.problems)
        writer.writerow(["sheet", "row", "column", "problem"] if sheets else ["row", "column", "problem"])
        for data in run.problems:
            cells = [data.get("row"), data.get("column"), data["message"]]
            if sheets:
                cells.insert(0, data.get("sheet"))
            writer.writerow([inert_text(cell) for cell in cells])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
        return response


class ImportRetryView(PermissionRequiredMixin, TemplateView):
    """Confirm, then start a failed run again from its stored file."""

    permission_required = IMPORT_PERMISSION
    raise_exception = True
    template_name = "casework/importrun_retry.html"

    def get_run(self) -> ImportRun:
        return get_object_or_404(ImportRun, pk=self.kwargs["run_id"])

    def get_context_data(self, **kwargs):
        run = self.get_run()
        return {**super().get_context_data(**kwargs), "run": run, "can_retry": _can_retry(run)}

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        if not _can_retry(run):
            messages.info(request, "This import cannot be tried again. Upload the file again instead.")
            return HttpResponseRedirect(run.get_absolute_url())
        result = import_run_retry(run=run)
        run.refresh_from_db()
        if result is not None and result.ok:
            messages.success(request, _success_text(run))
        return HttpResponseRedirect(run.get_absolute_url())


def _can_retry(run: ImportRun) -> bool:
    """Only a run that stopped unexpectedly is worth repeating; a file with problems needs fixing."""
    return run.status == ImportRun.Status.FAILED and bool(run.error) and bool(run.file)
