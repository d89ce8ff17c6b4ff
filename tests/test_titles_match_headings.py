"""Every page's <title> starts with what its <h1> says (GOV.UK: the title matches the main heading).

People using a screen reader hear the title first, and people with many tabs read it in the tab; a
title that says something else than the page's heading ("Dashboard" over "Readiness at a glance")
makes them wonder whether they are on the right page. Every named URL (the access table's objects
filled in) that a role can open is read; the title, less the service and council names, and less
"Error: " before a form's errors, must start with the h1's words.
"""

import html
import re

import pytest

from readiness import roles
from tests.test_access import ACCESS, _named_patterns, _url, objects  # noqa: F401 - objects is a fixture

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


def words(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def mismatches(client, pages) -> tuple[list[str], int]:
    found, read = [], 0
    for name, url in pages:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        title, h1 = TITLE.search(page), H1.search(page)
        if not title or not h1:
            continue  # HTMX partials and downloads have neither
        read += 1
        heading, said = words(h1.group(1)), words(title.group(1)).removeprefix("Error: ")
        if not said.startswith(heading):
            found.append(f"{name}: title {said!r}, heading {heading!r}")
    return found, read


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.DCS, roles.AUDITOR, roles.BOARD_MEMBER])
def test_every_page_title_starts_with_its_heading(client_for, objects, role):  # noqa: F811
    client = client_for(role)
    pages = [
        (name, _url(name, pattern, objects))
        for name, pattern in _named_patterns()
        if ACCESS[name] not in ("post-only",) and name != "logout"
    ]
    found, read = mismatches(client, pages)
    assert read >= {roles.ADMINISTRATOR: 60, roles.DCS: 40, roles.AUDITOR: 10, roles.BOARD_MEMBER: 4}[role], (
        read
    )
    assert not found, "\n".join(found)
