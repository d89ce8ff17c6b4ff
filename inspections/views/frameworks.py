"""The framework library: read-only pages for every role that can see inspections."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from inspections import selectors, services
from inspections.forms import FrameworkUploadForm
from inspections.framework_files import FrameworkFileError
from inspections.framework_sync import FrameworkSyncError
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


# ---------------------------------------------------------------------------
# Uploading a framework file: check, see what will change, confirm
# ---------------------------------------------------------------------------

CHANGE_FRAMEWORK = "inspections.change_framework"
PENDING = "framework_upload"  # session key: {"name", "content"} of the file waiting for confirmation
SAVED = "{name} saved"
NOTHING_PENDING = "There is no uploaded framework file waiting to be confirmed"


_CHANGE_WHAT = (
    ("milestone rule ", "Milestone rule"),
    ("grade scale ", "Grade scale"),
    ("grade ", "Grade"),
    ("area ", "Judgement area"),
)
_CHANGE_STATE = {"created": "added", "updated": "changed", "deleted": "removed"}


def change_words(change: str) -> str:
    """'area leaders updated' -> "Judgement area 'leaders' changed"; 'framework updated' -> ..."""
    what, _, state = change.rpartition(" ")
    state = _CHANGE_STATE.get(state, state)
    if what == "framework":
        return f"Name, dates, sources, notes or rules {state}"
    for prefix, label in _CHANGE_WHAT:
        if what.startswith(prefix):
            return f"{label} ‘{what[len(prefix) :]}’ {state}"
    return change


class FrameworkUploadView(Permission, FormView):
    permission_required = CHANGE_FRAMEWORK
    template_name = "inspections/frameworks/framework_upload.html"
    form_class = FrameworkUploadForm

    def form_valid(self, form):
        name = form.cleaned_data["file"].name
        try:
            services.framework_upload_preview(name=name, content=form.content)
        except (FrameworkFileError, FrameworkSyncError) as exc:
            for problem in exc.problems:
                form.add_error("file", problem)
            return self.form_invalid(form)
        self.request.session[PENDING] = {"name": name, "content": form.content.decode("utf-8")}
        return redirect("inspections:framework-upload-confirm")


class FrameworkUploadConfirmView(Permission, TemplateView):
    permission_required = CHANGE_FRAMEWORK
    template_name = "inspections/frameworks/framework_upload_confirm.html"

    def _pending(self) -> tuple[str, bytes] | None:
        pending = self.request.session.get(PENDING)
        if not isinstance(pending, dict) or not pending.get("content"):
            return None
        return pending["name"], pending["content"].encode("utf-8")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = self._pending()
        if pending is None:
            return {**context, "nothing_pending": NOTHING_PENDING}
        name, content = pending
        try:
            preview = services.framework_upload_preview(name=name, content=content)
        except (FrameworkFileError, FrameworkSyncError) as exc:
            # The database changed since the file was checked: say so, save nothing.
            return {**context, "file_name": name, "problems": exc.problems}
        return {
            **context,
            "file_name": name,
            "preview": preview,
            "changes": [change_words(c) for c in preview.changes],
        }

    def post(self, request, *args, **kwargs):
        pending = self._pending()
        if pending is None:
            return self.render_to_response(self.get_context_data())
        name, content = pending
        try:
            preview = services.framework_upload_apply(name=name, content=content, user=request.user)
        except (FrameworkFileError, FrameworkSyncError):
            return self.render_to_response(self.get_context_data())
        del request.session[PENDING]
        messages.success(request, SAVED.format(name=preview.name))
        return redirect("inspections:framework-detail", code=preview.code)
