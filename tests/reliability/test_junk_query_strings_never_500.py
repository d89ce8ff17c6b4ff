"""No page answers 500 to a query string it did not expect (check 14's "errors fail closed", from outside).

Every named URL (with the access table's objects filled in) is asked with junk in every query
parameter any list, filter or preview reads: words where numbers go, numbers out of range, markup,
control characters. Each page may ignore the junk, show a form error or answer 404; none may fail.
"""

import pytest

from readiness import roles
from tests.test_access import ACCESS, _named_patterns, _url, objects  # noqa: F401 - objects is a fixture

pytestmark = pytest.mark.django_db

# The parameters lists, filters and previews read, in groups asked one at a time: a bad page number
# or preview answers 404 before a view reads its filters, which would hide a filter that fails.
GROUPS = (
    ("page",),
    ("preview", "day"),
    (
        "q", "show", "open", "sample", "kind", "framework", "status", "weeks", "format", "as_of",
        "as_of_0", "as_of_1", "as_of_2", "owner", "rag", "priority", "plan", "area", "inspection",
        "from", "to", "sort", "order", "cohort", "indicator", "next", "year", "team", "role",
    ),
)  # fmt: skip
JUNK = {
    "words": "abc",
    "negative": "-1",
    "huge": "99999999999999999999",
    "markup": "<script>alert(1)</script>",
    "control": "a\x00b",
    "float": "1e9",
}


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.AUDITOR, roles.BOARD_MEMBER])
def test_every_page_survives_junk_in_its_query_string(client_for, objects, role):  # noqa: F811
    signed_in = client_for(role)
    failures, answered = [], 0
    for name, pattern in _named_patterns():
        if ACCESS[name] in ("post-only", "public") or name == "logout":
            continue
        url = _url(name, pattern, objects)
        if signed_in.get(url).status_code != 200:
            continue  # refused or redirected whatever the query: nothing of the view's runs
        for group in GROUPS:
            for label, value in JUNK.items():
                response = signed_in.get(url, dict.fromkeys(group, value))
                answered += 1
                if response.status_code >= 500:
                    failures.append(f"{name} with {label} in {group[0]}…: {response.status_code}")
    assert answered >= {roles.ADMINISTRATOR: 1000, roles.AUDITOR: 100, roles.BOARD_MEMBER: 50}[role], answered
    assert not failures, failures


def test_a_nul_character_in_a_query_or_a_typed_form_is_a_400_with_a_plain_page(client_for):
    """PostgreSQL cannot hold NUL: the middleware refuses it for every view (a 500 on ?q= before)."""
    pm = client_for(roles.PERFORMANCE_MANAGER)
    for url, data in [("/casework/children/", {"q": "a\x00b"}), ("/casework/audits/", {"a\x00": "1"})]:
        response = pm.get(url, data)
        assert response.status_code == 400, url
        assert "Sorry, there is a problem with the request" in response.content.decode()
    # A browser's form post (urlencoded) is refused the same way; a multipart one meets the form's
    # own check, which shows an error on the field.
    typed = pm.post("/plans/new/", "title=a%00b", content_type="application/x-www-form-urlencoded")
    assert typed.status_code == 400
    assert "govuk-error-summary" in pm.post("/plans/new/", {"title": "a\x00b"}).content.decode()
    assert pm.get("/casework/children/", {"q": "NM0"}).status_code == 200
