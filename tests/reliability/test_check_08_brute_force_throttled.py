"""Check 8: brute force is throttled without a mass lockout.

tests/readiness/test_sign_in.py proves that the 6th attempt (even correct) gets 429 with a
plain-English message and that user Y on the same address still signs in. This adds the cool-off
(X signs in again once it has passed, not before) and "every attempt is logged": each failure, the
refused attempt and each success leave a record, and a wrong-password line never carries the password.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from readiness import roles
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db
WRONG = "not-the-password-123"


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_locked_user_signs_in_again_after_the_cool_off_and_not_before(settings):
    make_user(roles.AUDITOR)
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert cool_off == dt.timedelta(minutes=15)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with freeze_time(start) as clock:
        client = Client()
        for _ in range(4):
            assert _sign_in(client, "auditor", WRONG).status_code == 200
        assert _sign_in(client, "auditor", WRONG).status_code in (200, 429)  # the 5th locks
        assert _sign_in(client, "auditor", TEST_PASSWORD).status_code == 429
        clock.tick(cool_off - dt.timedelta(minutes=1))
        assert _sign_in(Client(), "auditor", TEST_PASSWORD).status_code == 429
        # django-axes counts the cool-off from the latest attempt, so that refused try restarted it.
        clock.tick(cool_off - dt.timedelta(minutes=1))
        assert _sign_in(Client(), "auditor", TEST_PASSWORD).status_code == 429
        clock.tick(cool_off + dt.timedelta(seconds=1))
        assert _sign_in(Client(), "auditor", TEST_PASSWORD).status_code == 302


def test_every_attempt_is_logged(caplog):
    make_user(roles.AUDITOR)
    make_user(roles.DCS)
    client = Client()
    with caplog.at_level("INFO", logger="axes"):
        for _ in range(5):
            _sign_in(client, "auditor", WRONG)
        assert _sign_in(client, "auditor", TEST_PASSWORD).status_code == 429
        assert _sign_in(Client(), "dcs", TEST_PASSWORD).status_code == 302
    attempt = AccessAttempt.objects.get(username="auditor")
    assert attempt.failures_since_start == 6 and attempt.ip_address
    assert AccessLog.objects.filter(username="dcs").count() == 1
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    failures = [line for line in lines if "login failure by" in line.lower()]
    locked = [line for line in lines if "locking out" in line.lower()]
    successes = [line for line in lines if "successful login" in line.lower()]
    assert len(failures) == 6, lines  # five wrong passwords and the refused sixth attempt
    assert locked, lines
    assert successes, lines
    assert not any(WRONG in line or TEST_PASSWORD in line for line in lines)
