"""The "who changed what" table stays off every board-facing page and PDF.

Child-level records' history carries their free text, and board members must never see a child's
record. The table is included only by the templates listed here, each behind a permission board
members do not hold; a new include must be added to this list deliberately.
"""

from pathlib import Path

import pytest

from readiness import roles
from tests.test_access import ACCESS, PUBLIC, _named_patterns, _url, objects  # noqa: F401 (fixture)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COMPONENT = "components/change_history.html"
MARKER = b"app-change-history"
# Each page that shows the table, and the URL name that renders it (none of them open to the board).
INCLUDED_BY = {
    "inspections/inspection_detail.html": "inspections:inspection-detail",
    "casework/child_detail.html": "casework:child-detail",
    "casework/sample_detail.html": "casework:sample-detail",
    "casework/audit_form.html": "casework:audit-edit",
    "casework/audit_moderate.html": "casework:audit-moderate",
    "readiness/dashboards/self_evaluation_detail.html": "readiness:self-evaluation-detail",
    "readiness/plans/action_detail.html": "readiness:action-detail",
    "readiness/people/person_detail.html": "readiness:person-detail",
}


def test_only_the_listed_pages_include_the_table_and_never_a_pdf():
    including = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if COMPONENT in path.read_text(encoding="utf-8") and path.parent.name != "components"
    }
    assert including == set(INCLUDED_BY)
    assert not [name for name in including if name.startswith("pdf/")]


def test_no_page_with_the_table_is_open_to_board_members():
    for template, url_name in INCLUDED_BY.items():
        allowed = ACCESS[url_name]
        assert isinstance(allowed, frozenset) and roles.BOARD_MEMBER not in allowed, template


@pytest.mark.django_db
def test_board_members_never_get_the_table_on_any_page_they_open(client_for, objects):  # noqa: F811
    board = client_for(roles.BOARD_MEMBER)
    for name, pattern in _named_patterns():
        # A URL not declared yet fails tests/test_access.py; here it is only skipped.
        if ACCESS.get(name, PUBLIC) in (PUBLIC, "post-only"):
            continue
        response = board.get(_url(name, pattern, objects), follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER not in body, name
