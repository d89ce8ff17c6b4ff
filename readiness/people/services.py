"""Writes for the people pages: add a person, change their name and e-mail address or their role,
deactivate and reactivate them, reset their two-factor sign-in, unlock them after too many wrong
passwords.

Each runs in one transaction with the history row that records it (readiness/people/models.py): the
acting administrator, the time, and what changed. A password is checked by the project's validators
and only ever stored as Django's hash, which history never copies.
"""

from __future__ import annotations

from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from readiness import roles
from readiness.people.models import record_event, recorded
from readiness.people.selectors import administrators_active

USERNAME_TAKEN = "That username is already taken"
EMAIL_TAKEN = (
    "{name} already uses that e-mail address. Each active person needs their own, so that reminders "
    "and the daily digest reach the right person."
)
UNKNOWN_ROLE = "Select one of the five roles"
CANNOT_DEACTIVATE_YOURSELF = "You cannot deactivate your own account. Ask another administrator to do it."
LAST_ADMINISTRATOR = (
    "{name} is the last active administrator. Give someone else the Administrator role first, "
    "so that someone can still manage people."
)
ALREADY_DEACTIVATED = "{name} is already deactivated"
ALREADY_ACTIVE = "{name} is already active"
SIGNED_OUT = "Signed out everywhere ({count} session{plural} ended)"
TWO_FACTOR_RESET = (
    "Two-factor sign-in reset: {count} authenticator app{plural} removed; "
    "they set up a new one at their next sign-in"
)
UNLOCKED = "Unlocked: {count} record{plural} of failed sign-ins cleared"


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def name_of(person: User) -> str:
    return person.get_full_name() or person.get_username()


def _role_group(role: str) -> Group:
    if role not in roles.ROLE_NAMES:
        raise ValidationError({"role": UNKNOWN_ROLE}, code="unknown_role")
    return Group.objects.get(name=role)


def _set_role(person: User, group: Group) -> None:
    """Give the person exactly this one role (other groups, if any, stay); history is written after."""
    person.skip_history_when_saving = True
    try:
        person.groups.remove(*person.groups.filter(name__in=roles.ROLE_NAMES).exclude(pk=group.pk))
        person.groups.add(group)
    finally:
        del person.skip_history_when_saving
    # Administrators also use the Django admin (README), which needs staff status.
    person.is_staff = person.is_superuser or group.name == roles.ADMINISTRATOR


def _is_administrator(person: User) -> bool:
    return person.is_active and (
        person.is_superuser or person.groups.filter(name=roles.ADMINISTRATOR).exists()
    )


def _refuse_if_last_administrator(person: User) -> None:
    """Refuse a change that would leave nobody active who can manage people.

    The active administrators' rows are locked first, so two administrators removing each other at
    the same moment cannot both pass: the second waits, then counts again.
    """
    candidates = administrators_active().values("pk")
    list(
        User.objects.select_for_update().filter(pk__in=candidates).order_by("pk").values_list("pk", flat=True)
    )
    if not administrators_active().exclude(pk=person.pk).exists():
        raise ValidationError(LAST_ADMINISTRATOR.format(name=name_of(person)), code="last_administrator")


def _email_problem(email: str, *, person: User | None = None) -> ValidationError | None:
    """Refuse an e-mail address another active person already uses (any case); deactivated people
    do not count, so someone who left and came back can be added again with their old address."""
    email = email.strip()
    if not email:
        return None
    others = User.objects.filter(is_active=True, email__iexact=email)
    if person is not None and person.pk is not None:
        others = others.exclude(pk=person.pk)
    holder = others.order_by("pk").first()
    if holder is None:
        return None
    return ValidationError(EMAIL_TAKEN.format(name=name_of(holder)), code="email_taken")


def person_create_problems(
    *, username: str, first_name: str = "", last_name: str = "", email: str = "", password: str | None = None
) -> dict[str, list[ValidationError]]:
    """What would stop this person being added: a taken username, an e-mail address another active
    person uses, a password the validators refuse.

    The add-person form asks this too, so every problem shows at once, not one round at a time.
    """
    problems: dict[str, list[ValidationError]] = {}
    if username and User.objects.filter(username__iexact=username.strip()).exists():
        problems["username"] = [ValidationError(USERNAME_TAKEN, code="username_taken")]
    if (email_problem := _email_problem(email)) is not None:
        problems["email"] = [email_problem]
    if password is not None:
        person = User(username=username.strip(), first_name=first_name, last_name=last_name, email=email)
        try:
            password_validation.validate_password(password, user=person)
        except ValidationError as exc:
            problems["password"] = exc.error_list
    return problems


