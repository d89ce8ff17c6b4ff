"""The PDF wrapper: tagged PDF/UA output read back with pypdf, and a fetcher that serves only static.

WeasyPrint is never mocked: every test renders a real PDF.
"""

import io

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from readiness.reports import pdf
from readiness.reports.pdf import (
    STATIC_BASE_URL,
    ResourceRefused,
    SafeURLFetcher,
    fonts_available,
    render_pdf,
    render_template_pdf,
    static_path_for,
)

PASSWD = "file:///etc/passwd"


def _read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(item.title)
    return titles


def _page_html(body: str, title: str = "Test document") -> str:
    return render_to_string("pdf/base.html", {"title": title, "council_name": "Northmoor Council"}).replace(
        "</main>", f"{body}</main>"
    )


@pytest.fixture(scope="module")
def long_table_pdf():
    rows = "".join(f"<tr><td>Row {n}</td><td class='pdf-numeric'>{n}</td></tr>" for n in range(150))
    body = (
        "<h2>First section</h2><p>Opening paragraph.</p>"
        "<h2>Second section</h2>"
        f"<table><thead><tr><th>Label</th><th>Count</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    fetcher = SafeURLFetcher()
    rendered = render_pdf(html=_page_html(body), title="Long table", fetcher=fetcher)
    return rendered, fetcher


def test_fonts_available_when_fontconfig_lists_fonts():
    assert fonts_available() is True


def test_render_pdf_when_fontconfig_has_no_fonts_refuses_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(pdf, "fonts_available", lambda: False)
    with pytest.raises(pdf.FontsMissingError, match="finds no fonts"):
        render_pdf(html="<p>x</p>", title="x")


def test_render_pdf_returns_the_page_count_of_the_document(long_table_pdf):
    rendered, _ = long_table_pdf
    reader = _read(rendered.content)
    assert rendered.pages == len(reader.pages) >= 3
    assert rendered.content.startswith(b"%PDF-1.7")


def test_render_pdf_is_tagged_with_title_and_language(long_table_pdf):
    reader = _read(long_table_pdf[0].content)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == "Long table"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_render_pdf_builds_the_outline_from_h1_and_h2(long_table_pdf):
    reader = _read(long_table_pdf[0].content)
    assert _outline_titles(reader.outline) == ["Test document", "First section", "Second section"]


def test_render_pdf_repeats_table_header_and_numbers_pages(long_table_pdf):
    rendered, _ = long_table_pdf
    reader = _read(rendered.content)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Label" in text and "Count" in text, number
        assert f"Page {number} of {rendered.pages}" in text
        assert "Northmoor Council" in text
    assert "Row 149" in _text(reader)


def test_render_pdf_embeds_the_bundled_font_not_a_host_font(long_table_pdf):
    rendered, fetcher = long_table_pdf
    reader = _read(rendered.content)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Readiness-Sans", "Readiness-Sans-Bold"}
    assert f"{STATIC_BASE_URL}fonts/LiberationSans-Regular.ttf" in fetcher.requested


def test_render_pdf_fetches_only_static_files(long_table_pdf):
    _, fetcher = long_table_pdf
    assert fetcher.requested
    assert all(url.startswith(STATIC_BASE_URL) for url in fetcher.requested)


def test_official_sensitive_marking_appears_on_every_page_only_for_child_level_reports(tmp_path, settings):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "marking.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "{% for n in rows %}<p>Paragraph {{ n }} with enough words to fill the page.</p>{% endfor %}"
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    context = {"rows": range(90)}
    sensitive = render_template_pdf(
        template_name="pdf/marking.html", context=context, title="T", child_level=True
    )
    aggregate = render_template_pdf(
        template_name="pdf/marking.html", context=context, title="T", child_level=False
    )
    assert sensitive.pages >= 2
    for page in _read(sensitive.content).pages:
        assert "OFFICIAL – SENSITIVE" in page.extract_text()
    assert "OFFICIAL" not in _text(_read(aggregate.content))


def test_user_text_with_an_img_tag_is_shown_escaped_and_nothing_outside_static_is_fetched():
    typed = f'<img src="{PASSWD}"> see https://example.com/x.png'
    html = render_to_string("pdf/base.html", {"title": typed, "council_name": "Northmoor Council"})
    fetcher = SafeURLFetcher()
    rendered = render_pdf(html=html, title="Escaped", fetcher=fetcher)
    assert f'<img src="{PASSWD}">' in _text(_read(rendered.content))
    assert all(url.startswith(STATIC_BASE_URL) for url in fetcher.requested)


def test_raw_img_pointing_at_a_file_or_the_network_is_refused_and_the_pdf_still_renders(caplog):
    body = (
        f'<p>Before</p><img src="{PASSWD}" alt="a"><img src="https://example.com/x.png" alt="b"><p>After</p>'
    )
    fetcher = SafeURLFetcher()
    rendered = render_pdf(html=_page_html(body), title="Refused", fetcher=fetcher)
    assert {PASSWD, "https://example.com/x.png"} <= set(fetcher.requested)
    text = _text(_read(rendered.content))
    assert "Before" in text and "After" in text and "root:" not in text


@pytest.mark.parametrize(
    "url",
    [
        PASSWD,
        "https://example.com/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.com/x",
        f"{STATIC_BASE_URL}../../etc/passwd",
        f"{STATIC_BASE_URL}%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC_BASE_URL}/etc/passwd",
        f"{STATIC_BASE_URL}css/print.css?x=1",
        f"{STATIC_BASE_URL}no/such/file.css",
        "file:///work/main/static/css/print.css",
    ],
)
def test_static_path_for_refuses_anything_but_a_static_file(url, monkeypatch):
    opened = []
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: opened.append(self))
    with pytest.raises(ResourceRefused):
        SafeURLFetcher().fetch(url)
    assert opened == []


def test_fetcher_serves_static_files_and_data_uris():
    css = SafeURLFetcher().fetch(f"{STATIC_BASE_URL}css/print.css")
    assert b"@font-face" in css.read() and css.content_type == "text/css"
    data = SafeURLFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
    assert (
        static_path_for(f"{STATIC_BASE_URL}fonts/LiberationSans-Bold.ttf").name == "LiberationSans-Bold.ttf"
    )
