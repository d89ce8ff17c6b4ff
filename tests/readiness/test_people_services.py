"""People and roles, the services: add, change role, deactivate, reset two-factor, unlock, and the
history each leaves (who, when, what; never a password hash; no row for signing in)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from readiness import roles
from readiness.people import selectors, services
from readiness.people.models import PASSWORD_CHANGED
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "plum-harbour-violet-72"  # noqa: S105 - a test password


def _add(username="jsmith", role=roles.AUDITOR, by=None, password=GOOD_PASSWORD, **extra):
    fields = {"first_name": "Jo", "last_name": "Smith", "email": f"{username}@example.gov.uk", **extra}
    return services.person_create(username=username, role=role, password=password, by=by, **fields)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lock_out(username: str, attempts: int = 5) -> None:
    client = Client()
    for _ in range(attempts):
        client.post("/sign-in/", {"username": username, "password": "not-the-password"})


def test_person_create_gives_exactly_one_role_a_usable_password_and_one_history_row():
    admin = make_user(roles.ADMINISTRATOR)
    person = _add(by=admin)
    assert list(person.groups.values_list("name", flat=True)) == [roles.AUDITOR]
    assert person.check_password(GOOD_PASSWORD) and not person.is_staff
    (row,) = person.history.all()
    assert row.history_type == "+" and row.history_user == admin
    assert [m.group.name for m in row.historicaluser_groups_set.all()] == [roles.AUDITOR]


def test_person_create_as_administrator_can_use_the_admin():
    assert _add(role=roles.ADMINISTRATOR).is_staff


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short-1", "at least 12 characters"),
        ("password1234", "too common"),
        ("jsmith@example.gov.uk", "too similar"),
    ],
)
def test_person_create_runs_the_project_password_validators(password, fragment):
    with pytest.raises(ValidationError) as caught:
        _add(password=password)
    assert any(fragment in message for message in caught.value.message_dict["password"])
    assert not User.objects.filter(username="jsmith").exists()


def test_person_create_refuses_a_taken_username_whatever_its_case():
    make_user(roles.AUDITOR, username="jsmith")
    with pytest.raises(ValidationError) as caught:
        _add(username="JSmith")
    assert caught.value.message_dict["username"] == [services.USERNAME_TAKEN]


def test_person_create_refuses_an_unknown_role():
    with pytest.raises(ValidationError) as caught:
        _add(role="Superhero")
    assert caught.value.message_dict["role"] == [services.UNKNOWN_ROLE]


def test_role_change_leaves_one_role_and_one_history_row_by_the_administrator():
    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.AUDITOR, username="jo")
    person.groups.add(Group.objects.get(name=roles.DCS))  # two roles, given in the admin
    before = person.history.count()
    assert services.person_role_change(person=person, role=roles.PERFORMANCE_MANAGER, by=admin)
    assert list(person.groups.values_list("name", flat=True)) == [roles.PERFORMANCE_MANAGER]
    assert person.history.count() == before + 1
    assert person.history.latest().history_user == admin
    rows = selectors.person_history(person=person).rows
    assert rows[0].who == admin
    assert f"Role: {roles.AUDITOR}, {roles.DCS} → {roles.PERFORMANCE_MANAGER}" in rows[0].changes


def test_role_change_to_the_same_role_changes_nothing():
    person = make_user(roles.AUDITOR, username="jo")
    before = person.history.count()
    assert not services.person_role_change(person=person, role=roles.AUDITOR, by=None)
    assert person.history.count() == before


def test_the_last_active_administrator_cannot_have_their_role_changed_away():
    admin = make_user(roles.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.person_role_change(person=admin, role=roles.AUDITOR, by=admin)
    assert admin.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_an_administrator_may_change_their_role_when_another_is_active():
    admin = make_user(roles.ADMINISTRATOR)
    make_user(roles.ADMINISTRATOR, username="admin2")
    assert services.person_role_change(person=admin, role=roles.DCS, by=admin)
    admin.refresh_from_db()
    assert not admin.is_staff


def test_a_deactivated_administrator_does_not_count_as_another_administrator():
    admin = make_user(roles.ADMINISTRATOR)
    other = make_user(roles.ADMINISTRATOR, username="admin2")
    other.is_active = False
    other.save()
    with pytest.raises(ValidationError, match="last active administrator"):
        services.person_role_change(person=admin, role=roles.AUDITOR, by=admin)


def test_you_cannot_deactivate_yourself():
    admin = make_user(roles.ADMINISTRATOR)
    make_user(roles.ADMINISTRATOR, username="admin2")
    with pytest.raises(ValidationError) as caught:
        services.person_deactivate(person=admin, by=admin)
    assert caught.value.messages == [services.CANNOT_DEACTIVATE_YOURSELF]
    admin.refresh_from_db()
    assert admin.is_active


def test_the_last_active_administrator_cannot_be_deactivated():
    superuser = User.objects.create_superuser("root", password=TEST_PASSWORD)
    superuser.is_active = False
    superuser.save()  # a deactivated superuser is no administrator either
    admin = make_user(roles.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.person_deactivate(person=admin, by=superuser)
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivation_ends_every_session_of_that_person_only():
    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.DCS)
    theirs = [_signed_in(person), _signed_in(person)]
    mine = _signed_in(admin)
    assert theirs[0].get("/dashboard/").status_code == 200
    assert services.person_deactivate(person=person, by=admin) == 2
    for client in theirs:
        response = client.get("/dashboard/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert mine.get("/people/").status_code == 200
    person.refresh_from_db()
    assert not person.is_active
    row = person.history.latest()
    assert row.history_user == admin and not row.is_active
    assert "Signed out everywhere (2 sessions ended)" in row.history_change_reason


def test_a_deactivated_person_cannot_sign_in_and_reactivation_lets_them():
    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.DCS)
    services.person_deactivate(person=person, by=admin)
    credentials = {"username": person.username, "password": TEST_PASSWORD}
    assert Client().post("/sign-in/", credentials).status_code == 200  # the form again, with its error
    services.person_reactivate(person=person, by=admin)
    assert Client().post("/sign-in/", credentials).status_code == 302
    with pytest.raises(ValidationError):
        services.person_reactivate(person=person, by=admin)


def test_two_factor_reset_removes_every_device_ends_sessions_and_is_recorded():
    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.DCS)
    TOTPDevice.objects.create(user=person, name="Old phone", confirmed=True)
    TOTPDevice.objects.create(user=person, name="Half set up", confirmed=False)
    other = TOTPDevice.objects.create(user=admin, name="Admin's phone", confirmed=True)
    client = _signed_in(person)
    assert services.person_two_factor_reset(person=person, by=admin) == 2
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    assert client.get("/dashboard/").status_code == 302
    row = person.history.latest()
    assert row.history_user == admin
    assert row.history_change_reason.splitlines() == [
        services.TWO_FACTOR_RESET.format(count=2, plural="s"),
        services.SIGNED_OUT.format(count=1, plural=""),
    ]


def test_unlock_clears_the_axes_lock_out_of_that_username_only():
    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.DCS)
    bystander = make_user(roles.AUDITOR)
    _lock_out(person.username)
    _lock_out(bystander.username)
    assert selectors.person_get(person_id=person.pk).is_locked_out
    assert selectors.lockouts(person=person)
    credentials = {"username": person.username, "password": TEST_PASSWORD}
    assert Client().post("/sign-in/", credentials).status_code == 429  # locked, right password or not
    assert services.person_unlock(person=person, by=admin) >= 1
    assert not selectors.person_get(person_id=person.pk).is_locked_out
    assert not AccessAttempt.objects.filter(username=person.username).exists()
    assert selectors.person_get(person_id=bystander.pk).is_locked_out
    assert Client().post("/sign-in/", credentials).status_code == 302
    row = person.history.latest()
    assert row.history_user == admin and row.history_change_reason.startswith("Unlocked")


def test_unlocking_someone_not_locked_out_writes_no_history():
    person = make_user(roles.DCS)
    before = person.history.count()
    assert services.person_unlock(person=person, by=None) == 0
    assert person.history.count() == before


def test_signing_in_writes_no_history_row():
    person = make_user(roles.DCS)
    before = person.history.count()
    client = Client()
    assert (
        client.post("/sign-in/", {"username": person.username, "password": TEST_PASSWORD}).status_code == 302
    )
    person.refresh_from_db()
    assert person.last_login is not None
    assert person.history.count() == before


def test_a_password_change_is_recorded_in_words_and_no_hash_is_ever_copied():
    person = make_user(roles.DCS)
    _add(username="jo", by=person)
    person.set_password("another-long-password-1")
    person.save()
    row = person.history.latest()
    assert row.history_change_reason == PASSWORD_CHANGED
    history_columns = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in history_columns and "last_login" not in history_columns
    for model_row in User.history.values():
        for value in model_row.values():
            assert not (isinstance(value, str) and value.startswith(("md5$", "pbkdf2_sha256$")))


def test_history_shows_the_admin_save_with_its_group_changes_as_one_change(client):
    from django.urls import reverse

    admin = make_user(roles.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    person = make_user(roles.AUDITOR, username="jo")
    client.force_login(admin)
    page = client.get(reverse("admin:auth_user_change", args=[person.pk]))
    assert page.status_code == 200
    data = {
        "username": "jo",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": "jo@example.gov.uk",
        "is_active": "on",
        "groups": [str(Group.objects.get(name=roles.DCS).pk)],
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": person.date_joined.strftime("%H:%M:%S"),
    }
    response = client.post(reverse("admin:auth_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content[:3000]
    assert all(row.history_user == admin for row in person.history.all()[:2])
    newest = selectors.person_history(person=person).rows[0]
    assert newest.who == admin
    assert "Last name: (blank) → Bloggs" in newest.changes
    assert f"Role: {roles.AUDITOR} → {roles.DCS}" in newest.changes


def test_only_administrators_hold_user_permissions_or_may_read_account_history():
    for group in Group.objects.filter(name__in=roles.ROLE_NAMES):
        keys = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list("content_type__app_label", "codename")
        }
        holds = {"auth.view_user", "auth.change_user", "readiness.view_historicaluser"} & keys
        if group.name == roles.ADMINISTRATOR:
            assert holds == {"auth.view_user", "auth.change_user", "readiness.view_historicaluser"}
            assert not {key for key in keys if key.startswith("readiness.change_historical")}
        else:
            assert not holds, group.name
            assert not {key for key in keys if key.startswith("auth.")}, group.name


def test_the_dcs_digest_does_not_count_account_changes():
    import datetime as dt

    from django.utils import timezone

    from readiness.dashboards.selectors.digest import history_counts

    admin = make_user(roles.ADMINISTRATOR)
    person = _add(by=admin)
    services.person_role_change(person=person, role=roles.DCS, by=admin)
    now = timezone.now()
    counts = dict(history_counts(start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1)))
    assert person.history.count() == 2
    assert not [name for name in counts if "user" in name.lower()], counts


# Name and e-mail address ---------------------------------------------------------------------------


def test_details_change_saves_name_and_email_with_one_history_row_by_the_administrator():
    admin = make_user(roles.ADMINISTRATOR)
    person = _add(by=admin)
    assert services.person_details_change(
        person=person, first_name=" Joanne ", last_name="Smythe", email="joanne@example.gov.uk", by=admin
    )
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email) == (
        "Joanne",
        "Smythe",
        "joanne@example.gov.uk",
    )
    newest = person.history.order_by("-history_id").first()
    assert newest.history_type == "~" and newest.history_user == admin
    assert person.history.count() == 2
    (row, _added) = selectors.person_history(person=person).rows
    assert row.who == admin
    assert row.changes == [
        "First name: Jo → Joanne",
        "Last name: Smith → Smythe",
        "E-mail: jsmith@example.gov.uk → joanne@example.gov.uk",
    ]


def test_details_change_with_nothing_different_writes_no_history():
    person = _add()
    assert not services.person_details_change(
        person=person, first_name="Jo", last_name="Smith", email="jsmith@example.gov.uk", by=None
    )
    assert person.history.count() == 1


@pytest.mark.parametrize("email", ["dana@example.gov.uk", "DANA@Example.gov.uk"])
def test_details_change_refuses_an_email_another_active_person_uses_whatever_its_case(email):
    _add(username="dana", first_name="Dana", last_name="Scully")
    person = _add()
    with pytest.raises(ValidationError) as caught:
        services.person_details_change(
            person=person, first_name="Jo", last_name="Smith", email=email, by=None
        )
    assert caught.value.message_dict["email"] == [services.EMAIL_TAKEN.format(name="Dana Scully")]
    person.refresh_from_db()
    assert person.email == "jsmith@example.gov.uk" and person.history.count() == 1


def test_details_change_allows_a_deactivated_persons_email_and_a_change_of_case_of_your_own():
    gone = _add(username="gone")
    services.person_deactivate(person=gone, by=None)
    person = _add()
    assert services.person_details_change(
        person=person, first_name="Jo", last_name="Smith", email="JSmith@example.gov.uk", by=None
    )
    assert services.person_details_change(
        person=person, first_name="Jo", last_name="Smith", email="gone@example.gov.uk", by=None
    )


def test_person_create_refuses_an_email_another_active_person_uses_as_details_change_does():
    _add(username="dana", first_name="Dana", last_name="Scully")
    with pytest.raises(ValidationError) as caught:
        _add(username="jsmith", email="Dana@example.gov.uk")
    assert caught.value.message_dict["email"] == [services.EMAIL_TAKEN.format(name="Dana Scully")]
    assert not User.objects.filter(username="jsmith").exists()
