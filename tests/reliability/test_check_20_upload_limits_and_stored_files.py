"""Check 20: upload limits, and where stored files live and how they are served.

tests/casework/test_cases_import.py proves the size cap and a PNG named .csv; test_import_views.py
a PNG named .xlsx and the random stored name of an import. This adds a zip named .csv, a workbook over
the uncompressed-size and entry-count caps (through the import page, before any row is read), and for
every stored file (imports, evidence, reports): a random name that never carries the user's file name,
MEDIA_ROOT outside anything the web server serves, no URL that serves MEDIA_URL, and a download view
that checks permission and sets Content-Disposition itself.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from casework.services import cases_import
from readiness import roles
from tests.casework.conftest import casework_table_counts
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_named_csv_is_refused():
    result = cases_import(file=io.BytesIO(_zip({"a.txt": b"hello"})), filename="cases.csv")
    assert not result.ok
    assert "is not a CSV file" in str(result.problems[0]) and "zip" in str(result.problems[0])


@pytest.mark.parametrize("limit", ["bytes", "entries"])
def test_a_workbook_over_the_unpacked_caps_is_refused_before_any_row_is_read(client_for, monkeypatch, limit):
    from casework.imports import reader

    if limit == "bytes":
        monkeypatch.setattr(reader, "MAX_XLSX_UNCOMPRESSED_BYTES", 10_000)
        content = _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 20_000})
    else:
        monkeypatch.setattr(reader, "MAX_XLSX_ENTRIES", 10)
        content = _zip({f"xl/media/{n}.bin": b"x" for n in range(11)})
    read_rows = []
    monkeypatch.setattr(reader, "_sheet_rows", lambda *a, **k: read_rows.append(a) or iter(()))
    before = casework_table_counts()
    response = client_for(roles.PERFORMANCE_MANAGER).post(
        reverse("casework:import"), {"file": SimpleUploadedFile("cases.xlsx", content)}
    )
    html = response.content.decode()
    assert "too large once unpacked" in html, html[:2000]
    assert not read_rows
    assert casework_table_counts() == before


def test_media_root_is_outside_what_the_web_server_serves_and_no_url_serves_it():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    served = [
        Path(django_settings.STATIC_ROOT).resolve(),
        *(Path(d).resolve() for d in django_settings.STATICFILES_DIRS),
    ]
    for root in served:
        assert not media.is_relative_to(root) and not root.is_relative_to(media), (media, root)
    for path in ("/media/imports/x.csv", "/media/evidence/x.pdf", "/media/reports/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(path)


def test_every_stored_file_gets_a_random_name_without_the_users_file_name():
    from casework.models import ImportRun
    from readiness.models import Report
    from readiness.plans.models import ActionEvidence

    users_name = "C0001 Smith family notes.csv"
    for model in (ImportRun, Report, ActionEvidence):
        upload_to = model._meta.get_field("file").upload_to
        first, second = upload_to(model(), users_name), upload_to(model(), users_name)
        assert first != second, model
        assert "C0001" not in first and "Smith" not in first and ".." not in first, (model, first)


def test_evidence_is_served_only_through_the_permission_checked_view_with_a_server_set_name(client_for):
    from tests.factories.plans import EvidenceFactory

    evidence = EvidenceFactory()
    url = reverse("readiness:evidence-download", kwargs={"evidence_pk": evidence.pk})
    assert Client().get(url).status_code == 302  # anonymous: to sign-in
    board = Client()
    board.force_login(make_user(roles.BOARD_MEMBER))
    assert board.get(url).status_code == 403
    response = client_for(roles.PERFORMANCE_MANAGER).get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert Path(evidence.file.name).name not in disposition  # the stored random name never leaks
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
