"""Component templates (templates/components/) and the vendored GOV.UK Frontend assets."""

import re
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import format_html

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO / "static" / "govuk-frontend"
XSS = '<script>alert("x")</script>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def render(name, **context):
    return render_to_string(f"components/{name}", context)


def assert_escaped(html):
    assert XSS_ESCAPED in html
    assert XSS not in html


def squash(html):
    return re.sub(r"\s+", " ", html)


# --- tag ---------------------------------------------------------------------------------


def test_tag_escapes_text_and_sets_colour():
    html = render("tag.html", text=XSS, colour="red")
    assert XSS not in html
    assert XSS_ESCAPED in html
    assert 'class="govuk-tag govuk-tag--red"' in html
    assert html.strip().startswith("<strong")


def test_tag_amber_maps_to_orange_and_default_has_no_modifier():
    assert "govuk-tag--orange" in render("tag.html", text="Due soon", colour="amber")
    assert 'class="govuk-tag"' in render("tag.html", text="Open")


# --- summary list ------------------------------------------------------------------------


def test_summary_list_renders_rows_and_action_links():
    rows = [
        {"key": "Name", "value": XSS, "action_href": "/cases/1/edit/?a=1&b=2"},
        {"key": "Status", "value": "Open"},
    ]
    html = squash(render("summary_list.html", rows=rows))
    assert '<dl class="govuk-summary-list">' in html
    assert html.count('class="govuk-summary-list__row') == 2
    assert_escaped(html)
    assert (
        '<a class="govuk-link" href="/cases/1/edit/?a=1&amp;b=2">Change'
        '<span class="govuk-visually-hidden"> Name</span></a>'
    ) in html
    # Only the row without an action gets the --no-actions modifier.
    assert html.count("govuk-summary-list__row--no-actions") == 1
    assert html.count("govuk-summary-list__actions") == 1


def test_summary_list_without_any_actions_has_no_modifier():
    rows = [{"key": "Name", "value": "A"}, {"key": "Status", "value": "Open", "action_href": ""}]
    html = render("summary_list.html", rows=rows)
    assert "--no-actions" not in html
    assert "govuk-summary-list__actions" not in html


def test_summary_list_custom_action_text():
    rows = [
        {
            "key": "Due",
            "value": "1 May",
            "action_href": "/x/",
            "action_text": "Edit",
            "action_hidden": "due date",
        }
    ]
    html = render("summary_list.html", rows=rows)
    assert 'Edit<span class="govuk-visually-hidden"> due date</span>' in html
    assert "--no-actions" not in html


# --- table -------------------------------------------------------------------------------


def test_table_caption_head_rows_and_numeric_columns():
    html = squash(
        render(
            "table.html",
            caption="Cases <b>",
            head=["Team", "Open"],
            rows=[["Alpha", 3], [XSS, 12]],
            numeric_columns=[1],
        )
    )
    assert "Cases &lt;b&gt;" in html
    assert '<th scope="col" class="govuk-table__header">Team</th>' in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Open</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>' in html
    assert '<td class="govuk-table__cell">Alpha</td>' in html
    assert_escaped(html)


def test_table_first_cell_is_header_and_no_numeric_columns():
    html = render("table.html", head=["A", "B"], rows=[["x", "y"]], first_cell_is_header=True)
    assert '<th scope="row" class="govuk-table__header">x</th>' in html
    assert "--numeric" not in html
    assert "<caption" not in html


# --- pagination --------------------------------------------------------------------------


def page(number, pages=10):
    return Paginator(range(pages * 5), 5).page(number)


def page_items(html):
    """Page numbers and ellipses in the order shown."""
    items = re.findall(r'aria-label="Page (\d+)"|(govuk-pagination__item--ellipsis)', html)
    return [num or "…" for num, _ in items]


def current_page(html):
    return re.findall(r'aria-label="Page (\d+)" aria-current="page"', html)


def test_pagination_first_page_omits_previous():
    html = render("pagination.html", page_obj=page(1))
    assert "Previous" not in html
    assert 'rel="prev"' not in html
    assert 'href="?page=2" rel="next"' in html
    assert page_items(html) == ["1", "2", "…", "10"]
    assert current_page(html) == ["1"]
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html


