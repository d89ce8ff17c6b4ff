"""Shared fixtures: one signed-in client per role, fast hashing, a private MEDIA_ROOT, eager Celery."""

import os

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread; Django's ORM calls from
# the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from readiness import roles  # noqa: E402

ROLE_USERNAMES = {
    roles.PERFORMANCE_MANAGER: "pm",
    roles.DCS: "dcs",
    roles.AUDITOR: "auditor",
    roles.BOARD_MEMBER: "board",
    roles.ADMINISTRATOR: "admin",
}
TEST_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Most tests sign in with force_login; tests/readiness/test_two_factor.py switches this on.
    settings.REQUIRE_TWO_FACTOR = False


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Run tasks in-process unless a test is marked `integration` (then a real worker runs them)."""
    from readiness.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def make_user(role: str | None, username: str | None = None):
    from django.contrib.auth.models import Group, User

    username = username or (ROLE_USERNAMES[role] if role else "norole")
    user = User.objects.create_user(username=username, password=TEST_PASSWORD, first_name=username.title())
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def role_user(db):
    return make_user


@pytest.fixture
def client_for(db, client):
    """Return a function giving a signed-in test client for a role (None = a user with no role)."""
    from django.test import Client

    def _client(role: str | None) -> Client:
        user = make_user(role)
        signed_in = Client()
        signed_in.force_login(user)
        return signed_in

    return _client


def pytest_runtest_setup(item):
    """`@pytest.mark.postgresql("why")`: skip on SQLite with the reason; under CI=true, fail instead.

    CI runs the suite on PostgreSQL, so a PostgreSQL-only test that skips there has silently not run.
    """
    marker = item.get_closest_marker("postgresql")
    if marker is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    reason = marker.args[0] if marker.args else "needs PostgreSQL"
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL-only test must run in CI (set DATABASE_URL): {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL only (set DATABASE_URL to run it): {reason}")
