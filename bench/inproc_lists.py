"""In-process list-page and history steps (reliability.md P3 and P10), run by bench/run.py.

    python bench/inproc_lists.py child-list|audit-list|tracked-updates --out PATH
        [--samples N] [--warmup N] [--updates N] [--runs N]

Each runs as its own child process against one bench database (settings from db.django_env) and
writes one JSON object to --out; a page or model that does not exist is {"na": "reason"}, never a
number. Pages are requested through Django's test Client (force_login, no network), so the
reference and the large database are measured the same way; samples of pages that share a process
are interleaved, in alternating order, so a busy moment on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inproc import setup_django  # noqa: E402 - also puts the project root on sys.path

CHILD_LIST_URL = "casework:child-list"
AUDIT_LIST_URL = "casework:audit-list"
WARMUP_UPDATES = 100


class Unavailable(LookupError):  # noqa: N818 - reads as the outcome
    """What the step needs (a URL, a demo user, seeded rows) does not exist."""

    error = False


class PageFailed(Unavailable):  # noqa: N818 - reads as the outcome
    """A page exists but did not answer 200: a failure of the app, not a missing feature."""

    error = True


def _path(url_name: str, query: str = "") -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(url_name) + query
    except NoReverseMatch:
        raise Unavailable(f"no URL named {url_name}") from None


def _client_for(username: str):
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.filter(username=username).first()
    if user is None:
        raise Unavailable(f"demo user {username!r} missing (seed_demo creates it)")
    client = Client()
    client.force_login(user)
    return client, user


def interleaved_samples(requests: dict[str, tuple], warmup: int, samples: int) -> dict:
    """Warm up each (client, path), then time `samples` GETs of each, interleaved.

    The order alternates every round (A B, B A, ...) so neither page always goes first. Returns,
    per key, the path, the status counts and every sample in milliseconds (the p95 is taken by the
    metric builder, from the samples).
    """
    for key, (client, path) in requests.items():
        for _ in range(warmup):
            status = client.get(path).status_code
        if status != 200:
            raise PageFailed(f"error: GET {path} ({key}) answered {status}, not 200")
    times: dict[str, list[float]] = {key: [] for key in requests}
    statuses: dict[str, dict[int, int]] = {key: {} for key in requests}
    keys = list(requests)
    for round_ in range(samples):
        for key in keys if round_ % 2 == 0 else reversed(keys):
            client, path = requests[key]
            started = time.perf_counter()
            response = client.get(path)
            times[key].append((time.perf_counter() - started) * 1000.0)
            statuses[key][response.status_code] = statuses[key].get(response.status_code, 0) + 1
    return {
        key: {
            "path": requests[key][1],
            "statuses": statuses[key],
            "samples_ms": [round(t, 4) for t in times[key]],
        }
        for key in requests
    }


def cmd_child_list(args) -> dict:
    """Page 1 and the last page of the child list, as the performance manager."""
    from casework.models import Child
    from casework.views import ChildListView

    client, _ = _client_for("pm")
    children = Child.objects.count()
    per_page = ChildListView.paginate_by
    last = max(1, math.ceil(children / per_page))
    requests = {
        "first": (client, _path(CHILD_LIST_URL)),
        "last": (client, _path(CHILD_LIST_URL, f"?page={last}")),
    }
    out = interleaved_samples(requests, args.warmup, args.samples)
    return {**out, "children": children, "per_page": per_page, "last_page": last, "user": "pm"}


def cmd_audit_list(args) -> dict:
    """The audit list as the auditor (their own audits only) and as the performance manager (all)."""
    from casework.selectors import audit_list_for

    auditor, auditor_user = _client_for("auditor")
    pm, pm_user = _client_for("pm")
    rows = {
        "auditor_rows": audit_list_for(user=auditor_user).count(),
        "pm_rows": audit_list_for(user=pm_user).count(),
        "auditor_scoped": not auditor_user.has_perm("casework.moderate_audits"),
        "pm_scoped": not pm_user.has_perm("casework.moderate_audits"),
    }
    path = _path(AUDIT_LIST_URL)
    out = interleaved_samples({"auditor": (auditor, path), "pm": (pm, path)}, args.warmup, args.samples)
    return {**out, **rows}


def cmd_tracked_updates(args) -> dict:
    """--updates saves of Event.value with history recorded vs skipped, best of --runs each.

    Everything happens in one transaction that is rolled back, so the bench database is unchanged.
    The runs alternate (tracked, untracked, tracked, ...), each on its own slice of events, so no
    row is updated twice (a row updated over and over in one transaction piles up row versions,
    which would slow both sides and flatter the ratio). Each run counts the history rows it wrote.
    """
    from django.db import transaction

    from casework.models import Event

    history = Event.history.model
    needed = 2 * (WARMUP_UPDATES + args.runs * args.updates)
    before = (Event.objects.count(), history.objects.count())
    tracked_s, untracked_s, written = [], [], {"tracked": [], "untracked": []}
    with transaction.atomic():
        events = list(Event.objects.order_by("pk")[:needed])
        if not events:
            raise Unavailable("no Event in the seeded data")
        taken = 0

        def run(*, skip: bool, updates: int = args.updates) -> tuple[float, int]:
            nonlocal taken
            rows = [events[(taken + index) % len(events)] for index in range(updates)]
            taken += updates
            rows_before = history.objects.count()
            started = time.perf_counter()
            for event in rows:
                event.value = f"bench {event.pk}"  # unique, so the (child, kind, date, value) key holds
                if skip:
                    event.save_without_historical_record()  # sets skip_history_when_saving
                else:
                    event.save()
            elapsed = time.perf_counter() - started
            return elapsed, history.objects.count() - rows_before

        run(skip=False, updates=WARMUP_UPDATES)  # warm both paths (and Django's caches) before timing
        run(skip=True, updates=WARMUP_UPDATES)
        for _ in range(args.runs):
            seconds, rows = run(skip=False)
            tracked_s.append(seconds)
            written["tracked"].append(rows)
            seconds, rows = run(skip=True)
            untracked_s.append(seconds)
            written["untracked"].append(rows)
        transaction.set_rollback(True)
    after = (Event.objects.count(), history.objects.count())
    return {
        "model": "casework.Event",
        "field": "value",
        "updates": args.updates,
        "runs": args.runs,
        "each_row_updated_once": len(events) >= needed,
        "tracked_s": tracked_s,
        "untracked_s": untracked_s,
        "history_rows_written": written,
        "untracked_how": "instance.save_without_historical_record() (django-simple-history)",
        "rolled_back": before == after,
        "rows_before_after": [before, after],
    }


COMMANDS = {
    "child-list": cmd_child_list,
    "audit-list": cmd_audit_list,
    "tracked-updates": cmd_tracked_updates,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One in-process list/history step (run by bench/run.py)")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    setup_django()
    try:
        result = COMMANDS[args.command](args)
    except Unavailable as exc:
        result = {"na": str(exc), "error": exc.error}
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
