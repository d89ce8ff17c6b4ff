"""Action lists: a plan's actions and "my actions", filtered and paginated."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from readiness.plans import selectors
from readiness.plans.forms import ActionFilterForm
from readiness.plans.models import Action
from readiness.plans.views.common import Permission, PlanMixin, rag_tag


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


MY_ACTIONS_DEFAULT_STATUS = "Not complete"


class MyActionsView(Permission, ActionListMixin, TemplateView):
    permission_required = "readiness.view_action"
    template_name = "readiness/plans/action_list.html"
    export_url_name = "readiness:my-actions-export"
    open_only_by_default = True

    def owner_filter(self, values):
        return self.request.user

    def filter_form(self):
        form = ActionFilterForm(self.request.GET or None, owner=False)
        # Here no status chosen means the open ones, so the empty choice says so.
        form.fields["status"].choices = [("", MY_ACTIONS_DEFAULT_STATUS), *Action.Status.choices]
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.list_context(), heading="My actions", mine=True, **kwargs)
