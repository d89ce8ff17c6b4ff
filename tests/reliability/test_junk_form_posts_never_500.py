"""No form answers 500 to junk (brief: "bad input gets a clear error and loses nothing").

Every page a role can open is read like a browser would: each `<form method="post">` on it is filled
with the same junk in every field it has (text where numbers and dates go, markup, NUL, huge numbers,
an empty form) and posted to its action. A form may refuse the input (a GOV.UK error summary), redirect
or answer 4xx; none may fail. Sign-out is skipped, so the session stays signed in.
"""

import html
import re

import pytest

from readiness import roles
from tests.test_access import ACCESS, _named_patterns, _url, objects  # noqa: F401 - objects is a fixture

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
JUNK = {
    "empty": "",
    "words": "abc",
    "huge": "99999999999999999999",
    "markup": "<script>alert(1)</script>",
    "control": "a\x00b",
}
SKIP_ACTIONS = ("/sign-out/",)


def _forms(page: str, url: str):
    for attrs, body in FORM.findall(page):
        attr = dict(ATTR.findall(attrs))
        if attr.get("method", "get").lower() != "post":
            continue
        action = html.unescape(attr.get("action") or url)
        if any(skip in action for skip in SKIP_ACTIONS):
            continue
        names = []
        for _, field_attrs in FIELD.findall(body):
            field = dict(ATTR.findall(field_attrs))
            if field.get("name") and field["name"] != "csrfmiddlewaretoken" and field.get("type") != "file":
                names.append(field["name"])
        yield action, sorted(set(names))


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.AUDITOR, roles.BOARD_MEMBER])
def test_every_form_survives_junk(client_for, objects, role):  # noqa: F811
    signed_in = client_for(role)
    failures, posted = [], 0
    for name, pattern in _named_patterns():
        if ACCESS[name] in ("post-only", "public", "token") or name in ("logout", "login"):
            continue
        url = _url(name, pattern, objects)
        response = signed_in.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action, names in _forms(response.content.decode(), url):
            for label, value in JUNK.items():
                answer = signed_in.post(action, dict.fromkeys(names, value))
                posted += 1
                if answer.status_code >= 500:
                    failures.append(f"{name}: {action} with {label}: {answer.status_code}")
    # The forms each role can reach (so the test cannot pass by finding none).
    assert posted >= {roles.ADMINISTRATOR: 100, roles.AUDITOR: 15, roles.BOARD_MEMBER: 10}[role], posted
    assert not failures, failures
