"""The framework upload's confirmation page: what exactly would change, whose deadlines would move,
discarding the staged upload, and confirming twice."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from inspections import framework_files, services
from inspections.framework_sync import DELETED
from inspections.models import Framework, JudgementArea, Milestone, MilestoneRule
from inspections.services.framework_changes import NOT_IN_LIBRARY, REMOVED_WORDS
from inspections.views.frameworks import (
    ALREADY_APPLIED,
    ALREADY_APPLIED_NOT_DISCARDED,
    ANOTHER_FILE,
    APPLIED,
    DISCARDED,
    NOTHING_PENDING,
    PENDING,
    SAME_AS,
)
from readiness import roles
from tests.factories.inspections import InspectionFactory, framework

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)
UPLOAD = reverse("inspections:framework-upload")
CONFIRM = reverse("inspections:framework-upload-confirm")
DISCARD = reverse("inspections:framework-upload-discard")
LIBRARY = reverse("inspections:framework-list")
SAVE_BUTTON = ">Save framework</button>"
DISCARD_BUTTON = ">Discard this upload</button>"


def shipped(code: str) -> str:
    return (framework_files.FRAMEWORKS_DIR / f"{code}.yaml").read_text(encoding="utf-8")


def upload(client, name: str, content: str):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="application/yaml")
    response = client.post(UPLOAD, {"file": file})
    assert response.status_code == 302 and response["Location"] == CONFIRM, response.content.decode()[:2000]
    return client.session[PENDING]["id"]


def version_2(text: str) -> str:
    """ilacs-2023 as version 2, with the improvement plan due 71 working days after the report."""
    assert "\nversion: 1\n" in text
    text = text.replace("\nversion: 1\n", "\nversion: 2\n")
    before, after = text.split("  - code: action_plan", 1)
    return before + "  - code: action_plan" + after.replace("    offset: 70\n", "    offset: 71\n", 1)


NEW_AREA = """      - code: workforce
        name: The stability of the social work workforce
        kind: contributory
        graded: false
        criteria:
          - Vacancy and agency rates are known and falling.
