"""Check 18: a bad file saves nothing and names the bad rows in plain English.

tests/casework/test_import_views.py proves the error summary, "nothing saved" and the kept dry-run
choice on a 3-row CSV; tests/casework/test_import_annex_lists.py proves one bad cell on one list.
This is the check's own fixture: an Annex A workbook whose referrals list has a bad date at row 37
and an unknown gender at row 112, and a second list missing its required date column.
"""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readiness import roles
from tests.casework.conftest import casework_table_counts

pytestmark = pytest.mark.django_db
REFERRALS = "List 3 Referrals"
ASSESSMENTS = "List 4 Assessments"


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    referrals = book.active
    referrals.title = REFERRALS
    referrals.append(["Child ID", "Gender", "Date of referral"])
    for row in range(2, 151):
        gender = "Martian" if row == 112 else ("Male" if row % 2 else "Female")
        when = "31/02/2025" if row == 37 else dt.date(2025, 1, 1) + dt.timedelta(days=row)
        referrals.append([f"R{row:04d}", gender, when])
    assessments = book.create_sheet(ASSESSMENTS)
    assessments.append(["Child ID", "Gender"])  # no assessment date column at all
    assessments.append(["R0002", "Female"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_check_18_workbook_saves_nothing_and_names_each_bad_row(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    before = casework_table_counts()
    upload = SimpleUploadedFile("annex-a.xlsx", _workbook())
    response = pm.post(reverse("casework:import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', html, re.S)
    assert summary, html[:3000]
    text = re.sub(r"<[^>]+>", " ", summary.group(0)).replace("&#x27;", "'")
    assert re.search(rf"{REFERRALS}, row 37, Date of referral: '31/02/2025' is not a real date", text), text
    assert re.search(rf"{REFERRALS}, row 112, Gender: 'Martian' is not", text), text
    assert re.search(rf"{ASSESSMENTS}.*needs a .* column", text), text
    assert "Traceback" not in html and "Nothing was saved" in html
    dry_run = re.search(r'<input[^>]*name="dry_run"[^>]*>', html).group(0)
    assert "checked" in dry_run  # the form keeps the user's choice
    assert casework_table_counts() == before  # every casework table, history included
