"""TOTP two-factor sign-in for every role, and password changes that end other sessions."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from readiness import roles
from readiness.forms import TWO_FACTOR_CODE_WRONG
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_TWO_FACTOR = True


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _password_only(role=roles.DCS) -> tuple[Client, object]:
    user = make_user(role)
    client = Client()
    assert client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    return client, user


@pytest.mark.parametrize("role", roles.ROLE_NAMES)
def test_every_role_is_sent_to_set_up_two_factor_before_any_page(role):
    client, _ = _password_only(role)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_setup_shows_a_qr_code_and_confirming_a_code_opens_the_service():
    client, user = _password_only()
    page = client.get(reverse("two-factor-setup"))
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two-factor-setup"), {"code": _code(device), "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(DASHBOARD).status_code == 200


def test_setup_with_a_wrong_code_shows_the_error_summary_and_keeps_the_device_unconfirmed():
    client, user = _password_only()
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert b"govuk-error-summary" in response.content
    assert TWO_FACTOR_CODE_WRONG.split(",")[0].encode() in response.content
    assert not TOTPDevice.objects.get(user=user).confirmed


def _with_device():
    client, user = _password_only()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return client, user, device


def test_a_user_with_a_device_must_enter_a_code_on_every_protected_url(client_for):
    client, _, device = _with_device()
    for url in (DASHBOARD, "/casework/children/", "/system-status/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two-factor-verify")), url
    assert client.post(reverse("two-factor-verify"), {"code": _code(device)}).status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_a_code_cannot_be_used_twice():
    client, user, device = _with_device()
    code = _code(device)
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    other = Client()
    other.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    response = other.post(reverse("two-factor-verify"), {"code": code})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert other.get(DASHBOARD).status_code == 302


def test_after_a_wrong_code_the_right_one_is_refused_inside_the_throttle_delay():
    client, _, device = _with_device()
    assert client.post(reverse("two-factor-verify"), {"code": "000001"}).status_code == 200
    response = client.post(reverse("two-factor-verify"), {"code": _code(device)})
    assert response.status_code == 200  # refused: the 1-second delay after a failure has not passed
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post(reverse("two-factor-verify"), {"code": _code(device)}).status_code == 302


def test_health_and_sign_out_need_no_code():
    client, _, _ = _with_device()
    assert client.get("/health/").status_code == 200
    assert client.post("/sign-out/").status_code == 302


def test_next_must_stay_on_this_site():
    client, _, device = _with_device()
    response = client.post(
        reverse("two-factor-verify"), {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("readiness:home")


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(settings):
    settings.REQUIRE_TWO_FACTOR = False
    user = make_user(roles.PERFORMANCE_MANAGER)
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(
        reverse("password-change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a brand new long passphrase",
            "new_password2": "a brand new long passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get(DASHBOARD).status_code == 200
    assert elsewhere.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("elevenchars", False), ("Password123!", False), ("twelve chars", True), ("w" * 30 + " x" * 17, True)],
)
def test_password_policy(settings, password, accepted):
    settings.REQUIRE_TWO_FACTOR = False
    user = make_user(roles.AUDITOR)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert (response.status_code == 302) is accepted, response.content[:3000]


def test_deactivating_a_user_ends_their_session(settings):
    settings.REQUIRE_TWO_FACTOR = False
    user = make_user(roles.DCS)
    client = Client()
    client.force_login(user)
    assert client.get(DASHBOARD).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(DASHBOARD).status_code == 302
