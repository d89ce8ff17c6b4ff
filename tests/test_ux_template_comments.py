"""Django's {# #} comment ends at the end of its line: one that runs onto a second line is shown to
users as text (the DCS's daily page once began with a note about its cache). Multi-line notes use
{% comment %}."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from readiness import roles

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_short_comment_running_onto_a_second_line():
    unclosed = []
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            # Every {# on a line needs its #} on the same line, after it.
            if re.search(r"\{#(?:(?!#\}).)*$", line):
                unclosed.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert unclosed == []


@pytest.mark.django_db
def test_the_daily_page_shows_no_note_meant_for_developers(client_for):
    from django.core.cache import cache

    cache.clear()
    html = client_for(roles.DCS).get(reverse("readiness:dashboard")).content.decode()
    cache.clear()
    assert "selectors.dcs_dashboard" not in html
    assert "{#" not in html and "#}" not in html
