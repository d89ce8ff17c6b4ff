"""Shared helpers for casework tests: example files and a snapshot of every casework table."""

from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"


def casework_table_counts() -> dict[str, int]:
    """Count rows in every casework data table, history included (ImportRun excluded: it logs attempts)."""
    from casework.models import AdopterHousehold, Child, Episode, Event, Placement

    counts = {}
    for model in (Child, Episode, Placement, Event, AdopterHousehold):
        counts[model.__name__] = model.objects.count()
        counts[f"Historical{model.__name__}"] = model.history.model.objects.count()
    return counts


@pytest.fixture
def files() -> Path:
    return FILES
