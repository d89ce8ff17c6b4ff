"""People and roles: the council administrator's pages for everyday account support.

Who may: the permissions on Django's own user model. Only the Administrator role holds `auth.*`
(readiness/roles.py), so only administrators (and superusers) get past these checks: looking needs
`auth.view_user`, adding `auth.add_user`, every change `auth.change_user`. Everyone else gets 403.
Every change is a POST with the CSRF token; the ones that cannot be undone from here (deactivating,
resetting two-factor sign-in) ask first on a page of their own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from readiness.people import selectors, services
from readiness.people.forms import PersonCreateForm, PersonDetailsForm, PersonFilterForm, PersonRoleForm

PERSON_ADDED = "{name} has been added as {role}"
DETAILS_CHANGED = "{name}’s name and e-mail address have been saved"
DETAILS_UNCHANGED = "{name}’s name and e-mail address were already these: nothing changed"
ROLE_CHANGED = "{name} is now {role}"
ROLE_UNCHANGED = "{name} already has the role {role}: nothing changed"
DEACTIVATED = "{name} has been deactivated and signed out everywhere. They can no longer sign in."
REACTIVATED = "{name} has been reactivated and can sign in again"
TWO_FACTOR_RESET = (
    "{name}'s two-factor sign-in has been reset and they have been signed out. "
    "They will set up a new authenticator app when they next sign in."
)
TWO_FACTOR_RESET_YOURS = (
    "Your two-factor sign-in has been reset and you have been signed out. Sign in again with your "
    "password, then set up your authenticator app again."
)
UNLOCKED = "{name} has been unlocked and can try signing in again"
NOT_LOCKED = "{name} was not locked out: nothing to unlock"


class Permission(PermissionRequiredMixin):
    """Deny by default: every view names its permission; refusals are 403."""

    raise_exception = True


class PersonMixin(Permission):
    @cached_property
    def person(self):
        person = selectors.person_get(person_id=self.kwargs["person_pk"])
        if person is None:
            raise Http404("No such person")
        return person

    @property
    def name(self) -> str:
        return services.name_of(self.person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person, name=self.name, role=selectors.role_name(self.person), **kwargs
        )


def _error_messages(exc: ValidationError) -> list[str]:
    return exc.messages


class PersonListView(Permission, TemplateView):
    permission_required = "auth.view_user"
    template_name = "readiness/people/person_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        form = PersonFilterForm(self.request.GET or None)
        values = form.values() if self.request.GET else {"q": "", "role": "", "status": ""}
        people = selectors.person_list(role=values["role"], status=values["status"], search=values["q"])
        page = Paginator(people, self.paginate_by).get_page(self.request.GET.get("page"))
        for person in page.object_list:
            person.role = selectors.role_name(person)
        query = {name: value for name, value in values.items() if value}
        return super().get_context_data(
            filter_form=form,
            page_obj=page,
            people=page.object_list,
            filtered=bool(query),
            filters_qs=urlencode(query),
            **kwargs,
        )


class PersonCreateView(Permission, FormView):
    permission_required = "auth.add_user"
    template_name = "readiness/people/person_form.html"
    form_class = PersonCreateForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            person = services.person_create(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                password=data["password"],
                by=self.request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, PERSON_ADDED.format(name=services.name_of(person), role=data["role"]))
        return redirect("readiness:person-added", person_pk=person.pk)


class PersonAddedView(PersonMixin, TemplateView):
    """The confirmation page after adding someone: what happens at their first sign-in."""

    permission_required = "auth.view_user"
    template_name = "readiness/people/person_added.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(require_two_factor=settings.REQUIRE_TWO_FACTOR, **kwargs)


class PersonDetailView(PersonMixin, TemplateView):
    permission_required = "auth.view_user"
    template_name = "readiness/people/person_detail.html"

    def get_context_data(self, **kwargs):
        person = self.person
        return super().get_context_data(
            is_you=person.pk == self.request.user.pk,
            has_devices=TOTPDevice.objects.filter(user=person).exists(),
            lockouts=selectors.lockouts(person=person),
            history=selectors.person_history(person=person),
            require_two_factor=settings.REQUIRE_TWO_FACTOR,
            **kwargs,
        )


class PersonDetailsView(PersonMixin, FormView):
    """Change a person's name and e-mail address (their username stays: it is how they sign in)."""

    permission_required = "auth.change_user"
    template_name = "readiness/people/person_details.html"
    form_class = PersonDetailsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        person = self.person
        return {"first_name": person.first_name, "last_name": person.last_name, "email": person.email}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            changed = services.person_details_change(
                person=self.person,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                by=self.request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        message = DETAILS_CHANGED if changed else DETAILS_UNCHANGED
        messages.success(self.request, message.format(name=services.name_of(self.person)))
        return redirect("readiness:person-detail", person_pk=self.person.pk)


class PersonRoleView(PersonMixin, FormView):
    permission_required = "auth.change_user"
    template_name = "readiness/people/person_role.html"
    form_class = PersonRoleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "legend": f"Which role should {self.name} have?"}

    def get_initial(self):
        groups = self.person.role_groups
        return {"role": groups[0].name} if len(groups) == 1 else {}

    def form_valid(self, form):
        role = form.cleaned_data["role"]
        try:
            changed = services.person_role_change(person=self.person, role=role, by=self.request.user)
        except ValidationError as exc:
            form.add_error("role", _error_messages(exc))
            return self.form_invalid(form)
        message = ROLE_CHANGED if changed else ROLE_UNCHANGED
        messages.success(self.request, message.format(name=self.name, role=role))
        # Read afresh: request.user's permissions were cached before the change.
        if not User.objects.get(pk=self.request.user.pk).has_perm("auth.view_user"):
            return redirect("readiness:home")  # they took the Administrator role away from themselves
        return redirect("readiness:person-detail", person_pk=self.person.pk)


