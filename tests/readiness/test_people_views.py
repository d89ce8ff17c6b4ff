"""People and roles, the pages: who may open them, the list's filters, adding a person (errors in a
GOV.UK error summary), the person's page with its history, and each action through its POST."""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from readiness import roles
from readiness.navigation import nav_for
from readiness.people import selectors, services, views
from readiness.people.forms import (
    EMAIL_FORMAT,
    ENTER_FIRST_NAME,
    ENTER_LAST_NAME,
    ENTER_USERNAME,
    SELECT_ROLE,
)
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

ADM = roles.ADMINISTRATOR
OTHER_ROLES = [role for role in roles.ROLE_NAMES if role != ADM]
GOOD = {
    "username": "jsmith",
    "first_name": "Jo",
    "last_name": "Smith",
    "email": "jo.smith@example.gov.uk",
    "role": roles.AUDITOR,
    "password": "plum-harbour-violet-72",
}


@pytest.fixture
def admin():
    return make_user(ADM)


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def person():
    return make_user(roles.DCS, username="dana")


def _urls(person_pk: int) -> list[tuple[str, str]]:
    """Every people URL and the method it answers."""
    return [
        ("get", reverse("readiness:person-list")),
        ("get", reverse("readiness:person-create")),
        ("post", reverse("readiness:person-create")),
        ("get", reverse("readiness:person-detail", args=[person_pk])),
        ("get", reverse("readiness:person-added", args=[person_pk])),
        ("get", reverse("readiness:person-details", args=[person_pk])),
        ("post", reverse("readiness:person-details", args=[person_pk])),
        ("get", reverse("readiness:person-role", args=[person_pk])),
        ("post", reverse("readiness:person-role", args=[person_pk])),
        ("get", reverse("readiness:person-deactivate", args=[person_pk])),
        ("post", reverse("readiness:person-deactivate", args=[person_pk])),
        ("post", reverse("readiness:person-reactivate", args=[person_pk])),
        ("get", reverse("readiness:person-two-factor-reset", args=[person_pk])),
        ("post", reverse("readiness:person-two-factor-reset", args=[person_pk])),
        ("post", reverse("readiness:person-unlock", args=[person_pk])),
    ]


@pytest.mark.parametrize("role", [*OTHER_ROLES, None])
def test_every_other_role_is_refused_every_people_page_and_action(client_for, person, role):
    client = client_for(role)
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    for method, url in _urls(person.pk):
        assert getattr(client, method)(url, GOOD if method == "post" else None).status_code == 403, url
    person.refresh_from_db()
    assert person.is_active and TOTPDevice.objects.filter(user=person).exists()
    assert not User.objects.filter(username="jsmith").exists()


def test_board_member_never_sees_the_people_link_or_page(client_for):
    board_client = client_for(roles.BOARD_MEMBER)
    board = User.objects.get(username="board")
    assert "People" not in [item["label"] for item in nav_for(board)]
    page = board_client.get("/board/")
    assert reverse("readiness:person-list") not in page.content.decode()
    assert board_client.get(reverse("readiness:person-list")).status_code == 403


def test_administrators_have_the_people_link(admin):
    assert "People" in [item["label"] for item in nav_for(admin)]


