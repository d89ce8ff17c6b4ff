"""An import's success is saved in the transaction that saves its records.

A process killed between the two commits would otherwise leave the records saved and the run
"running", which the sweeper then fails with "nothing was saved": false, on the audit trail.
"""

import pytest
from django.db import connection

from casework import services
from casework.models import Child, ImportRun
from tests.casework.conftest import FILES

pytestmark = pytest.mark.django_db(transaction=True)  # no test-wide transaction: see what ours does


@pytest.fixture
def recorded(monkeypatch):
    calls = []
    real = services._record

    def spy(run, result):
        calls.append((result.ok, connection.in_atomic_block, Child.objects.count()))
        return real(run, result)

    monkeypatch.setattr(services, "_record", spy)
    return calls


def test_a_good_import_records_its_success_inside_the_transaction_that_saves_the_records(recorded):
    result = services.cases_import(path=FILES / "good.csv")
    assert result.ok and Child.objects.count() == 4
    # Once, inside the transaction, with the children already written in it.
    assert recorded == [(True, True, 4)]
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED and run.created == result.created


def test_a_rejected_file_or_a_dry_run_records_its_outcome_after_nothing_was_saved(recorded):
    services.cases_import(path=FILES / "impossible_date.csv")
    services.cases_import(path=FILES / "good.csv", dry_run=True)
    assert recorded == [(False, False, 0), (True, False, 0)]
    assert Child.objects.count() == 0
