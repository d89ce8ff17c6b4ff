"""Check 16: a UI create, update and delete each yield one history row with user, UTC time and the
changed fields.

tests/test_history.py is the registry test (a domain model without history fails) and proves the
acting user on a create through the admin. This follows one record through create, update and delete
in the pages people use.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from readiness import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_create_update_delete_through_the_admin_each_write_one_history_row(client):
    from casework.models import Child

    admin = make_user(roles.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    form = {
        "child_id": "C1600",
        "gender": "unknown",
        "disability": "unknown",
        "ethnicity": "",
        "birth_year": "2012",
    }
    started = timezone.now()
    assert client.post(reverse("admin:casework_child_add"), form).status_code == 302
    child = Child.objects.get(child_id="C1600")
    change = reverse("admin:casework_child_change", args=[child.pk])
    assert client.post(change, {**form, "birth_year": "2013", "gender": "female"}).status_code == 302
    assert (
        client.post(reverse("admin:casework_child_delete", args=[child.pk]), {"post": "yes"}).status_code
        == 302
    )

    rows = list(Child.history.filter(id=child.pk).order_by("history_id"))
    assert [row.history_type for row in rows] == ["+", "~", "-"]
    for row in rows:
        assert row.history_user == admin
        assert row.history_date.utcoffset() == dt.timedelta(0)  # stored and read back in UTC
        assert started - dt.timedelta(seconds=5) <= row.history_date <= timezone.now()
    changed = rows[1].diff_against(rows[0])
    assert sorted(change.field for change in changed.changes) == ["birth_year", "gender"]
