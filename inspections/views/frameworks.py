"""The framework library: read-only pages for every role that can see inspections."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from inspections import selectors
from inspections.views.base import Permission

VIEW_FRAMEWORK = "inspections.view_framework"


class FrameworkListView(Permission, TemplateView):
    permission_required = VIEW_FRAMEWORK
    template_name = "inspections/frameworks/framework_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(frameworks=list(selectors.framework_list()), **kwargs)


class FrameworkDetailView(Permission, TemplateView):
    permission_required = VIEW_FRAMEWORK
    template_name = "inspections/frameworks/framework_detail.html"

    def get_context_data(self, **kwargs):
        framework = selectors.framework_get(code=self.kwargs["code"])
        if framework is None:
            raise Http404("No such framework")
        rules = [
            {
                "rule": rule,
                "words": selectors.milestone_rule_words(rule),
                "condition": selectors.milestone_rule_condition(rule, framework),
            }
            for rule in framework.milestone_rules.order_by("order")
        ]
        grades = list(framework.grade_scale.grades.order_by("rank")) if framework.grade_scale else []
        return super().get_context_data(
            framework=framework,
            areas=list(framework.areas.order_by("order")),
            grades=grades,
            rules=selectors.framework_rule_rows(framework),
            milestone_rules=rules,
            inspection_count=framework.inspections.count(),
            **kwargs,
        )