class ConfirmView(PersonMixin, TemplateView):
    """A confirmation page (GET) and the change it confirms (POST); a refusal re-renders with an error."""

    permission_required = "auth.change_user"
    template_name = "readiness/people/person_confirm.html"
    heading = ""
    warning = ""
    button_text = ""

    def act(self) -> str:
        """Make the change and return the success message; raise ValidationError to refuse."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading.format(name=self.name),
            warning=self.warning.format(name=self.name),
            button_text=self.button_text,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            message = self.act()
        except ValidationError as exc:
            context = self.get_context_data(errors=_error_messages(exc))
            return self.render_to_response(context)
        return self.done(message)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect("readiness:person-detail", person_pk=self.person.pk)


class PersonDeactivateView(ConfirmView):
    heading = "Deactivate {name}?"
    warning = (
        "{name} will be signed out everywhere at once and will not be able to sign in. Their history "
        "and everything they recorded are kept. You can reactivate them later."
    )
    button_text = "Deactivate"

    def act(self) -> str:
        services.person_deactivate(person=self.person, by=self.request.user)
        return DEACTIVATED.format(name=self.name)


class PersonTwoFactorResetView(ConfirmView):
    heading = "Reset two-factor sign-in for {name}?"
    warning = (
        "Their authenticator app will stop working here and they will be signed out everywhere. When "
        "they next sign in with their password they will set up a new app. Only do this once you are "
        "sure who is asking, for example by calling them back on a number you already have."
    )
    button_text = "Reset two-factor sign-in"
    # An administrator resetting their own: the reset ends every session of theirs, this one too.
    own_heading = "Reset your own two-factor sign-in?"
    own_warning = (
        "You will be signed out and asked to set up two-factor sign-in again. Your authenticator app "
        "will stop working here: when you sign in again with your password you will scan a new QR code "
        "with it."
    )

    @property
    def is_you(self) -> bool:
        return self.person.pk == self.request.user.pk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.is_you:
            context.update(heading=self.own_heading, warning=self.own_warning)
        return context

    def act(self) -> str:
        services.person_two_factor_reset(person=self.person, by=self.request.user)
        return TWO_FACTOR_RESET.format(name=self.name)

    def done(self, message: str):
        if not self.is_you:
            return super().done(message)
        # Their session has already been ended with the others; forget it here too, and say why
        # they are at the sign-in page (the message lives in the new, signed-out session).
        logout(self.request)
        messages.info(self.request, TWO_FACTOR_RESET_YOURS)
        return redirect(settings.LOGIN_URL)


class PostOnlyView(PersonMixin, View):
    """A button on the person's page: POST only, then back to the page with what happened."""

    permission_required = "auth.change_user"
    http_method_names = ["post"]

    def act(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            messages.success(request, self.act())
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        return redirect(reverse("readiness:person-detail", kwargs={"person_pk": self.person.pk}))


class PersonReactivateView(PostOnlyView):
    def act(self) -> str:
        services.person_reactivate(person=self.person, by=self.request.user)
        return REACTIVATED.format(name=self.name)


class PersonUnlockView(PostOnlyView):
    def act(self) -> str:
        cleared = services.person_unlock(person=self.person, by=self.request.user)
        return (UNLOCKED if cleared else NOT_LOCKED).format(name=self.name)
