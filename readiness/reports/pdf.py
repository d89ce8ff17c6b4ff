"""The one way this project turns HTML into a PDF: WeasyPrint, tagged (PDF/UA-1), offline.

Every report goes through `render_pdf` (or `render_template_pdf`, which builds the HTML from a
template first). Resources are fetched by `SafeURLFetcher`, which serves only files found by
Django's static-file finders and `data:` URIs; everything else — `file:///etc/passwd`, `http(s)://`,
any other path — is refused before any file or network access, so a report whose text someone typed
cannot read the server's files or reach the network (reliability check 28).
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

# Relative URLs in PDF templates ("css/print.css", "../fonts/…") resolve against this base. It names
# no real directory: the fetcher maps what follows it onto the static-file finders.
STATIC_BASE_URL = "file:///readiness-static/"
LANGUAGE = "en-GB"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 with a structure tree, /Lang and /Title

FONTS_MISSING_MESSAGE = (
    "PDFs cannot be made on this server because fontconfig finds no fonts. "
    "Install a font package (for example fonts-dejavu-core) and restart the worker."
)


class RenderedPdf(NamedTuple):
    content: bytes
    pages: int


class FontsMissingError(RuntimeError):
    """Fontconfig has no fonts: WeasyPrint would crash the process (SIGSEGV), so refuse first."""


class ResourceRefused(ValueError):  # noqa: N818 - reads as what happened, like Django's Resolver404
    """A URL the PDF asked for is not one of our static files. WeasyPrint logs it and carries on."""


class SafeURLFetcher:
    """Serve our static files and `data:` URIs to WeasyPrint; refuse everything else.

    WeasyPrint 70 calls the fetcher with one URL and reads `_fail_on_errors` when it raises, so
    this is a small object rather than a plain function. `requested` keeps every URL asked for.
    """

    _fail_on_errors = False

    def __init__(self, base_url: str = STATIC_BASE_URL) -> None:
        self.base_url = base_url
        self.requested: list[str] = []

    def __call__(self, url: str):
        return self.fetch(url)

    def fetch(self, url: str, headers=None):
        from weasyprint.urls import URLFetcherResponse

        self.requested.append(url)
        if url.startswith("data:"):
            # urllib's data: handler only decodes the URL's own text; no file or network access.
            response = DataHandler().data_open(Request(url))  # noqa: S310
            return URLFetcherResponse(
                url, response.read(), {"Content-Type": response.headers["Content-Type"]}
            )
        path = static_path_for(url, base_url=self.base_url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})


def static_path_for(url: str, *, base_url: str = STATIC_BASE_URL) -> Path:
    """Return the static file a URL under `base_url` names, or raise ResourceRefused.

    Decides from the URL's text alone, then asks the finders: nothing is opened or resolved on
    disk for a URL outside our static files.
    """
    if not url.startswith(base_url):
        raise ResourceRefused(f"Only the service's own static files can be used in a PDF, not {url!r}")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise ResourceRefused(f"Static file URLs in a PDF take no query or fragment: {url!r}")
    relative = unquote(url[len(base_url) :].split("?")[0])
    normal = posixpath.normpath(relative)
    unsafe = relative.startswith("/") or normal.startswith("..") or "\\" in relative or "\0" in relative
    if not relative or unsafe:
        raise ResourceRefused(f"Not a static file path: {url!r}")
    found = finders.find(normal)
    if not found:
        raise ResourceRefused(f"No such static file: {normal!r}")
    path = Path(found).resolve()
    if not any(path.is_relative_to(root) for root in _static_roots()):
        raise ResourceRefused(f"Static file resolves outside the static directories: {normal!r}")
    return path


def _static_roots() -> list[Path]:
    roots = []
    for finder in finders.get_finders():
        storages = getattr(finder, "storages", {})
        for storage in storages.values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


_CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}


def _content_type(path: Path) -> str:
    return _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


@functools.cache
def _fonts_found() -> bool:
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    if config == ffi.NULL:
        return False
    try:
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        return fonts != ffi.NULL and fonts.nfont > 0
    finally:
        fontconfig.FcConfigDestroy(config)


def fonts_available() -> bool:
    """Return True when fontconfig lists at least one font (without it WeasyPrint segfaults)."""
    found = _fonts_found()
    if not found:
        _fonts_found.cache_clear()  # a font installed later is seen without restarting
    return found


def render_pdf(*, html: str, title: str, base_url: str | None = None, fetcher=None) -> RenderedPdf:
    """Render HTML to a tagged PDF/UA-1 document with the given title, fetching only static files.

    `fetcher` defaults to a fresh `SafeURLFetcher`; tests pass one to see what was asked for.
    """
    if not fonts_available():
        raise FontsMissingError(FONTS_MISSING_MESSAGE)
    from weasyprint import HTML

    base_url = base_url or STATIC_BASE_URL
    fetcher = fetcher or SafeURLFetcher(base_url=STATIC_BASE_URL)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    document.metadata.title = title
    document.metadata.lang = document.metadata.lang or LANGUAGE
    if not document.metadata.authors:
        document.metadata.authors = [settings.COUNCIL_NAME]
    content = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(content=content, pages=len(document.pages))


def render_template_pdf(
    *, template_name: str, context: dict, title: str, child_level: bool, fetcher=None
) -> RenderedPdf:
    """Render a template extending `pdf/base.html` and turn it into a PDF.

    `child_level` puts the OFFICIAL – SENSITIVE marking on every page.
    """
    now = timezone.localtime()
    html = render_to_string(
        template_name,
        {
            "council_name": settings.COUNCIL_NAME,
            "service_name": settings.SERVICE_NAME,
            "generated_at": now,
            **context,
            "title": title,
            "child_level": child_level,
        },
    )
    return render_pdf(html=html, title=title, fetcher=fetcher)
