"""Check 19, the re-upload clause: the same file (same SHA-256) uploaded again creates no duplicates.

tests/casework/test_import_views.py proves "failed — Try again" and that the retry imports the file
once; tests/casework/test_cases_import.py that a second import through the service changes nothing;
tests/integration/test_faults.py that a killed import saves nothing. This uploads the same bytes
twice through the page (and once more after a failed, retried run) and compares every table.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import ImportRun
from readiness import roles
from tests.casework.conftest import FILES, casework_table_counts

pytestmark = pytest.mark.django_db


def test_the_same_file_uploaded_again_creates_no_duplicates(client_for, monkeypatch):
    from casework import services

    content = (FILES / "good.csv").read_bytes()
    pm = client_for(roles.PERFORMANCE_MANAGER)

    # First attempt crashes while writing: failed, nothing saved; "Try again" imports it once.
    real = services.write_plan
    monkeypatch.setattr(services, "write_plan", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("lost")))
    empty = casework_table_counts()
    pm.post(reverse("casework:import"), {"file": SimpleUploadedFile("good.csv", content)})
    failed = ImportRun.objects.get()
    assert failed.status == ImportRun.Status.FAILED and casework_table_counts() == empty
    monkeypatch.setattr(services, "write_plan", real)
    pm.post(reverse("casework:import-retry", kwargs={"run_id": failed.pk}))
    failed.refresh_from_db()
    assert failed.status == ImportRun.Status.SUCCEEDED
    once = casework_table_counts()
    assert once["Child"] == 4 and once["HistoricalChild"] == 4

    for _ in range(2):
        response = pm.post(
            reverse("casework:import"), {"file": SimpleUploadedFile("good.csv", content)}, follow=True
        )
        assert response.status_code == 200
        assert casework_table_counts() == once
    digest = hashlib.sha256(content).hexdigest()
    assert set(ImportRun.objects.values_list("sha256", flat=True)) == {digest}
