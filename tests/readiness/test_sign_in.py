import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from readiness import roles
from readiness.forms import SIGN_IN_INVALID
from readiness.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/sign-in/"


def test_sign_in_page_uses_the_gov_uk_form(client):
    page = client.get(LOGIN).content.decode()
    assert 'class="govuk-input' in page
    assert "Sign in to Inspection readiness" in page
    assert "govuk-frontend/" in page and "app.js" in page


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client):
    make_user(roles.AUDITOR)
    response = client.post(LOGIN, {"username": "auditor", "password": "wrong-password-here"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert SIGN_IN_INVALID.split(".")[0] in page
    assert 'value="auditor"' in page
    assert "<title>Error: Sign in" in page


def test_empty_form_names_each_missing_field(client):
    page = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page


def test_correct_password_signs_in_and_changes_the_session_key(client):
    make_user(roles.PERFORMANCE_MANAGER)
    client.get(LOGIN)
    before = client.session.session_key
    response = client.post(LOGIN, {"username": "pm", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("readiness:dashboard")).status_code == 200


def test_five_failures_lock_that_user_on_that_address_but_not_another_user(client):
    make_user(roles.AUDITOR)
    make_user(roles.DCS)
    for _ in range(5):
        client.post(LOGIN, {"username": "auditor", "password": "not-the-password"})
    locked = client.post(LOGIN, {"username": "auditor", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert b"Too many attempts to sign in" in locked.content
    other = client.post(LOGIN, {"username": "dcs", "password": TEST_PASSWORD})
    assert other.status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client):
    user = make_user(roles.DCS)
    client.force_login(user)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert client.get(reverse("readiness:dashboard")).status_code == 302


def _signed_in(client, **session_values):
    user = make_user(roles.DCS)
    client.force_login(user)
    session = client.session
    session.update(session_values)
    session.save()
    return user


def test_idle_session_is_signed_out(client, settings):
    now = time.time()
    _signed_in(
        client,
        **{SESSION_STARTED_KEY: now - 60, SESSION_LAST_SEEN_KEY: now - settings.SESSION_IDLE_SECONDS - 5},
    )
    response = client.get(reverse("readiness:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(reverse("readiness:dashboard")).status_code == 302


def test_absolute_session_limit_applies_even_when_active(client, settings):
    now = time.time()
    _signed_in(
        client,
        **{SESSION_STARTED_KEY: now - settings.SESSION_ABSOLUTE_SECONDS - 5, SESSION_LAST_SEEN_KEY: now},
    )
    response = client.get(reverse("readiness:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_active_session_within_limits_is_kept(client):
    now = time.time()
    _signed_in(client, **{SESSION_STARTED_KEY: now - 600, SESSION_LAST_SEEN_KEY: now - 60})
    assert client.get(reverse("readiness:dashboard")).status_code == 200


def test_role_removed_bites_on_the_next_request(client):
    user = _signed_in(client)
    assert client.get(reverse("readiness:dashboard")).status_code == 200
    User.objects.get(pk=user.pk).groups.clear()
    assert client.get(reverse("readiness:dashboard")).status_code == 403


def test_signed_in_pages_are_not_cached(client):
    _signed_in(client)
    response = client.get(reverse("readiness:dashboard"))
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "<script>" not in response.content.decode()


def test_a_page_view_within_a_minute_does_not_rewrite_the_session(client):
    now = time.time()
    _signed_in(client, **{SESSION_STARTED_KEY: now - 600, SESSION_LAST_SEEN_KEY: now - 5})
    before = client.session[SESSION_LAST_SEEN_KEY]
    assert client.get(reverse("readiness:dashboard")).status_code == 200
    assert client.session[SESSION_LAST_SEEN_KEY] == before


def test_a_page_view_after_a_minute_moves_last_seen_on(client):
    now = time.time()
    _signed_in(client, **{SESSION_STARTED_KEY: now - 600, SESSION_LAST_SEEN_KEY: now - 120})
    assert client.get(reverse("readiness:dashboard")).status_code == 200
    assert client.session[SESSION_LAST_SEEN_KEY] > now - 5