@transaction.atomic
def person_create(
    *, username: str, first_name: str, last_name: str, email: str, role: str, password: str, by: User | None
) -> User:
    """Add a person with one role and an initial password; raise ValidationError keyed by field."""
    username, first_name, last_name = username.strip(), first_name.strip(), last_name.strip()
    errors = person_create_problems(
        username=username, first_name=first_name, last_name=last_name, email=email, password=password
    )
    if role not in roles.ROLE_NAMES:
        errors["role"] = [ValidationError(UNKNOWN_ROLE, code="unknown_role")]
    if errors:
        raise ValidationError(errors)
    person = User(username=username, first_name=first_name, last_name=last_name, email=email)
    person.set_password(password)
    # Administrators also use the Django admin (README), which needs staff status.
    person.is_staff = role == roles.ADMINISTRATOR
    person.skip_history_when_saving = True
    try:
        person.save()
        person.groups.add(_role_group(role))
    finally:
        del person.skip_history_when_saving
    # One "added" row, with the role already set.
    record_event(person, by=by, history_type="+")
    return person


def person_details_problems(*, person: User, email: str) -> dict[str, list[ValidationError]]:
    """What would stop these details being saved: an e-mail address another active person uses.

    The change-details form asks this too, so its error shows with the form's own.
    """
    problem = _email_problem(email, person=person)
    return {"email": [problem]} if problem is not None else {}


@transaction.atomic
def person_details_change(
    *, person: User, first_name: str, last_name: str, email: str, by: User | None
) -> bool:
    """Change the person's name and e-mail address; return False when nothing changed.

    The save writes one history row by `by`; the person's page shows it as the fields changed.
    """
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    if (person.first_name, person.last_name, person.email) == (first_name, last_name, email):
        return False
    errors = person_details_problems(person=person, email=email)
    if errors:
        raise ValidationError(errors)
    person.first_name, person.last_name, person.email = first_name, last_name, email
    with recorded(person, by=by):
        person.save(update_fields=["first_name", "last_name", "email"])
    return True


@transaction.atomic
def person_role_change(*, person: User, role: str, by: User | None) -> bool:
    """Give the person exactly one role; return False when it is the role they already have."""
    group = _role_group(role)
    current = set(person.groups.filter(name__in=roles.ROLE_NAMES).values_list("name", flat=True))
    if current == {role}:
        return False
    if _is_administrator(person) and role != roles.ADMINISTRATOR and not person.is_superuser:
        _refuse_if_last_administrator(person)
    _set_role(person, group)
    with recorded(person, by=by):
        person.save()
    return True


def sessions_end(*, person: User) -> int:
    """End every session this person is signed in with; return how many were ended.

    Sessions live in the database (the default engine): each unexpired one is read to find its user.
    A council has hundreds of sessions at most, so reading them all is cheap and needs no extra table.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0  # signed-cookie sessions cannot be ended from the server
    ended = 0
    for session in store_class.get_model_class().objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(person.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, person: User, by: User | None) -> int:
    """Stop the person signing in and end their sessions; return how many sessions were ended."""
    if by is not None and by.pk == person.pk:
        raise ValidationError(CANNOT_DEACTIVATE_YOURSELF, code="deactivate_self")
    if not person.is_active:
        raise ValidationError(ALREADY_DEACTIVATED.format(name=name_of(person)), code="already_deactivated")
    if _is_administrator(person):
        _refuse_if_last_administrator(person)
    ended = sessions_end(person=person)
    person.is_active = False
    with recorded(person, by=by, lines=[SIGNED_OUT.format(count=ended, plural=_plural(ended))]):
        person.save(update_fields=["is_active"])
    return ended


@transaction.atomic
def person_reactivate(*, person: User, by: User | None) -> None:
    """Let a deactivated person sign in again (with the password and two-factor app they had)."""
    if person.is_active:
        raise ValidationError(ALREADY_ACTIVE.format(name=name_of(person)), code="already_active")
    person.is_active = True
    with recorded(person, by=by):
        person.save(update_fields=["is_active"])


@transaction.atomic
def person_two_factor_reset(*, person: User, by: User | None) -> int:
    """Remove the person's authenticator apps and end their sessions; return how many apps went.

    At their next sign-in (password first) they are asked to set up a new app.
    """
    devices = list(TOTPDevice.objects.filter(user=person))
    for device in devices:
        device.delete()
    ended = sessions_end(person=person)
    record_event(
        person,
        by=by,
        lines=[
            TWO_FACTOR_RESET.format(count=len(devices), plural=_plural(len(devices))),
            SIGNED_OUT.format(count=ended, plural=_plural(ended)),
        ],
    )
    return len(devices)


@transaction.atomic
def person_unlock(*, person: User, by: User | None) -> int:
    """Clear django-axes' lock-outs of this username (as `axes_reset_username` does); return how many."""
    cleared = axes_reset(username=person.username)
    if cleared:
        record_event(person, by=by, lines=[UNLOCKED.format(count=cleared, plural=_plural(cleared))])
    return cleared
