"""Sample, case audit and Annex A pages. Thin: bind a form, call one service, redirect (PRG).

An auditor reaches only the audits assigned to them: every audit view looks the audit up through
`audit_list_for(user=...)`, so another auditor's audit is a 404 whatever the URL says.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView

from casework import audit_services as services
from casework.audit_questions import question_set
from casework.forms import (
    AnnexAForm,
    AuditForm,
    EscalationForm,
    EscalationResponseForm,
    ModerationForm,
    SampleAssignForm,
    SampleDrawForm,
    SampleForm,
    SampleMembersForm,
    SampleUploadForm,
)
from casework.models import CaseAudit, CaseAuditEscalation, Sample
from casework.samples import rule_summary, sample_read_csv
from casework.selectors import (
    AUDIT_VIEWS,
    audit_changes,
    audit_list_for,
    audit_list_view,
    sample_changes,
    sample_progress,
)

SAMPLE_SAVED = "Sample saved: {count} children."
SAMPLE_DRAWN = "Sample drawn with seed {seed}: {count} children. Use the same seed to draw it again."
AUDITS_ASSIGNED = "{count} audit{s} assigned to {name}."
AUDIT_SAVED = "Your draft is saved."
AUDIT_SUBMITTED = "Audit submitted for moderation."
AUDIT_MODERATED = "Moderation saved."
AUDIT_SHARED = "Audit marked as shared with inspectors."
ESCALATED = "Escalation recorded and the team manager has been emailed."
RESPONSE_SAVED = "The team manager's response is recorded."


def _errors_to_form(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: field errors on fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


# Samples ---------------------------------------------------------------------------------------


class SampleListView(PermissionRequiredMixin, ListView):
    permission_required = "casework.view_sample"
    raise_exception = True
    model = Sample
    paginate_by = 50
    template_name = "casework/sample_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("inspection")


class _SampleEntryView(PermissionRequiredMixin, FormView):
    permission_required = "casework.add_sample"
    raise_exception = True
    template_name = "casework/sample_form.html"
    heading = ""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": self.heading, "multipart": self.multipart}

    multipart = False

    def rows(self, form) -> list[dict] | None:
        raise NotImplementedError

    def form_valid(self, form):
        rows = self.rows(form)
        if rows is None:
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            sample = services.sample_create(
                kind=data["kind"],
                title=data["title"],
                rows=rows,
                user=self.request.user,
                inspection=data.get("inspection"),
                due_on=data.get("due_on"),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SAMPLE_SAVED.format(count=len(rows)))
        return redirect(sample)


def _line_words(problems: list[str]) -> list[str]:
    return [p.replace("row ", "line ", 1) if p.startswith("row ") else p for p in problems]


class SampleCreateView(_SampleEntryView):
    form_class = SampleForm
    heading = "Enter a sample"

    def rows(self, form):
        return form.rows()

    def form_invalid(self, form):
        # Line numbers, not row numbers: the form has no header row.
        for name in (None, "children"):
            key = name or "__all__"
            if key in form.errors:
                form.errors[key] = form.error_class(_line_words(list(form.errors[key])))
        return super().form_invalid(form)


class SampleUploadView(_SampleEntryView):
    form_class = SampleUploadForm
    heading = "Upload a sample"
    multipart = True

    def rows(self, form):
        rows, problems = sample_read_csv(form.cleaned_data["file"])
        for problem in problems:
            form.add_error("file", problem)
        return None if problems else rows


class SampleDrawView(PermissionRequiredMixin, FormView):
    permission_required = "casework.add_sample"
    raise_exception = True
    form_class = SampleDrawForm
    template_name = "casework/sample_draw.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            sample = services.sample_draw(
                title=data["title"],
                as_of=data["as_of"],
                size=data["size"],
                seed=data["seed"],
                minimum_per_stratum=data["minimum_per_stratum"],
                due_on=data.get("due_on"),
                user=self.request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SAMPLE_DRAWN.format(seed=sample.seed, count=sample.members.count()))
        return redirect(sample)


class SampleDetailView(PermissionRequiredMixin, View):
    """The progress page: n of N done, the grade profile, overdue audits."""

    permission_required = "casework.view_sample"
    raise_exception = True

    def get(self, request, sample_pk):
        sample = get_object_or_404(Sample.objects.select_related("inspection"), pk=sample_pk)
        progress = sample_progress(sample=sample, today=timezone.localdate())
        return render(
            request,
            "casework/sample_detail.html",
            {
                "sample": sample,
                "progress": progress,
                "due_on": services.sample_due_on(sample),
                "rule_summary": rule_summary(sample.rule_code),
                "changes": sample_changes(sample=sample),
                "assign_form": SampleAssignForm()
                if request.user.has_perm("casework.change_sample")
                else None,
            },
        )


class SampleMembersView(PermissionRequiredMixin, FormView):
    permission_required = "casework.change_sample"
    raise_exception = True
    form_class = SampleMembersForm
    template_name = "casework/sample_members_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # refuse before looking anything up: 403, never 404
            return self.handle_no_permission()
        self.sample = get_object_or_404(Sample, pk=kwargs["sample_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        lines = [
            f"{m.child.child_id}, {m.cohort}, {'yes' if m.out_of_borough else 'no'}"
            for m in self.sample.members.select_related("child")
        ]
        return {"children": "\n".join(lines)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sample": self.sample}

    def form_valid(self, form):
        rows = form.rows()
        try:
            services.sample_members_replace(sample=self.sample, rows=rows)
        except ValidationError as error:
            _errors_to_form(form, error)
            form.errors["__all__"] = form.error_class(_line_words(list(form.errors.get("__all__", []))))
            return self.form_invalid(form)
        messages.success(self.request, SAMPLE_SAVED.format(count=len(rows)))
        return redirect(self.sample)


class SampleAssignView(PermissionRequiredMixin, FormView):
    permission_required = "casework.change_sample"
    raise_exception = True
    form_class = SampleAssignForm
    template_name = "casework/sample_assign.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # refuse before looking anything up: 403, never 404
            return self.handle_no_permission()
        self.sample = get_object_or_404(Sample, pk=kwargs["sample_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sample": self.sample}

    def form_valid(self, form):
        auditor = form.cleaned_data["auditor"]
        created = services.sample_audits_assign(sample=self.sample, auditor=auditor)
        name = auditor.get_full_name() or auditor.get_username()
        messages.success(
            self.request,
            AUDITS_ASSIGNED.format(count=len(created), s="" if len(created) == 1 else "s", name=name),
        )
        return redirect(self.sample)


# Audits ----------------------------------------------------------------------------------------


class AuditListView(PermissionRequiredMixin, ListView):
    """My audits: an auditor sees their own; a moderator, and the DCS (read only), every audit."""

    permission_required = "casework.view_caseaudit"
    raise_exception = True
    paginate_by = 50
    template_name = "casework/audit_list.html"

    def get_queryset(self):
        # An unknown ?show= (an old bookmark, a typo) shows everything rather than an error.
        self.view = self.request.GET.get("show", "all")
        if self.view not in AUDIT_VIEWS:
            self.view = "all"
        audits, self.views = audit_list_view(user=self.request.user, view=self.view)
        return audits

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "today": timezone.localdate(),
            "views": self.views,
            "view": self.view,
            "view_label": AUDIT_VIEWS[self.view][0],
            "filters_qs": f"show={self.view}",
        }


class _AuditMixin(PermissionRequiredMixin):
    raise_exception = True

    def get_audit(self) -> CaseAudit:
        # Scoped lookup: another auditor's audit does not exist for this user (404, never 403).
        return get_object_or_404(audit_list_for(user=self.request.user), pk=self.kwargs["audit_pk"])

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # refuse before looking anything up: 403, never 404
            return self.handle_no_permission()
        self.audit = self.get_audit()
        return super().dispatch(request, *args, **kwargs)


def _answer_summary(audit: CaseAudit) -> list[tuple[str, str, str]]:
    answers = {a.domain: a for a in audit.answers.all()}
    rows = []
    for domain in question_set(audit.question_set_version, audit.cohort):
        answer = answers.get(domain.code)
        rows.append(
            (domain.name, answer.get_grade_display() if answer else "", answer.comment if answer else "")
        )
    return rows


class AuditEditView(_AuditMixin, FormView):
    permission_required = "casework.change_caseaudit"
    form_class = AuditForm
    template_name = "casework/audit_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["domains"] = question_set(self.audit.question_set_version, self.audit.cohort)
        return kwargs

    def get_initial(self):
        initial = {
            "overall_grade": self.audit.overall_grade,
            "strengths": self.audit.strengths,
            "areas_for_development": self.audit.areas_for_development,
        }
        for answer in self.audit.answers.all():
            initial[f"grade_{answer.domain}"] = answer.grade
            initial[f"comment_{answer.domain}"] = answer.comment
        return initial

    def get_context_data(self, **kwargs):
        editable = self.audit.status in (CaseAudit.Status.ASSIGNED, CaseAudit.Status.IN_PROGRESS)
        return {
            **super().get_context_data(**kwargs),
            "audit": self.audit,
            "editable": editable,
            "summary": _answer_summary(self.audit),
            "actions": self.audit.actions.all(),
            "escalations": self.audit.escalations.all(),
            "changes": audit_changes(audit=self.audit),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            audit = services.audit_save_answers(
                audit=self.audit,
                user=user,
                answers=form.answers(),
                overall_grade=data["overall_grade"] or "",
                strengths=data["strengths"],
                areas_for_development=data["areas_for_development"],
            )
            if data.get("action_text"):
                services.audit_action_add(
                    audit=audit,
                    user=user,
                    text=data["action_text"],
                    owner=data["action_owner"],
                    due_on=data["action_due_on"],
                )
            if "submit" in self.request.POST:
                services.audit_submit(audit=audit, user=user)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        submitted = "submit" in self.request.POST
        messages.success(self.request, AUDIT_SUBMITTED if submitted else AUDIT_SAVED)
        if submitted:
            return redirect("casework:audit-list")
        return redirect("casework:audit-edit", audit_pk=audit.pk)


class AuditModerateView(_AuditMixin, FormView):
    permission_required = "casework.moderate_audits"
    form_class = ModerationForm
    template_name = "casework/audit_moderate.html"

    def get_initial(self):
        agreement = {True: "yes", False: "no"}.get(self.audit.agreement, None)
        return {
            "moderator_grade": self.audit.moderator_grade,
            "agreement": agreement,
            "moderator_comment": self.audit.moderator_comment,
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "audit": self.audit,
            "summary": _answer_summary(self.audit),
            "actions": self.audit.actions.all(),
            "escalations": self.audit.escalations.all(),
            "changes": audit_changes(audit=self.audit),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.audit_moderate(
                audit=self.audit,
                moderator=self.request.user,
                grade=data["moderator_grade"],
                agreement=data["agreement"],
                comment=data["moderator_comment"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, AUDIT_MODERATED)
        return redirect("casework:audit-moderate", audit_pk=self.audit.pk)


class AuditShareView(_AuditMixin, View):
    """Confirm, then time-stamp the moment the audit went to the inspectors."""

    permission_required = "casework.moderate_audits"

    def get(self, request, audit_pk):
        return render(request, "casework/audit_share.html", {"audit": self.audit})

    def post(self, request, audit_pk):
        try:
            services.audit_share(audit=self.audit, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, AUDIT_SHARED)
        return HttpResponseRedirect(reverse("casework:audit-moderate", kwargs={"audit_pk": audit_pk}))


class AuditEscalateView(_AuditMixin, FormView):
    permission_required = "casework.add_caseauditescalation"
    form_class = EscalationForm
    template_name = "casework/audit_escalate.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "audit": self.audit,
            "escalations": self.audit.escalations.select_related("raised_by"),
        }

    def form_valid(self, form):
        try:
            services.escalation_raise(audit=self.audit, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ESCALATED)
        return redirect("casework:audit-edit", audit_pk=self.audit.pk)


class EscalationRespondView(PermissionRequiredMixin, FormView):
    permission_required = "casework.moderate_audits"
    raise_exception = True
    form_class = EscalationResponseForm
    template_name = "casework/escalation_respond.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # refuse before looking anything up: 403, never 404
            return self.handle_no_permission()
        self.escalation = get_object_or_404(
            CaseAuditEscalation.objects.select_related("audit__child"), pk=kwargs["escalation_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "escalation": self.escalation}

    def form_valid(self, form):
        try:
            services.escalation_respond(
                escalation=self.escalation, response=form.cleaned_data["response"], user=self.request.user
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, RESPONSE_SAVED)
        return redirect("casework:audit-moderate", audit_pk=self.escalation.audit_id)


# Annex A ---------------------------------------------------------------------------------------


class AnnexAView(PermissionRequiredMixin, FormView):
    """Pick the date of the return; the workbook downloads at once (built in memory)."""

    permission_required = "casework.export_annex_a"
    raise_exception = True
    form_class = AnnexAForm
    template_name = "casework/annex_a.html"

    def form_valid(self, form):
        import io

        from casework.annex_a import annex_a_write

        as_of = form.cleaned_data["as_of"]
        buffer = io.BytesIO()
        annex_a_write(as_of=as_of, out=buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="annex-a-{as_of.isoformat()}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response
