"""The framework library pages (read-only) and uploading a framework file through the browser."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from inspections import framework_files, services
from inspections.forms import FRAMEWORK_FILE_NOT_UTF8, FRAMEWORK_FILE_TOO_BIG, FRAMEWORK_FILE_WRONG_TYPE
from inspections.models import Framework, Milestone, MilestoneRule
from inspections.views.frameworks import NOTHING_PENDING
from readiness import roles
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, framework

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)


def url(name, **kwargs):
    return reverse(f"inspections:{name}", kwargs=kwargs)


# ---------------------------------------------------------------------------
# Library: list and detail
# ---------------------------------------------------------------------------


def test_list_shows_each_framework_with_its_counts(client_for):
    Ilacs2019Factory()
    Ilacs2019Factory()
    page = client_for(PM).get(url("framework-list")).content.decode()
    ilacs = framework("ilacs-2018")
    row = page[page.index(escape(ilacs.name)) :]
    row = row[: row.index("</tr>")]
    assert "ilacs-2018" in row
    assert "2 inspections" in row
    assert f">{ilacs.areas.count()}<" in row
    assert "Graded" in row
    # An ungraded framework says so, and one nobody uses shows 0.
    clas = framework("cqc-clas-2013")
    clas_row = page[page.index(escape(clas.name)) :]
    clas_row = clas_row[: clas_row.index("</tr>")]
    assert "Not graded" in clas_row and "0 inspections" in clas_row


def test_detail_shows_areas_grades_rules_and_milestone_rules_in_words(client_for):
    page = client_for(AUD).get(url("framework-detail", code="sif-2013")).content.decode()
    sif = framework("sif-2013")
    for area in sif.areas.all():
        assert escape(area.name) in page
    assert "Requires improvement" in page and "Inadequate" in page
    assert "Limiting rule" in page
    assert "can be no better than Inadequate" in page
    assert "(SIF limiting rule)" in page  # the stored message, as in the file
    assert "Draft report sent to the DCS: 15 working days after the last on-site day" in page


def test_detail_words_the_improvement_plan_rule_from_the_final_report(client_for):
    page = client_for(DCS).get(url("framework-detail", code="ilacs-2023")).content.decode()
    assert "70 working days after the final report is received" in page
    assert "Statutory deadline" in page
    assert "Only when Overall effectiveness" in page  # the next-inspection window's condition


def test_detail_of_an_unknown_framework_is_404(client_for):
    assert client_for(PM).get(url("framework-detail", code="no-such-framework")).status_code == 404


@pytest.mark.parametrize(("role", "status"), [(PM, 200), (DCS, 200), (AUD, 200), (ADM, 200), (BM, 403)])
def test_library_is_for_roles_that_view_inspections_and_board_members_are_refused(client_for, role, status):
    client = client_for(role)
    assert client.get(url("framework-list")).status_code == status
    assert client.get(url("framework-detail", code="ilacs-2023")).status_code == status


def test_inspection_list_links_to_the_library(client_for):
    page = client_for(AUD).get(url("inspection-list")).content.decode()
    assert url("framework-list") in page


# ---------------------------------------------------------------------------
# Uploading a framework file
# ---------------------------------------------------------------------------

UPLOAD = reverse("inspections:framework-upload")
CONFIRM = reverse("inspections:framework-upload-confirm")


def shipped(code: str) -> str:
    return (framework_files.FRAMEWORKS_DIR / f"{code}.yaml").read_text(encoding="utf-8")


def upload(client, name: str, content: str | bytes):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="application/yaml")})


def confirm(client):
    """Press "Save" on the confirmation page as a person would: the form names the upload it showed."""
    page = client.get(CONFIRM).content.decode()
    upload_id = re.search(r'name="upload" value="([^"]*)"', page).group(1)
    return client.post(CONFIRM, {"upload": upload_id})


def error_summary(page: str) -> str:
    start = page.index("govuk-error-summary")
    return page[start : page.index("</ul>", start)]


def ilacs_2023_version_2() -> str:
    text = shipped("ilacs-2023")
    assert "\nversion: 1\n" in text and "    offset: 70\n" in text
    text = text.replace("\nversion: 1\n", "\nversion: 2\n")
    # The improvement plan's 70 working days become 71 (the only rule with offset 70 in the file).
    before, after = text.split("  - code: action_plan", 1)
    return before + "  - code: action_plan" + after.replace("    offset: 70\n", "    offset: 71\n", 1)


def test_upload_good_file_shows_what_changes_then_saves_on_confirm_with_history_and_recompute(
    client_for, django_capture_on_commit_callbacks
):
    inspection = InspectionFactory(
        framework=framework("ilacs-2023"), final_report_received_on=dt.date(2019, 3, 27)
    )
    services.milestones_compute(inspection=inspection)
    assert Milestone.objects.get(inspection=inspection, code="action_plan").due_on == dt.date(2019, 7, 9)
    pm = client_for(PM)

    response = upload(pm, "ilacs-2023.yaml", ilacs_2023_version_2())
    assert response.status_code == 302 and response["Location"] == CONFIRM
    page = pm.get(CONFIRM).content.decode()
    assert "version 2 replaces version 1" in page
    assert "(<code>action_plan</code>)" in page and "Changed" in page
    assert "1 inspection" in page and "works out again the deadlines of every inspection" in page
    assert Framework.objects.get(code="ilacs-2023").version == 1  # nothing saved before confirming

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = confirm(pm)
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:framework-detail", kwargs={"code": "ilacs-2023"})
    saved = Framework.objects.get(code="ilacs-2023")
    assert saved.version == 2
    assert saved.milestone_rules.get(code="action_plan").offset == 71
    record = saved.history.first()
    assert record.history_user == User.objects.get(username="pm")
    assert record.history_change_reason == services.FRAMEWORK_UPLOADED
    rule_record = MilestoneRule.history.filter(code="action_plan", framework_id=saved.pk).first()
    assert rule_record.history_user.username == "pm"
    assert len(callbacks) == 1
    assert Milestone.objects.get(inspection=inspection, code="action_plan").due_on == dt.date(2019, 7, 10)
    # The pending upload is used up: confirming again saves nothing more.
    assert NOTHING_PENDING in pm.get(CONFIRM).content.decode()


def test_upload_of_a_new_framework_says_so_and_adds_it(client_for):
    text = shipped("ilacs-2023").replace("code: ilacs-2023", "code: ilacs-2027", 1)
    pm = client_for(PM)
    assert upload(pm, "ilacs-2027.yaml", text).status_code == 302
    page = pm.get(CONFIRM).content.decode()
    assert "A new framework, version 1" in page and "milestone rules" in page
    assert not Framework.objects.filter(code="ilacs-2027").exists()
    confirm(pm)
    added = Framework.objects.get(code="ilacs-2027")
    assert added.areas.count() == framework("ilacs-2023").areas.count()


def test_upload_of_the_same_file_changes_nothing_and_offers_no_save(client_for):
    pm = client_for(PM)
    upload(pm, "sif-2013.yaml", shipped("sif-2013"))
    page = pm.get(CONFIRM).content.decode()
    assert "This file is the same as version 1 — nothing would change." in page
    assert "Save framework" not in page


def test_bad_file_lists_file_line_message_in_the_error_summary_and_saves_nothing(client_for):
    text = shipped("sif-2013")
    line = text.splitlines().index("    grade: inadequate") + 1
    text = text.replace("    grade: inadequate\n", "    grade: dreadful\n", 1)
    with pytest.raises(framework_files.FrameworkFileError) as expected:
        services.framework_file_check(name="sif-2013.yaml", content=text.encode())
    on_line = [p for p in expected.value.problems if p.startswith(f"sif-2013.yaml:{line}: ")]
    assert on_line and "dreadful" in on_line[0]
    before = list(Framework.history.values_list("pk", flat=True))
    pm = client_for(PM)
    response = upload(pm, "sif-2013.yaml", text)
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    for problem in expected.value.problems:
        assert escape(problem) in summary
    assert "dreadful" in summary
    assert list(Framework.history.values_list("pk", flat=True)) == before
    assert NOTHING_PENDING in pm.get(CONFIRM).content.decode()


def test_yaml_syntax_error_names_the_line(client_for):
    response = upload(client_for(PM), "jtai.yaml", "code: jtai\nname: [unclosed\n")
    summary = error_summary(response.content.decode())
    assert "jtai.yaml:" in summary and "YAML syntax error" in summary


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sif-2013.txt", b"code: sif-2013\n", FRAMEWORK_FILE_WRONG_TYPE),
        ("sif-2013.xlsx", b"PK\x03\x04", FRAMEWORK_FILE_WRONG_TYPE),
        ("sif-2013.yaml", b"# " + b"x" * (200 * 1024) + b"\n", FRAMEWORK_FILE_TOO_BIG),
        ("sif-2013.yaml", "name: Caf\u00e9\n".encode("latin-1"), FRAMEWORK_FILE_NOT_UTF8),
        ("sif-2013.yaml", b"", "The selected file is empty"),
    ],
)
def test_wrong_type_too_big_or_not_utf8_is_refused(client_for, name, content, message):
    pm = client_for(PM)
    response = upload(pm, name, content)
    assert response.status_code == 200
    assert message in error_summary(response.content.decode())
    assert NOTHING_PENDING in pm.get(CONFIRM).content.decode()


def test_confirm_without_a_pending_upload_says_so_and_saves_nothing(client_for):
    pm = client_for(PM)
    page = pm.get(CONFIRM)
    assert page.status_code == 200 and NOTHING_PENDING in page.content.decode()
    before = Framework.history.count()
    response = pm.post(CONFIRM)
    assert NOTHING_PENDING in response.content.decode()
    assert Framework.history.count() == before


@pytest.mark.parametrize(("role", "status"), [(PM, 200), (ADM, 200), (DCS, 403), (AUD, 403), (BM, 403)])
def test_only_roles_that_change_frameworks_may_upload(client_for, role, status):
    client = client_for(role)
    assert client.get(UPLOAD).status_code == status
    assert client.get(CONFIRM).status_code == status
    response = upload(client, "ilacs-2023.yaml", ilacs_2023_version_2())
    assert response.status_code == (302 if status == 200 else 403)
    if status == 403:
        assert client.post(CONFIRM).status_code == 403
    assert Framework.objects.get(code="ilacs-2023").version == 1


def test_upload_button_only_for_roles_that_change_frameworks(client_for):
    assert UPLOAD in client_for(PM).get(url("framework-list")).content.decode()
    assert UPLOAD not in client_for(DCS).get(url("framework-list")).content.decode()


def test_loading_the_shipped_files_after_an_upload_keeps_the_uploaded_version(client_for, capsys):
    from django.core.management import call_command

    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", ilacs_2023_version_2())
    confirm(pm)
    assert Framework.objects.get(code="ilacs-2023").version == 2

    call_command("load_frameworks")

    saved = Framework.objects.get(code="ilacs-2023")
    assert saved.version == 2 and saved.milestone_rules.get(code="action_plan").offset == 71
    out = capsys.readouterr().out
    assert (
        "ilacs-2023: kept version 2; the file is version 1 "
        "(a newer version was uploaded through the framework library)"
    ) in out
    assert "ilacs-2018: unchanged" in out  # the other files still load


def test_a_confirm_that_names_no_upload_saves_nothing_and_asks_to_check_first(client_for):
    """An old form or a script posting without the upload the page showed: nothing is saved."""
    from inspections.views.frameworks import CHECK_FIRST

    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", ilacs_2023_version_2())
    response = pm.post(CONFIRM, follow=True)
    assert CHECK_FIRST in response.content.decode()
    assert "version 2 replaces version 1" in response.content.decode()  # the changes, shown again
    assert Framework.objects.get(code="ilacs-2023").version == 1
    confirm(pm)
    assert Framework.objects.get(code="ilacs-2023").version == 2
