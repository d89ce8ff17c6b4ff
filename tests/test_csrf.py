"""CSRF on every form: a POST without the token is refused on every named URL, for a signed-in user."""

import pytest
from django.test import Client

from readiness import roles
from tests.conftest import make_user
from tests.test_access import _named_patterns, _url, objects  # noqa: F401 - `objects` is a fixture

pytestmark = pytest.mark.django_db

CSRF_PAGE = b"Your form could not be sent"


def test_every_url_refuses_a_post_without_the_csrf_token(objects):  # noqa: F811
    administrator = make_user(roles.ADMINISTRATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    accepted = []
    for name, pattern in _named_patterns():
        response = client.post(_url(name, pattern, objects), {"anything": "x"})
        if response.status_code != 403 or CSRF_PAGE not in response.content:
            accepted.append((name, response.status_code))
    assert not accepted, f"These URLs took a POST without a CSRF token: {accepted}"


def test_the_same_post_with_the_token_gets_past_the_csrf_check(objects):  # noqa: F811
    administrator = make_user(roles.ADMINISTRATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    client.get("/reports/new/")
    token = client.cookies["csrftoken"].value
    response = client.post("/reports/new/", {"kind": "", "csrfmiddlewaretoken": token})
    assert response.status_code == 200  # the form's own error, not the CSRF refusal
    assert CSRF_PAGE not in response.content
