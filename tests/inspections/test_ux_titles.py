"""Page titles start with what the h1 says (GOV.UK: the title matches the main heading)."""

import re

import pytest
from django.urls import reverse

from readiness import roles
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db


def test_the_judgements_page_title_matches_its_heading(client_for):
    inspection = Ilacs2019Factory()
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("inspections:judgement-record", args=[inspection.pk]))
        .content.decode()
    )
    title = re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert h1 == "Record the judgements"
    assert title.startswith(f"{h1} – ")
