"""No page answers 500 to a query string it did not expect (check 14's "errors fail closed", from outside).

Every named URL (with the access table's objects filled in) is asked with junk in every query
parameter any list, filter or preview reads: words where numbers go, numbers out of range, markup,
control characters. Each page may ignore the junk, show a form error or answer 404; none may fail.
"""

import pytest

from readiness import roles
from tests.test_access import ACCESS, _named_patterns, _url, objects  # noqa: F401 - objects is a fixture

pytestmark = pytest.mark.django_db

PARAMETERS = (
    "page", "q", "show", "open", "sample", "kind", "framework", "status", "weeks", "format",
    "preview", "day", "as_of", "as_of_0", "as_of_1", "as_of_2", "owner", "rag", "priority", "plan",
    "area", "inspection", "from", "to", "sort", "order", "cohort", "indicator", "next", "year",
)  # fmt: skip
JUNK = {
    "words": "abc",
    "negative": "-1",
    "huge": "99999999999999999999",
    "markup": "<script>alert(1)</script>",
    "control": "a\x00b",
    "float": "1e9",
}


def _query(value: str) -> dict[str, str]:
    return dict.fromkeys(PARAMETERS, value)


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.AUDITOR, roles.BOARD_MEMBER])
def test_every_page_survives_junk_in_its_query_string(client_for, objects, role):  # noqa: F811
    signed_in = client_for(role)
    failures = []
    for name, pattern in _named_patterns():
        if ACCESS[name] in ("post-only", "public") or name == "logout":
            continue
        url = _url(name, pattern, objects)
        for label, value in JUNK.items():
            response = signed_in.get(url, _query(value))
            if response.status_code >= 500:
                failures.append(f"{name} with {label}: {response.status_code}")
    assert not failures, failures
