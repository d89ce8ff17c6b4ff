"""A board member asks for a board summary, waits for it and downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from readiness import roles
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_requests_and_downloads_a_board_summary(sign_in, page, live_server, tmp_path):
    from casework.models import Child
    from tests.factories.inspections import Ilacs2019Factory

    Ilacs2019Factory()
    Child.objects.create(child_id="C0001", birth_year=2015)
    board = make_user(roles.BOARD_MEMBER)
    sign_in(board.username)
    page.goto(f"{live_server.url}/reports/new/")
    page.get_by_role("radio", name="Board summary").check()
    page.get_by_role("button", name="Ask for the report").click()
    download_link = page.get_by_role("link", name=re.compile("Download", re.I))
    expect(download_link).to_be_visible(timeout=30000)
    with page.expect_download() as download_info:
        download_link.click()
    path = tmp_path / "board-summary.pdf"
    download_info.value.save_as(path)
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Board summary" in text
    assert "C0001" not in text
