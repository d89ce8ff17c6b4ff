"""Check 11: after sign-out, replaying the old session cookie lands on the sign-in page.

tests/readiness/test_sign_in.py proves the new session key, idle and absolute limits and the same
client being signed out; tests/readiness/test_two_factor.py proves that deactivating a user or
changing their password ends their other sessions. This replays the cookie itself.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from readiness import roles
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_old_session_cookie_is_dead_after_sign_out():
    make_user(roles.DCS)
    client = Client()
    assert client.post(reverse("login"), {"username": "dcs", "password": TEST_PASSWORD}).status_code == 302
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("readiness:dashboard")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("readiness:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
