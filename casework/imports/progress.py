"""How far a background import has got, published where the status page can read it.

An import runs inside one transaction, so nothing it writes to the database is visible until it
ends. Progress therefore goes to Django's cache (Redis in production, local memory in the demo),
keyed by the ImportRun's primary key: the phase, the rows read so far and the bytes read out of the
file's size (a CSV's row count is unknown until the end). The reader publishes every
PROGRESS_ROWS rows, the writer once as it starts saving; a cache that is down never stops an
import, it only leaves the bar where it was. `services.import_run_execute` (web uploads and the
worker) sets the run's progress with `reporting`; a command-line import reports to nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import BinaryIO

from django.core.cache import cache

logger = logging.getLogger(__name__)

PROGRESS_ROWS = 5_000
# Long enough for the biggest file; the finished run's own row is what the page shows afterwards.
CACHE_SECONDS = 6 * 60 * 60

CHECKING = "checking"
SAVING = "saving"
PHASE_WORDS = {CHECKING: "Checking rows", SAVING: "Saving"}


def cache_key(run_id: int) -> str:
    return f"casework:import-progress:{run_id}"


@dataclass
class ImportProgress:
    """Publishes one run's progress; `handle` is the open file, read for how many bytes are done."""

    run_id: int
    size: int
    handle: BinaryIO | None = None
    rows: int = 0

    def checking(self, rows: int) -> None:
        self.rows = rows
        self._publish(CHECKING)

    def saving(self) -> None:
        self._publish(SAVING, done=self.size)

    def _position(self) -> int:
        try:
            return min(self.handle.tell(), self.size) if self.handle is not None else 0
        except (OSError, ValueError, AttributeError):  # a closed or unseekable stream: no byte count
            return 0

    def _publish(self, phase: str, done: int | None = None) -> None:
        state = {
            "phase": phase,
            "rows": self.rows,
            "bytes": self._position() if done is None else done,
            "size": self.size,
        }
        try:
            cache.set(cache_key(self.run_id), state, CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - progress is a courtesy; the import must go on without it
            logger.warning("Could not publish progress of import run %s", self.run_id, exc_info=True)


_current: ContextVar[ImportProgress | None] = ContextVar("casework_import_progress", default=None)


@contextmanager
def reporting(progress: ImportProgress) -> Iterator[ImportProgress]:
    """Make `progress` the one the readers and writers of this import report to, while it runs."""
    token = _current.set(progress)
    try:
        yield progress
    finally:
        _current.reset(token)


def current() -> ImportProgress | None:
    """The progress of the import running here (set by `reporting`), or None: nobody is watching."""
    return _current.get()


def read_progress(run_id: int) -> dict | None:
    """Return the last published progress of a run (phase, rows, bytes, size, percent), or None."""
    try:
        state = cache.get(cache_key(run_id))
    except Exception:  # noqa: BLE001 - the page shows "waiting" rather than an error
        logger.warning("Could not read progress of import run %s", run_id, exc_info=True)
        return None
    if not isinstance(state, dict) or state.get("phase") not in PHASE_WORDS:
        return None
    size = state.get("size") or 0
    percent = int(100 * state.get("bytes", 0) / size) if size else 0
    return {**state, "percent": max(0, min(percent, 100)), "phase_words": PHASE_WORDS[state["phase"]]}


def clear_progress(run_id: int) -> None:
    try:
        cache.delete(cache_key(run_id))
    except Exception:  # noqa: BLE001
        logger.warning("Could not clear progress of import run %s", run_id, exc_info=True)