"""


def with_area_added_and_rule_removed(text: str) -> str:
    """ilacs-2023 version 2 with a new child area and without the observed 'publication' rule."""
    text = text.replace("\nversion: 1\n", "\nversion: 2\n")
    text = text.replace("\nrules:\n", NEW_AREA + "\nrules:\n", 1)
    start = text.index("  - code: publication\n")
    end = text.index("  - code: la_publishes_report\n")
    return text[:start] + text[end:]


class _Tables(HTMLParser):
    """Every <table>: its caption and its rows as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            text = "\n".join(" ".join(line.split()) for line in "".join(self._cell).split("\n"))
            self.tables[-1]["rows"][-1].append(text.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def tables(page: str) -> list[dict]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def table(page: str, caption_part: str) -> dict:
    found = [t for t in tables(page) if caption_part in t["caption"]]
    assert len(found) == 1, [t["caption"] for t in tables(page)]
    return found[0]


def row(found: dict, field: str) -> list[str]:
    rows = [r for r in found["rows"] if r and r[0] == field]
    assert len(rows) == 1, found
    return rows[0]


def counts() -> dict[str, int]:
    """Rows and history rows of every framework-file model: what "the database is unchanged" means."""
    from inspections.models import Grade, GradeScale

    models = (Framework, JudgementArea, MilestoneRule, Grade, GradeScale, Milestone)
    return {
        m.__name__: (m.objects.count(), m.history.count() if hasattr(m, "history") else 0) for m in models
    }


# ---------------------------------------------------------------------------
# What would change, field by field
# ---------------------------------------------------------------------------


def test_confirm_page_shows_now_and_after_for_each_changed_field(client_for):
    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    page = pm.get(CONFIRM).content.decode()

    details = table(page, "Framework: Inspecting local authority")
    assert details["rows"][0] == ["Field", "Now", "After upload"]
    assert row(details, "Version") == ["Version", "1", "2"]
    assert "Changed" in details["caption"]
    rule = table(page, "(action_plan)")
    assert "Changed" in rule["caption"] and "Milestone rule" in rule["caption"]
    assert row(rule, "Offset") == ["Offset", "70", "71"]
    in_words = row(rule, "In words")
    assert "70 working days after the final report is received" in in_words[1]
    assert "71 working days after the final report is received" in in_words[2]
    # Only what changes: the rule's other fields and the unchanged rules are not listed.
    assert [r[0] for r in rule["rows"][1:]] == ["In words", "Offset"]
    assert "(complaint_window)" not in page
    assert SAVE_BUTTON in page and DISCARD_BUTTON in page
    assert Framework.objects.get(code="ilacs-2023").version == 1  # nothing saved yet


def test_added_and_removed_items_are_labelled_with_their_values(client_for):
    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", with_area_added_and_rule_removed(shipped("ilacs-2023")))
    page = pm.get(CONFIRM).content.decode()

    added = table(page, "(workforce)")
    assert "Added" in added["caption"] and "Judgement area" in added["caption"]
    assert row(added, "Name") == ["Name", NOT_IN_LIBRARY, "The stability of the social work workforce"]
    assert row(added, "Part of") == ["Part of", NOT_IN_LIBRARY, "Overall effectiveness"]
    assert row(added, "Graded") == ["Graded", NOT_IN_LIBRARY, "No"]
    assert row(added, "Kind") == ["Kind", NOT_IN_LIBRARY, "Contributory judgement"]

    removed = table(page, "(publication)")
    assert "Removed" in removed["caption"] and "Milestone rule" in removed["caption"]
    assert row(removed, "Offset") == ["Offset", "27", REMOVED_WORDS]
    assert row(removed, "Counted from") == ["Counted from", "The last on-site day", REMOVED_WORDS]
    assert row(removed, "Status") == ["Status", "Observed practice, not a deadline", REMOVED_WORDS]
    assert "Deadlines already worked out from this rule keep their dates" in page
    # Adding an area and dropping a rule shifts positions, which is not a reordering to report.
    assert "The order of" not in page


def test_reordering_kept_items_is_reported_once(client_for):
    text = shipped("ilacs-2023")
    first = text.index("  - code: factual_accuracy\n")
    second = text.index("  - code: complaint_window\n")
    third = text.index("  - code: publication\n")
    swapped = text[:first] + text[second:third] + text[first:second] + text[third:]
    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", swapped)
    page = pm.get(CONFIRM).content.decode()
    order = table(page, "The order of the milestone rules")
    now, after = row(order, "Order")[1:]
    assert now.index("Factual accuracy") < now.index("Last day for a formal complaint")
    assert after.index("Last day for a formal complaint") < after.index("Factual accuracy")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(lambda: shipped("sif-2013"), id="identical"),
        pytest.param(lambda: shipped("sif-2013") + "\n# a comment only\n", id="only-a-comment-differs"),
    ],
)
def test_a_file_that_changes_nothing_says_so_and_offers_no_save(client_for, text):
    pm = client_for(PM)
    upload(pm, "sif-2013.yaml", text())
    page = pm.get(CONFIRM).content.decode()
    version = Framework.objects.get(code="sif-2013").version
    assert SAME_AS.format(version=version) in page
    assert "This file is the same as version 1 — nothing would change." in page
    assert SAVE_BUTTON not in page
    assert DISCARD_BUTTON in page
    assert "What will change" not in page


def test_a_new_framework_lists_what_it_adds(client_for):
    text = shipped("ilacs-2023").replace("code: ilacs-2023", "code: ilacs-2027", 1)
    pm = client_for(PM)
    upload(pm, "ilacs-2027.yaml", text)
    page = pm.get(CONFIRM).content.decode()
    assert "What it adds" in page
    assert "Improvement plan (written statement of proposed action): 70 working days after" in page
    assert "The experiences and progress of care leavers" in page
    assert SAVE_BUTTON in page


# ---------------------------------------------------------------------------
# Whose deadlines would move
# ---------------------------------------------------------------------------


