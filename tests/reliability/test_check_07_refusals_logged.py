"""Check 7: each 403 writes one security-log record with user id, role, URL name, method and a UTC
timestamp, and no child data.

tests/test_access.py proves one record with the URL name and method; this adds the user id, the role,
the UTC timestamp as the configured handler writes it (with the machine's clock set to another zone,
so local time cannot pass for UTC) and one record per refusal over several refusals.
"""

import datetime as dt
import logging
import re
import time

import pytest
from django.urls import reverse

from readiness import roles

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) WARNING readiness\.security permission_denied "
    r"user_id=(?P<user_id>\d+) roles=(?P<roles>[^=]+) url_name=(?P<url_name>\S+) method=(?P<method>[A-Z]+)$"
)


@pytest.fixture
def far_from_utc(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _security_handler():
    handlers = logging.getLogger("readiness.security").handlers
    assert handlers, "readiness.security has no handler of its own: refusals would not be written"
    return handlers[0]


def test_each_refusal_writes_one_record_with_who_what_and_when_in_utc(client_for, caplog, far_from_utc):
    from casework.models import Child

    child = Child.objects.create(child_id="C7777", birth_year=2016)
    board = client_for(roles.BOARD_MEMBER)
    from django.contrib.auth.models import User

    board_user = User.objects.get(username="board")
    requests = [
        ("get", reverse("casework:child-detail", kwargs={"pk": child.pk}), "casework:child-detail", "GET"),
        ("get", reverse("casework:child-list"), "casework:child-list", "GET"),
        ("post", reverse("casework:import"), "casework:import", "POST"),
    ]
    formatter = _security_handler().formatter
    with caplog.at_level("INFO", logger="readiness.security"):
        for method, url, _, _ in requests:
            assert getattr(board, method)(url).status_code == 403
    records = [r for r in caplog.records if r.name == "readiness.security"]
    assert len(records) == len(requests), [r.getMessage() for r in records]
    now = dt.datetime.now(dt.UTC)
    for record, (_, _, url_name, http_method) in zip(records, requests, strict=True):
        line = formatter.format(record)
        match = LINE.match(line)
        assert match, line
        assert match["user_id"] == str(board_user.pk)
        assert match["roles"] == roles.BOARD_MEMBER
        assert match["url_name"] == url_name and match["method"] == http_method
        written_at = dt.datetime.strptime(match["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        assert abs((now - written_at).total_seconds()) < 60, (line, now)
        assert "C7777" not in line and str(child.birth_year) not in line


def test_a_csrf_refusal_is_logged_with_the_same_fields(caplog, far_from_utc):
    from django.contrib.auth.models import User
    from django.test import Client

    from tests.conftest import make_user

    user = make_user(roles.PERFORMANCE_MANAGER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    formatter = _security_handler().formatter
    with caplog.at_level("INFO", logger="readiness.security"):
        assert client.post(reverse("casework:import"), {}).status_code == 403
    records = [r for r in caplog.records if r.name == "readiness.security"]
    assert len(records) == 1
    line = formatter.format(records[0])
    pattern = LINE.pattern.replace("permission_denied", "csrf_failure")
    match = re.match(pattern, line)
    assert match, line
    assert match["user_id"] == str(User.objects.get(username="pm").pk)
    assert match["roles"] == roles.PERFORMANCE_MANAGER and match["url_name"] == "casework:import"
