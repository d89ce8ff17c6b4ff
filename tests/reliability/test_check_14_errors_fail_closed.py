"""Check 14: a view forced to raise returns the generic 500 page with no stack trace, SQL, setting
name or child data.

tests/readiness/test_pages.py calls the 500 view directly; this raises inside a real view, through
the whole middleware stack and the project's handler500, with DEBUG off.
"""

import sys

import pytest
from django.db import connection
from django.test import Client
from django.urls import include, path

import readiness.urls

pytestmark = pytest.mark.django_db

SECRET_BITS = ("C9090", "SELECT", "casework_child", "Traceback", "SECRET_KEY", "DATABASES", "boom-marker")


def boom(request):
    from casework.models import Child

    child = Child.objects.get(child_id="C9090")
    with connection.cursor() as cursor:
        cursor.execute("SELECT child_id FROM casework_child WHERE id = %s", [child.pk])
    message = "boom-marker {} SECRET_KEY DATABASES SELECT * FROM casework_child"
    raise RuntimeError(message.format(child.child_id))


urlpatterns = [path("test-boom/", boom), path("", include(readiness.urls))]
handler500 = readiness.urls.handler500
handler403 = readiness.urls.handler403
handler404 = readiness.urls.handler404


def test_a_view_that_raises_gets_the_generic_500_page_and_nothing_else(client_for, settings):
    from casework.models import Child
    from readiness import roles

    Child.objects.create(child_id="C9090", birth_year=2014)
    assert readiness.urls.handler500.__module__ == "readiness.views.errors"
    settings.DEBUG = False
    settings.ROOT_URLCONF = sys.modules[__name__]
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    client = Client(raise_request_exception=False)
    client.cookies = signed_in.cookies
    response = client.get("/test-boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    for bit in SECRET_BITS:
        assert bit not in body, bit
    assert "csrfmiddlewaretoken" not in body


def test_debug_is_off_unless_asked_for():
    import os
    import subprocess  # noqa: S404

    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x7#kq2!vP0s9LmZr4tYw8eNb3cFh6jUd1aGo5iXpQ-production-like",
        "DATABASE_URL": "sqlite:////tmp/readiness-debug-check.sqlite3",
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=readiness.urls.settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
