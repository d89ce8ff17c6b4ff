"""Checks 1 and 2: default deny for anonymous users, and the role x URL matrix for POST too.

tests/test_access.py holds the one table (ACCESS) and proves GET for every role and anonymous.
These add the clauses it leaves out: anonymous POST, a signed-in POST by a role the table refuses,
and "a URL without a name fails the test".
"""

import pytest
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
    post_only = {name for name, expected in ACCESS.items() if expected == "post-only"} - {"logout"}
    assert post_only == set(POST_ONLY), "declare the roles for each post-only URL in POST_ONLY"


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
