"""Check 12: cookies and headers under production settings.

tests/test_deploy_files.py reads the production values of the cookie and HSTS settings; this takes
the same values from a process started with production-like variables (DEBUG off, no overrides),
applies them here and looks at what the responses really carry: Set-Cookie attributes, HSTS,
nosniff, Referrer-Policy, every CSP directive the check names (on every HTML page a user can reach),
and no-store on every child-level page.
"""

import json
import os
import re
import subprocess  # noqa: S404
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from readiness import roles
from tests.conftest import TEST_PASSWORD, make_user
from tests.test_access import ACCESS, CHILD_LEVEL_NAMESPACES, _named_patterns, _url
from tests.test_access import objects as objects  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
]


@pytest.fixture(scope="module")
def production_settings():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x7#kq2!vP0s9LmZr4tYw8eNb3cFh6jUd1aGo5iXpQ-production-like",
        "ALLOWED_HOSTS": "readiness.northmoor.gov.uk",
        "DATABASE_URL": "sqlite:////tmp/readiness-headers-check.sqlite3",
    }
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production(settings, production_settings):
    assert production_settings["DEBUG"] is False
    for name, value in production_settings.items():
        setattr(settings, name, value)
    return production_settings


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.strip().split()[0]: part.strip() for part in header.split(";") if part.strip()}


def _assert_html_headers(response, where):
    assert response.get("Strict-Transport-Security"), where
    max_age = int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"])[1])
    assert max_age >= 31536000, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response.get("Referrer-Policy"), where
    policy = _policy(response)
    assert policy.get("object-src") == "object-src 'none'", (where, policy)
    assert policy.get("base-uri") == "base-uri 'none'", (where, policy)
    assert policy.get("frame-ancestors") == "frame-ancestors 'none'", (where, policy)
    script_src = policy.get("script-src") or policy.get("default-src")
    assert script_src and "'unsafe-inline'" not in script_src, (where, policy)


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(production):
    make_user(roles.DCS)
    client = Client()
    page = client.get(reverse("login"), secure=True)
    _assert_html_headers(page, "login")
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and str(csrf["samesite"]).lower() == "lax"
    response = client.post(reverse("login"), {"username": "dcs", "password": TEST_PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and str(session["samesite"]).lower() == "lax"


def test_every_html_page_a_signed_in_user_reaches_carries_the_headers(production, objects):  # noqa: F811
    client = Client()
    client.force_login(make_user(roles.ADMINISTRATOR))
    seen = 0
    for name, pattern in _named_patterns():
        if ACCESS[name] == "post-only":
            continue
        response = client.get(_url(name, pattern, objects), secure=True)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            _assert_html_headers(response, name)
            seen += 1
    assert seen > 40


def test_every_child_level_url_says_no_store(production, objects):  # noqa: F811
    client = Client()
    client.force_login(make_user(roles.PERFORMANCE_MANAGER))
    checked = []
    for name, pattern in _named_patterns():
        if name.split(":")[0] not in CHILD_LEVEL_NAMESPACES or ACCESS[name] == "post-only":
            continue
        response = client.get(_url(name, pattern, objects), secure=True)
        assert response.status_code in (200, 302), (name, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), (name, response.get("Cache-Control"))
        checked.append(name)
    assert "casework:child-detail" in checked and "casework:indicator-children-csv" in checked