def test_confirm_page_names_the_inspections_whose_deadlines_would_move(client_for):
    moving = InspectionFactory(
        framework=framework("ilacs-2023"), final_report_received_on=dt.date(2019, 3, 27)
    )
    services.milestones_compute(inspection=moving)
    keeping = InspectionFactory(framework=framework("ilacs-2023"), final_report_received_on=None)
    services.milestones_compute(inspection=keeping)
    before = counts()
    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    page = pm.get(CONFIRM).content.decode()

    assert "2 inspections use this framework. 1 of them would have deadlines move:" in page
    link = reverse("inspections:inspection-detail", kwargs={"inspection_pk": moving.pk})
    assert f'href="{link}"' in page
    assert reverse("inspections:inspection-detail", kwargs={"inspection_pk": keeping.pk}) not in page
    moves = [t for t in tables(page) if t["rows"] and t["rows"][0] == ["Milestone", "Now", "After upload"]]
    assert len(moves) == 1 and "1 deadline" in moves[0]["caption"]
    assert moves[0]["rows"][1:] == [
        ["Improvement plan (written statement of proposed action)", "9 July 2019", "10 July 2019"]
    ]
    assert "The other 1 inspection would keep its dates." in page
    # Working it out wrote nothing: the preview's recompute was rolled back.
    assert counts() == before
    assert Milestone.objects.get(inspection=moving, code="action_plan").due_on == dt.date(2019, 7, 9)


# ---------------------------------------------------------------------------
# Discarding the staged upload
# ---------------------------------------------------------------------------


def test_discard_throws_the_upload_away_and_changes_nothing(client_for):
    pm = client_for(PM)
    before = counts()
    upload_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))

    response = pm.post(DISCARD, {"upload": upload_id})
    assert response.status_code == 302 and response["Location"] == LIBRARY
    assert PENDING not in pm.session
    page = pm.get(LIBRARY).content.decode()
    assert "govuk-notification-banner" in page and DISCARDED in page
    assert counts() == before
    assert Framework.objects.get(code="ilacs-2023").version == 1
    # Nothing is left to confirm: the old page's button saves nothing.
    assert NOTHING_PENDING in pm.post(CONFIRM, {"upload": upload_id}).content.decode()
    assert counts() == before


def test_discard_is_post_only(client_for):
    pm = client_for(PM)
    upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    assert pm.get(DISCARD).status_code == 405
    assert PENDING in pm.session


def test_discard_from_an_older_page_leaves_a_newer_upload_staged(client_for):
    pm = client_for(PM)
    old_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    new_id = upload(pm, "sif-2013.yaml", shipped("sif-2013"))
    pm.post(DISCARD, {"upload": old_id})
    assert pm.session[PENDING]["id"] == new_id


def test_discard_after_confirming_says_it_was_already_applied(client_for):
    pm = client_for(PM)
    upload_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    pm.post(CONFIRM, {"upload": upload_id})
    response = pm.post(DISCARD, {"upload": upload_id}, follow=True)
    name = Framework.objects.get(code="ilacs-2023").name
    assert escape(ALREADY_APPLIED_NOT_DISCARDED.format(name=name, version=2)) in response.content.decode()
    assert Framework.objects.get(code="ilacs-2023").version == 2


@pytest.mark.parametrize("role", [DCS, AUD, BM])
def test_roles_that_cannot_change_frameworks_get_403_on_discard_and_confirm(client_for, role):
    client = client_for(role)
    session = client.session
    session[PENDING] = {"id": "abc", "name": "ilacs-2023.yaml", "content": version_2(shipped("ilacs-2023"))}
    session.save()
    assert client.post(DISCARD, {"upload": "abc"}).status_code == 403
    assert client.post(CONFIRM, {"upload": "abc"}).status_code == 403
    assert client.session[PENDING]["id"] == "abc"
    assert Framework.objects.get(code="ilacs-2023").version == 1


