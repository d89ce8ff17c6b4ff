"""The framework library: read-only pages for every role that can see inspections, and uploading a
framework file (check, see field by field what would change, then confirm or discard)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

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
# The staged upload lives in the session until it is confirmed or discarded:
# {"id", "name", "content"}; `id` is posted back by the confirmation page's buttons, so a button
# acts only on the file that page showed.
PENDING = "framework_upload"
# The last upload confirmed in this session, {"id", "code", "name", "version"}: a second confirm of
# the same page (double submit, back button) is answered "already applied" rather than repeated.
APPLIED = "framework_upload_applied"
UPLOAD_ID = "upload"  # the POST field carrying the staged upload's id
SAVED = "{name} saved"
NOTHING_PENDING = "There is no uploaded framework file waiting to be confirmed"
ALREADY_APPLIED = "This upload was already applied: {name} is version {version}. Nothing changed this time."
ALREADY_APPLIED_NOT_DISCARDED = (
    "This upload was already applied, so there is nothing to discard: {name} is version {version}."
)
DISCARDED = "Upload discarded; nothing changed."
ANOTHER_FILE = "Another framework file was uploaded since that page was shown. Check this one before saving."
CHECK_FIRST = "Check what this file would change, then save it."
RACED = "The library changed while saving. Check what this file would change now."
SAME_AS = "This file is the same as version {version} — nothing would change."


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
        self.request.session[PENDING] = {
            "id": uuid.uuid4().hex,
            "name": name,
            "content": form.content.decode("utf-8"),
        }
        return redirect("inspections:framework-upload-confirm")


class _StagedUploadMixin:
    """Reading the staged upload and the last one applied from the session."""

    def _pending(self) -> dict | None:
        pending = self.request.session.get(PENDING)
        if not isinstance(pending, dict) or not pending.get("content"):
            return None
        return pending

    def _answer_already_applied(self, message: str):
        """When this POST repeats an upload already applied in this session (double submit, back
        button), say so with `message` and go to its framework; otherwise return None."""
        applied = self.request.session.get(APPLIED)
        posted = self.request.POST.get(UPLOAD_ID, "")
        if not (posted and isinstance(applied, dict) and applied.get("id") == posted):
            return None
        messages.info(self.request, message.format(**applied))
        return redirect("inspections:framework-detail", code=applied["code"])


class FrameworkUploadConfirmView(Permission, _StagedUploadMixin, TemplateView):
    permission_required = CHANGE_FRAMEWORK
    template_name = "inspections/frameworks/framework_upload_confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = self._pending()
        if pending is None:
            return {**context, "nothing_pending": NOTHING_PENDING}
        name, content = pending["name"], pending["content"].encode("utf-8")
        try:
            preview = services.framework_upload_preview(name=name, content=content, with_milestones=True)
        except (FrameworkFileError, FrameworkSyncError) as exc:
            # The database changed since the file was checked: say so, save nothing.
            return {
                **context,
                "file_name": name,
                "problems": exc.problems,
                "upload_id": pending.get("id", ""),
            }
        return {
            **context,
            "file_name": name,
            "upload_id": pending.get("id", ""),
            "preview": preview,
            "can_save": not preview.nothing_changes,
            "same_as": SAME_AS.format(version=preview.previous_version),
        }

    def post(self, request, *args, **kwargs):
        if (repeated := self._answer_already_applied(ALREADY_APPLIED)) is not None:
            return repeated
        pending = self._pending()
        if pending is None:
            return self.render_to_response(self.get_context_data())
        posted = request.POST.get(UPLOAD_ID, "")
        # Only the file the page showed is saved: a POST that names no upload (an old form, a
        # script) or another one (a newer upload in another tab) is sent back to check this one.
        if posted != pending.get("id"):
            messages.info(request, ANOTHER_FILE if posted else CHECK_FIRST)
            return redirect("inspections:framework-upload-confirm")
        name, content = pending["name"], pending["content"].encode("utf-8")
        try:
            preview = services.framework_upload_apply(name=name, content=content, user=request.user)
        except (FrameworkFileError, FrameworkSyncError):
            return self.render_to_response(self.get_context_data())
        except IntegrityError:
            # A second confirmation racing the first added the same new framework: the first won.
            messages.info(request, RACED)
            return redirect("inspections:framework-upload-confirm")
        del request.session[PENDING]
        applied = {
            "id": pending.get("id", ""),
            "code": preview.code,
            "name": preview.name,
            "version": preview.version,
        }
        request.session[APPLIED] = applied
        if preview.nothing_changes:  # a double submit that arrived together: the other one saved it
            messages.info(request, ALREADY_APPLIED.format(**applied))
        else:
            messages.success(request, SAVED.format(name=preview.name))
        return redirect("inspections:framework-detail", code=preview.code)


class FrameworkUploadDiscardView(Permission, _StagedUploadMixin, View):
    """Throw the staged upload away (POST only) and go back to the library; nothing is saved."""

    permission_required = CHANGE_FRAMEWORK
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if (repeated := self._answer_already_applied(ALREADY_APPLIED_NOT_DISCARDED)) is not None:
            return repeated
        pending = self._pending()
        posted = request.POST.get(UPLOAD_ID, "")
        # Only the file the page showed: a newer upload from another tab stays staged.
        if pending is not None and (not posted or posted == pending.get("id")):
            del request.session[PENDING]
        messages.success(request, DISCARDED)
        return redirect("inspections:framework-list")
