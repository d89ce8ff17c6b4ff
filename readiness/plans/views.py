"""Improvement plan pages: list, overview, actions (list, detail, add, change, delete), progress
updates, evidence, "my actions", bulk RAG, export and import. Thin views over services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from readiness.charts import rag_bars
from readiness.plans import selectors, services
from readiness.plans.forms import (
    ActionFilterForm,
    ActionForm,
    EvidenceForm,
    PlanForm,
    PlanImportForm,
    PlanUpdateForm,
    PriorityForm,
    ProgressUpdateForm,
)
from readiness.plans.models import RAG_COLOURS, Action, ActionEvidence, ImprovementPlan, Rag
from readiness.plans.rag import RAG_ORDER
from readiness.plans.spreadsheets import export_rows, plan_import, write_csv, write_xlsx

PLAN_CREATED = "Plan created"
PLAN_SAVED = "Plan saved"
PLAN_DELETED = "Plan '{title}' deleted"
PRIORITY_ADDED = "Priority added"
ACTION_ADDED = "Action added"
ACTION_SAVED = "Action saved"
ACTION_DELETED = "Action deleted"
UPDATE_ADDED = "Progress update added"
EVIDENCE_ADDED = "Evidence added"
BULK_SAVED = "RAG statuses saved: {count} changed"
PLAN_IMPORTED = "Plan imported: {priorities} priorities and {actions} actions"
BULK_ROW_ERROR = "Row {order}: {message}"


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


class Permission(PermissionRequiredMixin):
    """Deny by default: every view names its permission; refusals are 403."""

    raise_exception = True


class PlanMixin(Permission):
    @cached_property
    def plan(self) -> ImprovementPlan:
        plan = selectors.plan_get(plan_id=self.kwargs["plan_pk"])
        if plan is None:
            raise Http404("No such plan")
        return plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class ActionMixin(Permission):
    @cached_property
    def action(self) -> Action:
        action = selectors.action_get(action_id=self.kwargs["action_pk"])
        if action is None:
            raise Http404("No such action")
        return action

    @property
    def plan(self) -> ImprovementPlan:
        return self.action.priority.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, plan=self.plan, **kwargs)


def rag_tag(rag: str) -> dict:
    return {"text": Rag(rag).label, "colour": RAG_COLOURS[Rag(rag)]}


def rag_chart(overview) -> str:
    rows = [(f"P{p.priority.order}", p.counts.as_dict()) for p in overview.priorities]
    return mark_safe(  # noqa: S308 - built by readiness.charts, which escapes every text
        rag_bars(
            title="Actions by RAG status, per priority",
            description="One bar per priority: off track, at risk, on track and complete actions. "
            "The table below gives the same numbers.",
            rows=rows,
            id_prefix=f"plan{overview.plan.pk}-rag",
        )
    )


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


class PlanListView(Permission, ListView):
    permission_required = "readiness.view_improvementplan"
    template_name = "readiness/plans/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        return selectors.plan_list()


class PlanCreateView(Permission, FormView):
    permission_required = "readiness.add_improvementplan"
    template_name = "readiness/plans/plan_form.html"
    form_class = PlanForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["inspection"] is not None and data["source"] == ImprovementPlan.Source.INSPECTION:
                plan = services.plan_create_from_inspection(
                    inspection=data["inspection"],
                    owner=data["owner"],
                    user=self.request.user,
                    title=data["title"],
                )
            else:
                plan = services.plan_create(
                    title=data["title"],
                    source=data["source"],
                    inspection=data["inspection"],
                    owner=data["owner"],
                    user=self.request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, PLAN_CREATED)
        return redirect(plan)


class PlanUpdateView(PlanMixin, FormView):
    permission_required = "readiness.change_improvementplan"
    template_name = "readiness/plans/plan_form.html"
    form_class = PlanUpdateForm

    def get_initial(self):
        plan = self.plan
        return {
            "title": plan.title,
            "source": plan.source,
            "inspection": plan.inspection_id,
            "owner": plan.owner_id,
            "status": plan.status,
            "published_on": plan.published_on,
        }

    def form_valid(self, form):
        try:
            services.plan_update(plan=self.plan, data=form.cleaned_data, user=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, PLAN_SAVED)
        return redirect(self.plan)


class PlanDeleteView(PlanMixin, TemplateView):
    permission_required = "readiness.delete_improvementplan"
    template_name = "readiness/plans/plan_confirm_delete.html"

    def post(self, request, plan_pk):
        title = self.plan.title
        services.plan_delete(plan=self.plan, user=request.user)
        messages.success(request, PLAN_DELETED.format(title=title))
        return redirect("readiness:plan-list")


class PlanDetailView(PlanMixin, TemplateView):
    """The plan overview: deadline, RAG by priority (chart and table), overdue actions first."""

    permission_required = "readiness.view_improvementplan"
    template_name = "readiness/plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        overview = selectors.plan_overview(plan=self.plan)
        return super().get_context_data(
            overview=overview, chart=rag_chart(overview), rag_order=RAG_ORDER, **kwargs
        )


class PriorityCreateView(PlanMixin, FormView):
    permission_required = "readiness.add_priority"
    template_name = "readiness/plans/priority_form.html"
    form_class = PriorityForm

    def form_valid(self, form):
        services.priority_create(plan=self.plan, title=form.cleaned_data["title"], user=self.request.user)
        messages.success(self.request, PRIORITY_ADDED)
        return redirect(self.plan)


class PlanImportView(Permission, FormView):
    permission_required = "readiness.add_improvementplan"
    template_name = "readiness/plans/plan_import.html"
    form_class = PlanImportForm

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data["file"]
        result = plan_import(
            handle=upload.file,
            filename=upload.name,
            title=data["title"],
            source=data["source"],
            inspection=data["inspection"],
            owner=self.request.user,
            user=self.request.user,
        )
        if not result.ok:
            form.add_error("file", f"The file has {result.problem_count} problems. Nothing was imported.")
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request, PLAN_IMPORTED.format(priorities=result.priorities, actions=result.actions)
        )
        return redirect(result.plan)


# ---------------------------------------------------------------------------
# Action lists: a plan's, "my actions", export, bulk RAG
# ---------------------------------------------------------------------------


class ActionListMixin:
    """Filters from the query string, pagination, and export links that keep the filters."""

    paginate_by = 25
    export_url_name = ""
    open_only_by_default = False

    def filter_plan(self):
        return None

    def filter_form(self):
        return ActionFilterForm(self.request.GET or None, plan=self.filter_plan())

    def filtered_actions(self):
        form = self.filter_form()
        values = form.cleaned_data if form.is_valid() else {}
        actions = selectors.action_list(
            plan=self.filter_plan(),
            owner=self.owner_filter(values),
            status=values.get("status") or "",
            priority=values.get("priority"),
            rag=values.get("rag") or "",
            overdue=bool(values.get("overdue")),
        )
        if self.open_only_by_default and not values.get("status"):
            actions = actions.exclude(status=Action.Status.COMPLETE)
        return actions, form

    def owner_filter(self, values):
        from django.contrib.auth import get_user_model

        pk = values.get("owner")
        return get_user_model().objects.filter(pk=pk).first() if pk else None

    def export_kwargs(self) -> dict:
        return {}

    def list_context(self):
        actions, form = self.filtered_actions()
        page = Paginator(actions, self.paginate_by).get_page(self.request.GET.get("page"))
        latest = selectors.latest_updates(action_ids=[a.pk for a in page.object_list])
        for action in page.object_list:
            action.latest_update = latest.get(action.pk)
            action.tag = rag_tag(action.rag)
        query = {k: v for k, v in self.request.GET.items() if k not in ("page", "format") and v}
        export = reverse(self.export_url_name, kwargs=self.export_kwargs())
        return {
            "filter_form": form,
            "page_obj": page,
            "actions": page.object_list,
            "filtered": bool(query),
            "filters_qs": urlencode(query),
            "export_csv": f"{export}?{urlencode({**query, 'format': 'csv'})}",
            "export_xlsx": f"{export}?{urlencode({**query, 'format': 'xlsx'})}",
        }


class PlanActionListView(PlanMixin, ActionListMixin, TemplateView):
    permission_required = ("readiness.view_improvementplan", "readiness.view_action")
    template_name = "readiness/plans/action_list.html"
    export_url_name = "readiness:plan-actions-export"

    def filter_plan(self):
        return self.plan

    def export_kwargs(self):
        return {"plan_pk": self.plan.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.list_context(), heading="Actions", **kwargs)


class MyActionsView(Permission, ActionListMixin, TemplateView):
    permission_required = "readiness.view_action"
    template_name = "readiness/plans/action_list.html"
    export_url_name = "readiness:my-actions-export"
    open_only_by_default = True

    def owner_filter(self, values):
        return self.request.user

    def filter_form(self):
        return ActionFilterForm(self.request.GET or None, owner=False)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.list_context(), heading="My actions", mine=True, **kwargs)


def spreadsheet_response(request, rows: list[list], *, title: str, header=None) -> HttpResponse:
    """Send rows as XLSX (?format=xlsx) or CSV, with a server-chosen file name; formula-safe cells."""
    name = slugify(title) or "export"
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        content = write_xlsx(rows, title=title, **({"header": header} if header else {}))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{name}-{stamp}.xlsx"
    else:
        content = write_csv(rows, **({"header": header} if header else {}))
        content_type = "text/csv; charset=utf-8"
        filename = f"{name}-{stamp}.csv"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ExportMixin:
    def get(self, request, **kwargs):
        actions, _ = self.filtered_actions()
        actions = list(actions)
        rows = export_rows(actions, selectors.latest_updates(action_ids=[a.pk for a in actions]))
        return spreadsheet_response(request, rows, title=self.export_name() or "actions")


PLAN_EXPORT_HEADER = [
    "Plan",
    "Source",
    "Inspection",
    "Owner",
    "Status",
    "Published on",
    "Priorities",
    "Actions",
]


class PlanListExportView(Permission, View):
    """Every plan as a spreadsheet, one row each."""

    permission_required = "readiness.view_improvementplan"

    def get(self, request):
        rows = []
        for plan in selectors.plan_list():
            rows.append(
                [
                    plan.title,
                    plan.get_source_display(),
                    str(plan.inspection) if plan.inspection else "",
                    (plan.owner.get_full_name() or plan.owner.get_username()) if plan.owner else "",
                    plan.get_status_display(),
                    plan.published_on.isoformat() if plan.published_on else "",
                    plan.priority_count,
                    plan.action_count,
                ]
            )
        return spreadsheet_response(request, rows, title="improvement plans", header=PLAN_EXPORT_HEADER)


class PlanActionExportView(PlanMixin, ActionListMixin, ExportMixin, View):
    permission_required = ("readiness.view_improvementplan", "readiness.view_action")

    def filter_plan(self):
        return self.plan

    def export_name(self) -> str:
        return f"actions {self.plan.title}"[:60]


class MyActionsExportView(Permission, ActionListMixin, ExportMixin, View):
    permission_required = "readiness.view_action"
    open_only_by_default = True

    def filter_form(self):
        return ActionFilterForm(self.request.GET or None, owner=False)

    def owner_filter(self, values):
        return self.request.user

    def export_name(self) -> str:
        return "my actions"


class BulkRagView(PlanMixin, TemplateView):
    """One form: a row per action, each with a RAG select and a reason. All rows or none."""

    permission_required = ("readiness.view_improvementplan", "readiness.change_action")
    template_name = "readiness/plans/bulk_rag.html"

    def rows(self, data=None, errors=None):
        rows = []
        for action in selectors.action_list(plan=self.plan).order_by("priority__order", "due_on", "pk"):
            rag = action.rag_override if data is None else data.get(f"rag-{action.pk}", "")
            reason = action.rag_override_reason if data is None else data.get(f"reason-{action.pk}", "")
            rows.append(
                {
                    "action": action,
                    "derived": rag_tag(action.derived_rag),
                    "rag": rag,
                    "reason": reason,
                    "errors": (errors or {}).get(str(action.pk), []),
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        kwargs.setdefault("rows", self.rows())
        choices = [("", "Work it out from the dates"), *((v, Rag(v).label) for v in RAG_ORDER)]
        return super().get_context_data(choices=choices, **kwargs)

    def post(self, request, plan_pk):
        ids = [int(key[4:]) for key in request.POST if key.startswith("rag-") and key[4:].isdigit()]
        changes = [
            services.RagChange(
                action_id=pk,
                rag=request.POST.get(f"rag-{pk}", ""),
                reason=request.POST.get(f"reason-{pk}", ""),
            )
            for pk in ids
        ]
        try:
            count = services.bulk_rag_update(plan=self.plan, changes=changes, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
            rows = self.rows(data=request.POST, errors=errors)
            summary = [
                {"href": f"#rag-{row['action'].pk}", "text": BULK_ROW_ERROR.format(order=n, message=m)}
                for n, row in enumerate(rows, start=1)
                for m in row["errors"]
            ]
            return self.render_to_response(self.get_context_data(rows=rows, error_list=summary), status=200)
        messages.success(request, BULK_SAVED.format(count=count))
        return redirect(self.plan)


# ---------------------------------------------------------------------------
# One action
# ---------------------------------------------------------------------------


class ActionDetailView(ActionMixin, TemplateView):
    permission_required = "readiness.view_action"
    template_name = "readiness/plans/action_detail.html"

    def get_context_data(self, **kwargs):
        detail = selectors.action_detail(action=self.action)
        for update in detail["updates"]:
            update.tag = rag_tag(update.rag)
        return super().get_context_data(tag=rag_tag(self.action.rag), **detail, **kwargs)


class ActionCreateView(PlanMixin, FormView):
    permission_required = ("readiness.view_improvementplan", "readiness.add_action")
    template_name = "readiness/plans/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        priority = self.request.GET.get("priority", "")
        if priority.isdigit():
            kwargs["initial"] = {**kwargs.get("initial", {}), "priority": int(priority)}
        return {**kwargs, "plan": self.plan}

    def get_initial(self):
        return {"status": Action.Status.NOT_STARTED}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        priority = get_object_or_404(self.plan.priorities, pk=data.pop("priority"))
        try:
            action = services.action_create(priority=priority, user=self.request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_ADDED)
        return redirect(action)


class ActionUpdateView(ActionMixin, FormView):
    permission_required = "readiness.change_action"
    template_name = "readiness/plans/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "action": self.action}

    def get_initial(self):
        action = self.action
        fields = (
            "description lead_officer partner_agency start_on due_on status success_measure indicator_code "
            "indicator_target source_audit_reference rag_override rag_override_reason"
        ).split()
        return {
            "priority": action.priority_id,
            "owner": action.owner_id,
            **{f: getattr(action, f) for f in fields},
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("due_on_reason", "")
        data["priority"] = get_object_or_404(self.plan.priorities, pk=data["priority"])
        try:
            services.action_update(
                action=self.action, data=data, user=self.request.user, due_on_reason=reason
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_SAVED)
        return redirect(self.action)


class ActionDeleteView(ActionMixin, TemplateView):
    permission_required = "readiness.delete_action"
    template_name = "readiness/plans/action_confirm_delete.html"

    def post(self, request, action_pk):
        plan = self.plan
        services.action_delete(action=self.action, user=request.user)
        messages.success(request, ACTION_DELETED)
        return redirect(plan)


class ProgressUpdateCreateView(ActionMixin, FormView):
    permission_required = ("readiness.view_action", "readiness.add_progressupdate")
    template_name = "readiness/plans/progress_form.html"
    form_class = ProgressUpdateForm

    def form_valid(self, form):
        try:
            services.progress_update_add(action=self.action, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, UPDATE_ADDED)
        return redirect(self.action)


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
