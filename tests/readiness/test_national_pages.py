"""National picture pages: who sees them, what they show, choosing the home authority; the SVG helper."""

import re

import pytest
from django.urls import reverse

from readiness import roles
from readiness.charts import stacked_bars
from readiness.national import Grade, HomeAuthority, LocalAuthority, PublishedInspection, home_authority_set

pytestmark = pytest.mark.django_db

NATIONAL = reverse("readiness:national")
CHOOSE = reverse("readiness:national-home-authority")
RUNS = reverse("readiness:national-import-runs")


@pytest.fixture
def published(tmp_path):
    """Two authorities that are each other's neighbours, with a few published reports."""
    from datetime import date

    home = LocalAuthority.objects.create(
        urn="1", la_code="E0001", name="Northbridge", la_type="London Borough", stat_neighbours=["E0002"]
    )
    other = LocalAuthority.objects.create(
        urn="2", la_code="E0002", name="Southbridge", stat_neighbours=["E0001"]
    )
    PublishedInspection.objects.create(
        local_authority=home,
        report_url="https://files.example/a",
        published_on=date(2019, 4, 1),
        framework="standard",
        started_on=date(2019, 2, 18),
        ended_on=date(2019, 3, 1),
        overall=Grade.REQUIRES_IMPROVEMENT,
        leaders=Grade.GOOD,
        help_and_protection=Grade.REQUIRES_IMPROVEMENT,
        in_care=Grade.GOOD,
        publication_lag=21,
    )
    for number in range(4):  # enough dated reports in 2023 to say what is typical
        PublishedInspection.objects.create(
            local_authority=other,
            report_url=f"https://files.example/old-{number}",
            published_on=date(2023, 5, 1 + number),
            ended_on=date(2023, 3, 31),
            publication_lag=28 + number,
        )
    PublishedInspection.objects.create(
        local_authority=other,
        report_url="https://files.example/b",
        published_on=date(2023, 6, 1),
        framework="short",
        ended_on=date(2023, 4, 21),
        overall=Grade.INADEQUATE,
        leaders=Grade.INADEQUATE,
        help_and_protection=Grade.INADEQUATE,
        in_care=Grade.REQUIRES_IMPROVEMENT,
        care_leavers=Grade.INADEQUATE,
        publication_lag=28,
    )
    return home, other


@pytest.mark.parametrize(
    "role", [roles.BOARD_MEMBER, roles.DCS, roles.PERFORMANCE_MANAGER, roles.ADMINISTRATOR]
)
def test_national_page_renders_for_roles_that_see_board_pages(client_for, published, role):
    home_authority_set(local_authority=published[0])
    body = client_for(role).get(NATIONAL).content.decode()

    assert "Northbridge: published inspections" in body
    assert "Statistical neighbours" in body and "Southbridge" in body
    assert '<strong class="govuk-tag govuk-tag--orange">Requires improvement to be good</strong>' in body
    assert '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>' in body
    assert "<svg" in body and '<title id="national-grades-title">' in body
    assert "typically published <strong>29 working days</strong>" in body


def test_national_page_is_refused_to_an_auditor(client_for, published):
    auditor = client_for(roles.AUDITOR)
    for url in (NATIONAL, CHOOSE, RUNS):
        assert auditor.get(url).status_code == 403


def test_national_page_without_a_home_authority_asks_a_performance_manager_to_choose(client_for, published):
    body = client_for(roles.PERFORMANCE_MANAGER).get(NATIONAL).content.decode()
    assert "Which local authority is this council?" in body
    assert CHOOSE in body
    assert "Overall effectiveness grades in England" in body

    board = client_for(roles.BOARD_MEMBER).get(NATIONAL).content.decode()
    assert CHOOSE not in board
    assert "has not yet chosen which local authority" in board


def test_national_page_without_any_data_says_so(client_for):
    body = client_for(roles.BOARD_MEMBER).get(NATIONAL).content.decode()
    assert "No national data yet" in body


def test_national_page_says_the_demo_borrows_a_real_history(client_for, published, settings):
    home_authority_set(local_authority=published[0], borrowed_for_demo=True)
    body = client_for(roles.DCS).get(NATIONAL).content.decode()
    assert "is a fictional council, so this demo borrows the published history of Northbridge." in body


def test_performance_manager_chooses_the_home_authority(client_for, published):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    page = pm.get(CHOOSE).content.decode()
    assert re.search(r"<h1 class=\"govuk-label-wrapper\">\s*<label[^>]*govuk-label--l", page)

    response = pm.post(CHOOSE, {"local_authority": published[1].pk})
    assert response.status_code == 302 and response["Location"] == NATIONAL
    home = HomeAuthority.objects.get()
    assert (home.local_authority, home.borrowed_for_demo, home.chosen_by.username) == (
        published[1],
        False,
        "pm",
    )
    assert "This council is now shown as Southbridge." in pm.get(NATIONAL).content.decode()


def test_choosing_nothing_shows_the_error_summary(client_for, published):
    response = client_for(roles.PERFORMANCE_MANAGER).post(CHOOSE, {"local_authority": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Select the local authority this council is" in body
    assert "<title>Error: " in body


def test_dcs_and_board_member_cannot_choose_the_home_authority(client_for, published):
    for role in (roles.DCS, roles.BOARD_MEMBER):
        assert client_for(role).post(CHOOSE, {"local_authority": published[0].pk}).status_code == 403
    assert not HomeAuthority.objects.exists()


def test_import_runs_page_lists_the_unusable_rows(client_for, tmp_path):
    from readiness.national import national_import

    lookup = tmp_path / "l.csv"
    lookup.write_text("\ufeffurn,la_code_new,local_authority_ons_name\n1,E1,Northbridge\n", encoding="utf-8")
    outcomes = tmp_path / "o.csv"
    outcomes.write_text(
        "urn,local_authority,inspection_link,publication_date\n9,<script>xyz</script>,https://x.example/1,01/01/20\n",
        encoding="utf-8",
    )
    national_import(outcomes_path=outcomes, lookup_path=lookup)
    body = client_for(roles.BOARD_MEMBER).get(RUNS).content.decode()
    assert (
        "row 2: local authority &#x27;&lt;script&gt;xyz&lt;/script&gt;&#x27; (URN 9) is not in the lookup"
        in body
    )
    assert "<script>xyz" not in body


def test_stacked_bars_escapes_text_and_has_title_and_description():
    svg = stacked_bars(
        title="Grades <2024> & more",
        description='Shares "by year"',
        categories=["<b>2024</b>"],
        series=[("Good & better", "#00703c"), ("Other", "#d4351c")],
        values=[[3, 1]],
        id_prefix="t",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<title id="t-title">Grades &lt;2024&gt; &amp; more</title>' in svg
    assert '<desc id="t-desc">Shares &quot;by year&quot;</desc>' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg and 'role="img"' in svg
    assert "font-family=" in svg
    assert "<b>" not in svg and "&lt;b&gt;2024&lt;/b&gt;" in svg
    assert "Good &amp; better 3 (75%)" in svg


def test_stacked_bars_refuses_values_that_do_not_match_the_categories():
    with pytest.raises(ValueError, match="one row per category"):
        stacked_bars(title="t", description="d", categories=["a", "b"], series=[("s", "#000")], values=[[1]])
