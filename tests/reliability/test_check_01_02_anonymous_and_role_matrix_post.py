"""Checks 1 and 2: default deny for anonymous users, and the role x URL matrix for POST too.

tests/test_access.py holds the one table (ACCESS) and proves GET for every role and anonymous.
These add the clauses it leaves out: anonymous POST, a signed-in POST by a role the table refuses,
a POST by each role the table allows (ACCEPTS_POST: not refused; every other URL: 405), and "a URL
without a name fails the test".
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from readiness import roles
from tests.conftest import make_user
from tests.test_access import ACCESS, NOT_THEIRS, PUBLIC, TOKEN, _named_patterns, _url
from tests.test_access import objects as objects  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.django_db

# Named URLs that answer a POST from anyone: the sign-in form.
ANONYMOUS_POST_ALLOWED = {"login"}
PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)
# The "post-only" rows of ACCESS say nothing about roles: this is who may POST to each (a redirect
# back to the page); everyone else signed in gets 403. Sign-out is open to every signed-in user.
POST_ONLY: dict[str, frozenset] = {
    "readiness:self-evaluation-export": frozenset({PM, DCS, ADM}),
    # The table's report is a board summary, which board members may ask to be made again.
    "readiness:report-retry": frozenset({PM, DCS, BM, ADM}),
    "inspections:recommendation-move": frozenset({PM, ADM}),
    "inspections:datarequest-close": frozenset({PM, ADM}),
    "inspections:concern-close": frozenset({PM, ADM}),
    "inspections:framework-upload-discard": frozenset({PM, ADM}),
    "readiness:person-reactivate": frozenset({ADM}),
    "readiness:person-unlock": frozenset({ADM}),
}


# Sign-out is post-only and open to every signed-in user (so it is not in POST_ONLY's role sets).
POST_ONLY_ANY_SIGNED_IN = {"logout"}

# The URLs with roles in ACCESS that take a POST (a form, a confirmation or a button) from exactly the
# roles that may GET them; every other such URL is GET-only and answers 405 to a POST from those roles.
# A view that starts taking a POST fails test_each_allowed_role_may_post_where_the_table_says until it
# is declared here.
ACCEPTS_POST = {
    "readiness:self-evaluation-answer",
    "readiness:notification-preferences",
    "readiness:report-request",
    "readiness:national-home-authority",
    "readiness:plan-create",
    "readiness:plan-import",
    "readiness:plan-update",
    "readiness:plan-delete",
    "readiness:priority-create",
    "readiness:action-create",
    "readiness:plan-bulk-rag",
    "readiness:action-update",
    "readiness:action-delete",
    "readiness:progress-create",
    "readiness:evidence-create",
    "readiness:person-create",
    "readiness:person-details",
    "readiness:person-role",
    "readiness:person-deactivate",
    "readiness:person-two-factor-reset",
    "inspections:inspection-create",
    "inspections:inspection-update",
    "inspections:inspection-delete",
    "inspections:judgement-record",
    "inspections:recommendation-create",
    "inspections:recommendation-update",
    "inspections:recommendation-delete",
    "inspections:milestone-override",
    "inspections:milestone-done",
    "inspections:milestone-undone",
    "inspections:dailynote-create",
    "inspections:dailynote-update",
    "inspections:dailynote-delete",
    "inspections:datarequest-create",
    "inspections:datarequest-update",
    "inspections:datarequest-delete",
    "inspections:meeting-create",
    "inspections:meeting-update",
    "inspections:meeting-delete",
    "inspections:concern-create",
    "inspections:concern-update",
    "inspections:concern-delete",
    "inspections:calendar-feed",
    "inspections:nonworkingday-create",
    "inspections:nonworkingday-delete",
    "inspections:framework-upload",
    "inspections:framework-upload-confirm",
    "casework:import",
    "casework:import-retry",
    "casework:annex-a",
    "casework:sample-create",
    "casework:sample-upload",
    "casework:sample-draw",
    "casework:sample-members",
    "casework:sample-assign",
    "casework:audit-edit",
    "casework:audit-moderate",
    "casework:audit-share",
    "casework:audit-escalate",
    "casework:escalation-respond",
    "casework:audit-action-done",
    "casework:audit-action-reopen",
}


def _unnamed_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _unnamed_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not pattern.name:
            yield prefix + str(pattern.pattern)


def test_every_url_pattern_has_a_name_so_the_table_can_cover_it():
    unnamed = list(_unnamed_patterns())
    assert not unnamed, f"Name these URL patterns (and add them to tests/test_access.py): {unnamed}"


def test_every_url_argument_is_one_the_table_can_fill_in(objects):  # noqa: F811
    for name, pattern in _named_patterns():
        unknown = set(pattern.pattern.converters) - set(objects)
        assert not unknown, f"{name} takes {sorted(unknown)}: give tests/test_access.py an object for it"


def test_anonymous_post_is_refused_on_every_named_url(objects):  # noqa: F811
    client = Client()  # no CSRF enforcement: the refusal must come from the sign-in check itself
    login = reverse("login")
    for name, pattern in _named_patterns():
        response = client.post(_url(name, pattern, objects), {})
        if name in ANONYMOUS_POST_ALLOWED:
            continue
        if ACCESS[name] == PUBLIC:
            assert response.status_code in (200, 302, 403, 405), (name, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(login), name
            continue
        if ACCESS[name] == TOKEN:
            assert response.status_code in (404, 405), name
            continue
        assert response.status_code in (302, 401, 403, 405), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(login), (name, response["Location"])


@pytest.mark.parametrize("role", [*roles.ROLE_NAMES, None])
def test_a_post_by_a_role_the_table_refuses_is_refused(objects, role):  # noqa: F811
    client = Client()
    client.force_login(make_user(role))
    for name, pattern in _named_patterns():
        expected = ACCESS[name]
        if not isinstance(expected, frozenset) or role in expected:
            continue
        response = client.post(_url(name, pattern, objects), {})
        want = (404,) if role in NOT_THEIRS.get(name, ()) else (403, 405)
        assert response.status_code in want, (name, role, response.status_code)


def test_every_post_only_url_says_who_may_post():
    post_only = {name for name, expected in ACCESS.items() if expected == "post-only"}
    declared = set(POST_ONLY) | POST_ONLY_ANY_SIGNED_IN
    assert post_only == declared, "declare the roles for each post-only URL in POST_ONLY"
    assert not set(POST_ONLY) & POST_ONLY_ANY_SIGNED_IN
    assert ACCEPTS_POST <= {name for name, expected in ACCESS.items() if isinstance(expected, frozenset)}


@pytest.mark.parametrize("role", [*roles.ROLE_NAMES, None])
def test_each_allowed_role_may_post_where_the_table_says(objects, role):  # noqa: F811
    """Every role the table lets GET a URL is not refused a POST to it when the URL takes one (a 200
    re-render with form errors or a 302 both count), and gets 405 when it does not. Each POST is
    rolled back, so nothing one makes changes what the next sees."""
    user = make_user(role)
    client = Client()
    for name, pattern in _named_patterns():
        expected = ACCESS[name]
        if not isinstance(expected, frozenset) or role not in expected:
            continue
        if role in NOT_THEIRS.get(name, ()):
            continue  # another auditor's audit: 404, asserted by test_a_post_by_a_role_the_table_refuses
        client.force_login(user)  # a fresh session: the last POST's session changes were rolled back
        savepoint = transaction.savepoint()
        try:
            status = client.post(_url(name, pattern, objects), {}).status_code
        finally:
            transaction.savepoint_rollback(savepoint)
        if name in ACCEPTS_POST:
            assert status in (200, 302), (name, role, status)
        else:
            assert status == 405, f"{name} takes a POST from {role} ({status}): declare it in ACCEPTS_POST"


@pytest.mark.parametrize("role", [*roles.ROLE_NAMES, None])
def test_every_signed_in_user_may_post_to_sign_out(role):
    client = Client()
    client.force_login(make_user(role))
    for name in POST_ONLY_ANY_SIGNED_IN:
        assert client.post(reverse(name)).status_code == 302, (name, role)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [*roles.ROLE_NAMES, None])
def test_post_only_urls_answer_only_the_roles_declared(objects, role):  # noqa: F811
    client = Client()
    client.force_login(make_user(role))
    for name, pattern in _named_patterns():
        if name not in POST_ONLY:
            continue
        response = client.post(_url(name, pattern, objects), {})
        want = 302 if role in POST_ONLY[name] else 403
        assert response.status_code == want, (name, role, response.status_code)