def test_pagination_middle_page_has_two_ellipses():
    html = render("pagination.html", page_obj=page(5))
    assert page_items(html) == ["1", "…", "4", "5", "6", "…", "10"]
    assert current_page(html) == ["5"]
    assert 'href="?page=4" rel="prev"' in html
    assert 'href="?page=6" rel="next"' in html
    assert html.count("govuk-pagination__item--current") == 1


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (4, ["1", "2", "3", "4", "5", "…", "10"]),  # a one-page gap shows the page, not "…"
        (7, ["1", "…", "6", "7", "8", "9", "10"]),
        (10, ["1", "…", "9", "10"]),
    ],
)
def test_pagination_elision(number, expected):
    assert page_items(render("pagination.html", page_obj=page(number))) == expected


def test_pagination_last_page_omits_next_and_few_pages_have_no_ellipsis():
    html = render("pagination.html", page_obj=page(3, pages=3))
    assert 'rel="next"' not in html
    assert "Next" not in html
    assert page_items(html) == ["1", "2", "3"]


def test_pagination_keeps_extra_querystring_escaped():
    html = render("pagination.html", page_obj=page(2), querystring="status=open&q=a")
    assert 'href="?status=open&amp;q=a&amp;page=1" rel="prev"' in html
    assert 'href="?status=open&amp;q=a&amp;page=3"' in html


def test_pagination_single_page_renders_nothing():
    assert render("pagination.html", page_obj=Paginator(range(3), 10).page(1)).strip() == ""


# --- notification banner -----------------------------------------------------------------


def test_notification_banner_default_is_important_region():
    html = render("notification_banner.html", text=XSS)
    assert 'role="region"' in html
    assert "Important" in html
    assert 'aria-labelledby="govuk-notification-banner-title"' in html
    assert 'id="govuk-notification-banner-title"' in html
    assert 'data-module="govuk-notification-banner"' in html
    assert_escaped(html)


def test_notification_banner_success():
    html = render("notification_banner.html", text="Case saved", success=True)
    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "Success" in html