def test_anonymous_is_sent_to_sign_in(person):
    response = Client().get(reverse("readiness:person-detail", args=[person.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_shows_each_persons_role_status_two_factor_and_lock_out(admin_client, person):
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    for _ in range(5):
        Client().post("/sign-in/", {"username": "dana", "password": "wrong-password"})
    body = admin_client.get(reverse("readiness:person-list")).content.decode()
    assert "dana" in body and roles.DCS.replace("'", "&#x27;") in body
    row = body[body.index(">dana<") :].split("</tr>")[0]
    assert "Active" in row and "Yes" in row and "Locked out" in row


def test_list_filters_by_role_status_and_words_and_keeps_them_across_pages(admin_client):
    for n in range(30):
        make_user(roles.AUDITOR, username=f"auditor{n:02d}")
    make_user(roles.DCS, username="zed")
    gone = make_user(roles.AUDITOR, username="gone")
    gone.is_active = False
    gone.save()
    url = reverse("readiness:person-list")
    page = admin_client.get(url, {"role": roles.AUDITOR, "status": "active", "q": "auditor"})
    body = page.content.decode()
    assert "30 people found" in body
    assert "zed" not in body and ">gone<" not in body
    assert "q=auditor&amp;role=Auditor&amp;status=active&amp;page=2" in body
    second = admin_client.get(url, {"role": roles.AUDITOR, "status": "active", "q": "auditor", "page": 2})
    assert "auditor29" in second.content.decode()
    deactivated = admin_client.get(url, {"status": "deactivated"}).content.decode()
    assert ">gone<" in deactivated and "auditor00" not in deactivated


def test_list_ignores_a_bad_filter_value_and_shows_an_empty_state(admin_client):
    url = reverse("readiness:person-list")
    assert admin_client.get(url, {"role": "Emperor", "status": "??"}).status_code == 200
    body = admin_client.get(url, {"q": "nobody-by-this-name"}).content.decode()
    assert "No people found" in body


def test_add_person_with_errors_re_renders_with_the_error_summary_and_what_was_typed(admin_client):
    data = {**GOOD, "username": "", "role": "", "password": "short"}
    response = admin_client.post(reverse("readiness:person-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body and "govuk-error-summary" in body
    assert ENTER_USERNAME in body and SELECT_ROLE in body
    assert 'value="jo.smith@example.gov.uk"' in body
    assert not User.objects.filter(email=GOOD["email"]).exists()


def test_add_person_reports_a_taken_username_and_a_weak_password_with_the_other_errors(admin_client, person):
    response = admin_client.post(
        reverse("readiness:person-create"),
        {**GOOD, "username": "Dana", "password": "password1234", "last_name": ""},
    )
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("<h1")]
    assert services.USERNAME_TAKEN in summary
    assert "This password is too common." in summary
    assert ENTER_LAST_NAME in summary


@pytest.mark.parametrize(
    ("required", "words"), [(True, "set up two-factor sign-in"), (False, "switched off")]
)
def test_add_person_confirms_and_says_what_happens_at_first_sign_in(
    settings, admin_client, admin, required, words
):
    settings.REQUIRE_TWO_FACTOR = required
    if required:  # the administrator has signed in with their own code
        device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
        session = admin_client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    response = admin_client.post(reverse("readiness:person-create"), GOOD, follow=True)
    person = User.objects.get(username="jsmith")
    assert response.redirect_chain[-1][0] == reverse("readiness:person-added", args=[person.pk])
    body = response.content.decode()
    assert "Jo Smith added" in body and words in body
    assert person.history.get().history_user == admin
    assert Client().post("/sign-in/", {"username": "jsmith", "password": GOOD["password"]}).status_code == 302


def test_person_page_shows_details_and_the_history_of_changes(admin_client, admin, person):
    services.person_role_change(person=person, role=roles.AUDITOR, by=admin)
    body = admin_client.get(reverse("readiness:person-detail", args=[person.pk])).content.decode()
    assert "Changes to this account" in body
    assert f"Role: {roles.DCS.replace(chr(39), '&#x27;')} → Auditor" in body
    assert admin.get_full_name() in body
    assert "pbkdf2" not in body and "md5$" not in body


def test_change_role_through_the_page(admin_client, admin, person):
    url = reverse("readiness:person-role", args=[person.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"role": roles.BOARD_MEMBER}, follow=True)
    assert views.ROLE_CHANGED.format(name="Dana", role=roles.BOARD_MEMBER) in response.content.decode()
    assert list(person.groups.values_list("name", flat=True)) == [roles.BOARD_MEMBER]


def test_change_role_away_from_the_last_administrator_shows_the_error(admin_client, admin):
    response = admin_client.post(reverse("readiness:person-role", args=[admin.pk]), {"role": roles.AUDITOR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "last active administrator" in body
    assert admin.groups.filter(name=ADM).exists()


def test_deactivate_asks_first_then_signs_them_out(admin_client, person):
    url = reverse("readiness:person-deactivate", args=[person.pk])
    theirs = Client()
    theirs.force_login(person)
    page = admin_client.get(url)
    assert "Deactivate Dana?" in page.content.decode()
    person.refresh_from_db()
    assert person.is_active  # looking changes nothing
    response = admin_client.post(url, follow=True)
    assert views.DEACTIVATED.format(name="Dana") in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    assert theirs.get("/dashboard/").status_code == 302


def test_deactivating_yourself_is_refused_with_an_error_summary(admin_client, admin):
    make_user(ADM, username="admin2")
    response = admin_client.post(reverse("readiness:person-deactivate", args=[admin.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "You cannot deactivate your own account" in body
    admin.refresh_from_db()
    assert admin.is_active


def test_reactivate_is_a_post_from_the_page(admin_client, admin, person):
    services.person_deactivate(person=person, by=admin)
    url = reverse("readiness:person-reactivate", args=[person.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert views.REACTIVATED.format(name="Dana") in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


def test_two_factor_reset_through_the_page_removes_their_devices(admin_client, person):
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    page = admin_client.get(reverse("readiness:person-detail", args=[person.pk])).content.decode()
    assert "Reset their two-factor sign-in" in page
    response = admin_client.post(reverse("readiness:person-two-factor-reset", args=[person.pk]), follow=True)
    assert "two-factor sign-in has been reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_unlock_through_the_page_clears_the_lock_out(admin_client, person):
    for _ in range(5):
        Client().post("/sign-in/", {"username": "dana", "password": "wrong-password"})
    page = admin_client.get(reverse("readiness:person-detail", args=[person.pk])).content.decode()
    assert "Unlock Dana" in page
    response = admin_client.post(reverse("readiness:person-unlock", args=[person.pk]), follow=True)
    assert views.UNLOCKED.format(name="Dana") in response.content.decode()
    assert Client().post("/sign-in/", {"username": "dana", "password": TEST_PASSWORD}).status_code == 302


def test_actions_need_the_csrf_token(admin, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    for url in (
        reverse("readiness:person-deactivate", args=[person.pk]),
        reverse("readiness:person-two-factor-reset", args=[person.pk]),
        reverse("readiness:person-unlock", args=[person.pk]),
        reverse("readiness:person-role", args=[person.pk]),
        reverse("readiness:person-details", args=[person.pk]),
    ):
        assert client.post(url, {"role": roles.AUDITOR, **GOOD}).status_code == 403, url
    person.refresh_from_db()
    assert person.is_active and person.groups.filter(name=roles.DCS).exists()
    assert person.email == ""


def test_an_unknown_person_is_404(admin_client):
    assert admin_client.get(reverse("readiness:person-detail", args=[987654])).status_code == 404


def test_an_administrator_who_gives_themselves_another_role_is_sent_home(admin_client, admin):
    make_user(ADM, username="admin2")
    response = admin_client.post(reverse("readiness:person-role", args=[admin.pk]), {"role": roles.DCS})
    assert response.status_code == 302 and response["Location"] == reverse("readiness:home")
    assert admin_client.get(reverse("readiness:person-list")).status_code == 403


# Name and e-mail address ---------------------------------------------------------------------------


def test_person_page_links_to_change_name_and_email(admin_client, person):
    body = admin_client.get(reverse("readiness:person-detail", args=[person.pk])).content.decode()
    url = reverse("readiness:person-details", args=[person.pk])
    assert f'href="{url}">Change<span class="govuk-visually-hidden"> name</span>' in body
    assert f'href="{url}">Change<span class="govuk-visually-hidden"> e-mail address</span>' in body


def test_change_details_form_starts_with_their_current_name_and_email(admin_client, person):
    person.email = "dana@example.gov.uk"
    person.save()
    body = admin_client.get(reverse("readiness:person-details", args=[person.pk])).content.decode()
    assert 'value="Dana"' in body and 'value="dana@example.gov.uk"' in body
    assert "Change name and e-mail address" in body


def test_change_details_with_errors_shows_the_error_summary_and_keeps_what_was_typed(admin_client, person):
    url = reverse("readiness:person-details", args=[person.pk])
    response = admin_client.post(url, {"first_name": "", "last_name": "Scully", "email": "not-an-address"})
    assert response.status_code == 200
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("<h1")]
    assert ENTER_FIRST_NAME in summary and EMAIL_FORMAT in summary
    assert "<title>Error: " in body and 'value="Scully"' in body and 'value="not-an-address"' in body
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email) == ("Dana", "", "")


def test_change_details_refuses_an_email_another_active_person_uses(admin_client, admin, person):
    admin.email = "admin@example.gov.uk"
    admin.save()
    url = reverse("readiness:person-details", args=[person.pk])
    response = admin_client.post(
        url, {"first_name": "Dana", "last_name": "Scully", "email": "Admin@example.gov.uk"}
    )
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("<h1")]
    assert services.EMAIL_TAKEN.format(name="Admin") in summary
    person.refresh_from_db()
    assert person.email == "" and person.last_name == ""


def test_add_person_refuses_an_email_another_active_person_uses(admin_client, admin):
    admin.email = GOOD["email"]
    admin.save()
    body = admin_client.post(reverse("readiness:person-create"), GOOD).content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("<h1")]
    assert services.EMAIL_TAKEN.format(name="Admin") in summary
    assert not User.objects.filter(username="jsmith").exists()


def test_change_details_saves_and_the_history_says_what_changed_and_who(admin_client, admin, person):
    admin.first_name, admin.last_name = "Alex", "Morgan"
    admin.save()
    url = reverse("readiness:person-details", args=[person.pk])
    data = {"first_name": "Dana", "last_name": "Scully", "email": "dana.scully@example.gov.uk"}
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("readiness:person-detail", args=[person.pk])
    body = response.content.decode()
    assert views.DETAILS_CHANGED.format(name="Dana Scully") in body
    history = body[body.index("Changes to this account") :]
    row = history[history.index("<tbody") :].split("</tr>")[0]
    assert "Alex Morgan" in row
    assert "Last name: (blank) → Scully" in row
    assert "E-mail: (blank) → dana.scully@example.gov.uk" in row
    person.refresh_from_db()
    assert person.get_full_name() == "Dana Scully" and person.email == "dana.scully@example.gov.uk"


def test_change_details_with_nothing_different_says_so_and_writes_no_history(admin_client, person):
    data = {"first_name": "Dana", "last_name": "Scully", "email": "d@example.gov.uk"}
    url = reverse("readiness:person-details", args=[person.pk])
    admin_client.post(url, data)
    rows = person.history.count()
    again = admin_client.post(url, data, follow=True)
    assert views.DETAILS_UNCHANGED.format(name="Dana Scully") in again.content.decode()
    assert person.history.count() == rows


# Resetting your own two-factor sign-in -------------------------------------------------------------


def _verified(client: Client, user: User) -> TOTPDevice:
    """Sign the client in past two-factor, as the administrator would have at sign-in."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def test_resetting_your_own_two_factor_says_first_that_you_will_be_signed_out(settings, admin_client, admin):
    settings.REQUIRE_TWO_FACTOR = True
    _verified(admin_client, admin)
    page = admin_client.get(reverse("readiness:person-detail", args=[admin.pk])).content.decode()
    assert "Reset your own two-factor sign-in" in page
    body = admin_client.get(reverse("readiness:person-two-factor-reset", args=[admin.pk])).content.decode()
    assert "Reset your own two-factor sign-in?" in body
    assert "You will be signed out and asked to set up two-factor sign-in again" in body
    assert TOTPDevice.objects.filter(user=admin).exists()  # looking changes nothing


def test_resetting_your_own_two_factor_signs_you_out_to_the_sign_in_page_with_a_message(
    settings, admin_client, admin
):
    settings.REQUIRE_TWO_FACTOR = True
    _verified(admin_client, admin)
    response = admin_client.post(reverse("readiness:person-two-factor-reset", args=[admin.pk]), follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert response.status_code == 200
    body = response.content.decode()
    assert views.TWO_FACTOR_RESET_YOURS in body
    assert "govuk-error-summary" not in body
    assert not TOTPDevice.objects.filter(user=admin).exists()
    # Signed out: the next page asks them to sign in; signing in leads to setting up a new app.
    again = admin_client.get(reverse("readiness:person-list"))
    assert again.status_code == 302 and again["Location"].startswith(reverse("login"))
    signed_in = admin_client.post(reverse("login"), {"username": "admin", "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert admin_client.get(reverse("readiness:person-list"))["Location"].startswith(
        reverse("two-factor-setup")
    )
    row = selectors.person_history(person=admin).rows[0]
    assert row.who == admin and any("Two-factor sign-in reset" in line for line in row.changes)


@pytest.mark.parametrize("name", ["person-detail", "person-details", "person-role", "person-deactivate"])
def test_each_page_about_a_person_has_a_title_that_starts_with_its_heading(admin_client, person, name):
    body = admin_client.get(reverse(f"readiness:{name}", args=[person.pk])).content.decode()
    title = html.unescape(re.search(r"<title>(.*?)</title>", body, re.S).group(1)).strip()
    heading = " ".join(
        re.sub(r"<[^>]+>", " ", re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)).split()
    )
    assert title.startswith(html.unescape(heading)), (title, heading)
