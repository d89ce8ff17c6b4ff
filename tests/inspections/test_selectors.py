import datetime as dt

import pytest

from inspections import selectors
from tests.factories.inspections import framework

pytestmark = pytest.mark.django_db


def _inspection(**fields):
    from inspections.models import Inspection

    return Inspection.objects.create(
        framework=framework("ilacs-2018"), title=fields.pop("title", "x"), **fields
    )


def test_inspection_latest_prefers_the_latest_actual_inspection():
    _inspection(title="old", kind="actual", onsite_start_on=dt.date(2014, 1, 6))
    new = _inspection(title="new", kind="actual", onsite_start_on=dt.date(2019, 2, 18))
    _inspection(title="mock", kind="mock", onsite_start_on=dt.date(2026, 12, 7))
    _inspection(title="undated", kind="actual")
    assert selectors.inspection_latest() == new
    assert selectors.inspection_latest(kind=None).title == "mock"
    assert selectors.inspection_get(inspection_id=new.pk) == new
    assert selectors.inspection_get(inspection_id=999999) is None


def test_inspection_latest_is_none_without_inspections():
    assert selectors.inspection_latest() is None