def test_notification_banner_html_is_escaped_unless_marked_safe():
    plain = render("notification_banner.html", title="Done", html="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in plain
    safe = render("notification_banner.html", html=format_html("<p class='govuk-body'>{}</p>", XSS))
    assert "<p class='govuk-body'>" in safe
    assert_escaped(safe)


# --- empty state -------------------------------------------------------------------------


def test_empty_state_with_and_without_action():
    html = render(
        "empty_state.html", heading="No cases", text=XSS, action_href="/cases/new/", action_text="Add a case"
    )
    assert '<h2 class="govuk-heading-m">No cases</h2>' in html
    assert_escaped(html)
    assert 'href="/cases/new/"' in html
    assert "Add a case" in html
    assert 'class="govuk-button"' in html
    assert "govuk-button" not in render("empty_state.html", heading="No cases")


# --- confirm delete ----------------------------------------------------------------------


def test_confirm_delete_posts_with_csrf_token_and_warning_button():
    request = RequestFactory().get("/cases/1/delete/")
    outer = engines["django"].from_string(
        '{% include "components/confirm_delete.html" with description=name cancel_url="/cases/1/" '
        "csrf_token=csrf_token only %}"
    )
    html = outer.render({"name": XSS}, request)
    assert re.search(r'<form method="post"[^>]*>', html)
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', html)
    assert 'class="govuk-button govuk-button--warning"' in html
    assert 'type="submit"' in html
    assert '<a class="govuk-link" href="/cases/1/">Cancel</a>' in html
    assert_escaped(html)


def test_confirm_delete_action_url_and_button_text():
    html = render(
        "confirm_delete.html",
        description="the case",
        cancel_url="/",
        action_url="/x/delete/",
        button_text="Yes, delete",
    )
    assert 'action="/x/delete/"' in html
    assert "Yes, delete" in html


# --- small components --------------------------------------------------------------------


def test_warning_text():
    html = render("warning_text.html", text=XSS)
    assert 'class="govuk-warning-text__icon" aria-hidden="true">!</span>' in html
    assert '<span class="govuk-visually-hidden">Warning</span>' in html
    assert_escaped(html)


def test_back_link():
    assert '<a href="/cases/" class="govuk-back-link">Back</a>' in render("back_link.html", href="/cases/")
    assert ">Back to case &lt;1&gt;</a>" in render("back_link.html", href="/", text="Back to case <1>")


def test_details():
    html = render("details.html", summary="Help <b>", text=XSS, open=True, id="help")
    assert '<details id="help" class="govuk-details" open>' in html
    assert 'class="govuk-details__summary-text"' in html
    assert "Help &lt;b&gt;" in html
    assert_escaped(html)
    assert " open>" not in render("details.html", summary="s", text="t")


def test_inset_text():
    html = render("inset_text.html", text=XSS)
    assert 'class="govuk-inset-text"' in html
    assert_escaped(html)


def test_panel():
    html = render("panel.html", title="Submitted", text=XSS)
    assert '<div class="govuk-panel govuk-panel--confirmation">' in html
    assert '<h1 class="govuk-panel__title">' in html
    assert_escaped(html)
    assert "govuk-panel__body" not in render("panel.html", title="Done", heading_level=2)
    assert "<h2 " in render("panel.html", title="Done", heading_level=2)


def test_no_component_marks_values_safe():
    for path in (REPO / "templates" / "components").glob("*.html"):
        text = path.read_text()
        assert "|safe" not in text, path.name
        assert "autoescape off" not in text, path.name


# --- vendored GOV.UK Frontend ------------------------------------------------------------


@pytest.fixture(scope="module")
def vendored():
    version = (VENDOR / "VERSION").read_text().strip()
    return version, VENDOR / version


def test_vendored_version_is_5x_and_only_one_version_present(vendored):
    version, folder = vendored
    assert re.fullmatch(r"5\.\d+\.\d+", version)
    assert folder.is_dir()
    assert [p.name for p in VENDOR.iterdir() if p.is_dir()] == [version]
    assert (folder / "govuk-frontend.min.css").is_file()
    assert (folder / "govuk-frontend.min.js").is_file()


def test_vendored_css_uses_arial_and_no_source_maps(vendored):
    _, folder = vendored
    css = (folder / "govuk-frontend.min.css").read_text(encoding="utf-8-sig")
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "sourceMappingURL" not in css
    assert "font-family:arial,sans-serif" in css


def test_vendored_assets_have_no_fonts_or_crown_logos(vendored):
    _, folder = vendored
    files = {p.relative_to(folder).as_posix() for p in (folder / "assets").rglob("*") if p.is_file()}
    assert files, "assets/ is empty"
    assert not any(f.startswith("fonts/") or f.endswith((".woff", ".woff2")) for f in files)
    assert not any("favicon" in f or "govuk-icon" in f or "crown" in f or "opengraph" in f for f in files)


def test_every_css_url_resolves_to_a_vendored_file(vendored):
    _, folder = vendored
    css = (folder / "govuk-frontend.min.css").read_text(encoding="utf-8-sig")
    urls = {u.strip("\"' ") for u in re.findall(r"url\(([^)]*)\)", css)}
    local = {u for u in urls if not u.startswith(("data:", "http:", "https:", "//", "#"))}
    assert local, "expected the footer crest url()"
    for url in local:
        assert not url.startswith("/"), f"absolute url() breaks under STATIC_URL: {url}"
        target = (folder / url.split("?")[0].split("#")[0]).resolve()
        assert target.is_file(), f"{url} does not resolve under {folder}"
        assert folder.resolve() in target.parents


def test_vendored_js_is_an_es_module_without_source_map(vendored):
    _, folder = vendored
    js = (folder / "govuk-frontend.min.js").read_text()
    assert "sourceMappingURL" not in js
    assert re.search(r"export\{[^}]*\binitAll\b", js)


def test_app_js_imports_the_vendored_bundle(vendored):
    version, folder = vendored
    app_js = (REPO / "static" / "js" / "app.js").read_text()
    match = re.search(r'import \{ initAll \} from "([^"]+)"', app_js)
    assert match
    assert (REPO / "static" / "js" / match.group(1)).resolve() == (folder / "govuk-frontend.min.js").resolve()
    assert "initAll();" in app_js


def test_pagination_renders_few_links_and_no_loop_over_every_page_for_a_long_list():
    """At county scale (hundreds of pages) the component shows the same seven-odd links, and works
    them out without walking every page (the loop over page_range grew with the council)."""
    from unittest import mock

    long = Paginator(range(50_000), 50).page(500)
    with mock.patch.object(type(long.paginator), "page_range", new_callable=mock.PropertyMock) as walked:
        html = render("pagination.html", page_obj=long)
    assert page_items(html) == ["1", "…", "499", "500", "501", "…", "1000"]
    walked.assert_not_called()