def test_anonymous_discard_goes_to_sign_in(client):
    response = client.post(DISCARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------
# Confirming: all or nothing, once, with history
# ---------------------------------------------------------------------------


def test_confirming_twice_applies_once_and_says_already_applied(
    client_for, django_capture_on_commit_callbacks
):
    InspectionFactory(framework=framework("ilacs-2023"), final_report_received_on=dt.date(2019, 3, 27))
    pm = client_for(PM)
    upload_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    detail = reverse("inspections:framework-detail", kwargs={"code": "ilacs-2023"})

    with django_capture_on_commit_callbacks(execute=True) as first:
        response = pm.post(CONFIRM, {"upload": upload_id})
    assert response.status_code == 302 and response["Location"] == detail
    assert len(first) == 1  # one recompute for the one inspection
    saved = counts()
    record = Framework.objects.get(code="ilacs-2023").history.first()
    assert record.history_user.username == "pm" and record.history_type == "~"

    # The back button or a second click: the same page posts the same upload again.
    with django_capture_on_commit_callbacks(execute=True) as second:
        response = pm.post(CONFIRM, {"upload": upload_id}, follow=True)
    assert response.status_code == 200
    name = Framework.objects.get(code="ilacs-2023").name
    assert escape(ALREADY_APPLIED.format(name=name, version=2)) in response.content.decode()
    assert "already applied" in response.content.decode()
    assert not second
    assert counts() == saved


def test_a_second_confirm_racing_the_first_writes_nothing(client_for):
    """Two requests that both read the staged upload before either saved: the second finds the
    library already changed and reports "already applied" instead of saving again."""
    pm = client_for(PM)
    upload_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    staged = pm.session[PENDING]
    pm.post(CONFIRM, {"upload": upload_id})
    saved = counts()
    session = pm.session
    session[PENDING] = staged  # the racing request still sees the upload staged
    del session[APPLIED]
    session.save()
    response = pm.post(CONFIRM, {"upload": upload_id}, follow=True)
    assert "already applied" in response.content.decode()
    assert counts() == saved
    assert PENDING not in pm.session


def test_confirm_from_a_page_for_another_file_saves_nothing(client_for):
    pm = client_for(PM)
    old_id = upload(pm, "ilacs-2023.yaml", version_2(shipped("ilacs-2023")))
    upload(pm, "ilacs-2023.yaml", with_area_added_and_rule_removed(shipped("ilacs-2023")))
    before = counts()
    response = pm.post(CONFIRM, {"upload": old_id}, follow=True)
    assert ANOTHER_FILE in response.content.decode()
    assert counts() == before


def test_apply_is_all_or_nothing_when_the_file_can_no_longer_be_saved(client_for):
    """An area the file drops gets a judgement between checking and confirming: nothing is saved."""
    from tests.factories.inspections import Ilacs2019Factory

    text = shipped("ilacs-2018").replace("\nversion: 1\n", "\nversion: 2\n")
    start = text.index("      - code: leaders\n")
    end = text.index("      - code:", start + 1)
    dropped = text[:start] + text[end:]
    pm = client_for(PM)
    upload_id = upload(pm, "ilacs-2018.yaml", dropped)
    inspection = Ilacs2019Factory()
    services.judgements_record(inspection=inspection, grades={"leaders": "good"})
    before = counts()
    response = pm.post(CONFIRM, {"upload": upload_id})
    assert response.status_code == 200
    assert "can no longer be saved" in response.content.decode()
    assert counts() == before


def test_service_apply_twice_writes_history_once():
    content = version_2(shipped("ilacs-2023")).encode()
    first = services.framework_upload_apply(name="ilacs-2023.yaml", content=content)
    assert not first.nothing_changes
    after_first = counts()
    second = services.framework_upload_apply(name="ilacs-2023.yaml", content=content)
    assert second.nothing_changes
    assert counts() == after_first


def test_sync_reports_a_deleted_row_with_its_old_values():
    text = with_area_added_and_rule_removed(shipped("ilacs-2023"))
    preview = services.framework_upload_preview(name="ilacs-2023.yaml", content=text.encode())
    assert "milestone rule publication deleted" in preview.changes
    assert DELETED == "deleted"
    assert re.search(r"publication", " ".join(i.code for g in preview.groups for i in g.items))
