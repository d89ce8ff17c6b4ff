"""Two administrators deactivating each other at the same moment leave one of them active.

Each counts the other as the remaining administrator; without the lock on the administrators' rows
both would pass and nobody could manage people any more. Needs PostgreSQL's row locks (SQLite runs
one writer at a time).
"""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from readiness import roles
from readiness.people import services
from tests.conftest import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),  # each administrator is another session: commits are real
    pytest.mark.postgresql("the guard is a row lock; SQLite runs one writer at a time"),
]


def test_two_administrators_deactivating_each_other_at_once_leave_one_active():
    first_admin = make_user(roles.ADMINISTRATOR, username="first")
    second_admin = make_user(roles.ADMINISTRATOR, username="second")
    first_is_in = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.person_deactivate(person=User.objects.get(pk=second_admin.pk), by=first_admin)
                first_is_in.set()
                time.sleep(1)  # still uncommitted while the second administrator presses the button
            results["first"] = "deactivated"
        except ValidationError as exc:
            results["first"] = exc.messages
        finally:
            first_is_in.set()
            connection.close()

    def second():
        first_is_in.wait(10)
        try:
            services.person_deactivate(person=User.objects.get(pk=first_admin.pk), by=second_admin)
            results["second"] = "deactivated"
        except ValidationError as exc:
            results["second"] = exc.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results["first"] == "deactivated"
    assert results["second"] == [services.LAST_ADMINISTRATOR.format(name="First")]
    assert list(User.objects.filter(is_active=True).values_list("username", flat=True)) == ["first"]
