"""Check 17: history rows are not editable or deletable through any URL, the admin included.

tests/test_bulk_write_guard.py is the AST guard against queryset writes and tests/readiness/
test_roles.py proves no role holds change/delete permission on a historical model. This checks the
URLs: no view of ours and no admin page edits or deletes a history row, even for a superuser.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_no_historical_model_is_registered_in_the_admin():
    registered = [
        model._meta.label for model in admin.site._registry if model.__name__.startswith("Historical")
    ]
    assert not registered


def test_no_url_edits_or_deletes_a_historical_model():
    for route, pattern in _all_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        model = getattr(view_class, "model", None)
        if model is not None:
            assert not model.__name__.startswith("Historical"), route
        assert "historical" not in route.lower(), route


def test_a_superuser_cannot_revert_or_rewrite_a_history_row_through_the_admin(client):
    """SIMPLE_HISTORY_REVERT_DISABLED only hides simple_history's Revert button; the POST must fail too."""
    from casework.models import Child

    superuser = User.objects.create_superuser("root", password="root-password-for-tests")
    client.force_login(superuser)
    child = Child.objects.create(child_id="C1700", birth_year=2012)
    child.birth_year = 2013
    child.save()
    first = child.history.earliest()
    rows_before = list(child.history.order_by("history_id").values())

    history_form = reverse("admin:casework_child_simple_history", args=[child.pk, first.history_id])
    assert client.get(history_form).status_code == 200  # looking is fine
    valid = {
        "child_id": "C1700",
        "birth_year": "2012",
        "gender": "unknown",
        "disability": "unknown",
        "ethnicity": "",
    }
    for extra in ({}, {"_change_history": "1"}):
        response = client.post(history_form, {**valid, **extra})
        assert response.status_code == 403, response.status_code
    child.refresh_from_db()
    assert child.birth_year == 2013
    assert list(child.history.order_by("history_id").values()) == rows_before
    listing = client.get(reverse("admin:casework_child_history", args=[child.pk]))
    assert listing.status_code == 200


def test_every_admin_that_shows_history_refuses_to_revert():
    from simple_history.admin import SimpleHistoryAdmin

    from inspections.history_admin import HistoryAdmin

    loose = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert not loose, f"Use inspections.history_admin.HistoryAdmin for: {loose}"
