"""In-process steps for the PDF-job metrics (reliability.md P4, P5, P8, P9), each run by
bench/run.py as its own child process against a bench database.

    python bench/inproc_jobs.py pack [--packs N] [--runs N] --out PATH
    python bench/inproc_jobs.py request --queue NAME [--samples N] [--warmup N] --out PATH
    python bench/inproc_jobs.py e2e --queue NAME [--runs N] [--wait S] --out PATH

Settings come from db.django_env (`request` and `e2e` also need REDIS_URL, which bench/run.py
passes back in for them only). Each writes one JSON object to --out; a missing feature is
{"na": "reason"}, never a number.

- `pack`: the board pack (the board-summary report) against a one-page document made through the
  same path (`pdf/base.html` with no content: same CSS, fonts, fetcher, PDF/UA), in a fresh
  process: RSS after the one-page render, peak RSS while the first pack renders (VmHWM, reset just
  before it through /proc/self/clear_refs), RSS after the first pack and after N consecutive packs,
  then warm timings of both documents, interleaved.
- `request`: the report-request POST (the DCS asking for a board summary; answered with a redirect)
  against a trivial signed-in page, in-process with the test Client, interleaved. Tasks go to
  `--queue`, which no worker listens to here, so every report must still be queued afterwards.
- `e2e`: a report job through Celery (report_request -> a worker on `--queue` renders it -> status
  ready, polled from the database) against the direct in-process render of the same PDF.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TRIVIAL_PATH = "/accessibility/"  # a real template page with the signed-in layout, no queries of its own
POLL_SECONDS = 0.01


def proc_status() -> dict[str, int]:
    """VmRSS and VmHWM of this process in KiB, from /proc/self/status (Linux)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":", 1)[0]
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(line.split()[1])
    return found


def rss_kib() -> int:
    gc.collect()  # cyclic garbage that the next collection frees is not a leak
    return proc_status()["VmRSS"]


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when the kernel refuses."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _renderers():
    from readiness.models import Report
    from readiness.reports.builders import BUILDERS
    from readiness.reports.pdf import render_template_pdf

    def one_page():
        return render_template_pdf(
            template_name="pdf/base.html", context={}, title="One-page baseline", child_level=False
        )

    def pack():
        content = BUILDERS[Report.Kind.BOARD_SUMMARY]({})
        return render_template_pdf(
            template_name=content.template,
            context=content.context,
            title=content.title,
            child_level=content.child_level,
        )

    return one_page, pack


def cmd_pack(args) -> dict:
    from readiness.reports.builders import ReportDataError

    one_page, pack = _renderers()
    after_setup = proc_status()
    one_page_first_s, baseline = _timed(one_page)  # the first render loads WeasyPrint, fonts and CSS
    if baseline.pages != 1:
        return {"na": f"the baseline document came out at {baseline.pages} pages, not 1", "error": True}
    rss_after_one_page = rss_kib()
    peak_reset = reset_peak()
    try:
        first_s, first = _timed(pack)
    except ReportDataError as exc:
        return {"na": f"board summary cannot be built from the seeded data: {exc}"}
    peak_during_pack = proc_status()["VmHWM"]
    rss_after_first = rss_kib()
    consecutive_s = [first_s]
    for _ in range(args.packs - 1):
        seconds, rendered = _timed(pack)
        consecutive_s.append(seconds)
    rss_after_last = rss_kib()

    one_page_s, pack_s = [], []
    for _ in range(args.runs):  # warm and interleaved, so a busy moment on the machine hits both alike
        seconds, _ = _timed(one_page)
        one_page_s.append(seconds)
        seconds, rendered = _timed(pack)
        pack_s.append(seconds)
    return {
        "pages": rendered.pages,
        "pack_bytes": len(rendered.content),
        "pack_best_s": min(pack_s),
        "pack_runs_s": pack_s,
        "one_page_best_s": min(one_page_s),
        "one_page_runs_s": one_page_s,
        "one_page_first_s": one_page_first_s,
        "one_page_bytes": len(baseline.content),
        "packs": args.packs,
        "consecutive_pack_s": consecutive_s,
        "rss_after_setup_kib": after_setup["VmRSS"],
        "rss_after_one_page_kib": rss_after_one_page,
        "peak_rss_during_first_pack_kib": peak_during_pack,
        "peak_reset_before_pack": peak_reset,
        "rss_after_first_pack_kib": rss_after_first,
        "rss_after_last_pack_kib": rss_after_last,
        "baseline": "render_template_pdf('pdf/base.html', no content): 1 page; same CSS, fonts, fetcher",
    }


def _send_to(queue: str) -> None:
    """Send every task of this process to `queue` (only the bench worker listens to it)."""
    from readiness.celery import app

    if app.conf.task_always_eager:
        raise RuntimeError("Celery runs tasks in-process here: REDIS_URL did not reach this process")
    app.conf.task_default_queue = queue


def _queue_length(queue: str) -> int | None:
    import redis

    try:
        return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5).llen(queue)
    except Exception:  # noqa: BLE001 - only for the record
        return None


def cmd_request(args) -> dict:
    from common import percentile
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from readiness.models import Report

    _send_to(args.queue)
    user = User.objects.filter(username="dcs").first()
    if user is None:
        return {"na": "demo user 'dcs' missing", "error": True}
    client = Client()
    client.force_login(user)
    path = reverse("readiness:report-request")
    data = {"kind": Report.Kind.BOARD_SUMMARY}
    last_before = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def post():
        return client.post(path, data)

    def get():
        return client.get(TRIVIAL_PATH)

    statuses: dict[str, set] = {"request": set(), "trivial": set()}
    for _ in range(args.warmup):
        statuses["request"].add(post().status_code)
        statuses["trivial"].add(get().status_code)
    request_ms, trivial_ms = [], []
    for index in range(args.samples):  # interleaved, alternating which goes first
        pair = [("request", post, request_ms), ("trivial", get, trivial_ms)]
        for key, fn, into in pair if index % 2 == 0 else reversed(pair):
            seconds, response = _timed(fn)
            statuses[key].add(response.status_code)
            into.append(seconds * 1000)
    made = Report.objects.filter(pk__gt=last_before)
    by_status = {}
    for status in made.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    return {
        "url": path,
        "post_data": data,
        "trivial_url": TRIVIAL_PATH,
        "user": user.username,
        "samples": args.samples,
        "warmup": args.warmup,
        "statuses": {key: sorted(value) for key, value in statuses.items()},
        "request": {"p50_ms": percentile(request_ms, 50), "p95_ms": percentile(request_ms, 95)},
        "trivial": {"p50_ms": percentile(trivial_ms, 50), "p95_ms": percentile(trivial_ms, 95)},
        "request_ms": request_ms,
        "trivial_ms": trivial_ms,
        "reports_made": made.count(),
        "reports_by_status": by_status,
        "reports_with_a_file": made.exclude(file="").count(),
        "reports_not_sent": made.filter(enqueued_at__isnull=True).count(),
        "queue": args.queue,
        "queue_length_after": _queue_length(args.queue),
        "measured": "in-process, django.test.Client, interleaved; p95 is the goal's statistic",
    }


def cmd_e2e(args) -> dict:
    from django.contrib.auth.models import User

    from readiness.models import Report
    from readiness.reports.services import report_request

    _send_to(args.queue)
    user = User.objects.filter(username="dcs").first()
    if user is None:
        return {"na": "demo user 'dcs' missing", "error": True}
    _, pack = _renderers()

    def send() -> tuple[float, int]:
        started = time.perf_counter()
        return started, report_request(kind=Report.Kind.BOARD_SUMMARY, parameters={}, user=user).pk

    def wait_for(started: float, report_id: int, wait: float) -> dict:
        rows = Report.objects.filter(pk=report_id)
        while (status := rows.values_list("status", flat=True).first()) not in ("ready", "failed"):
            if time.perf_counter() > started + wait:
                raise RuntimeError(
                    f"report {report_id} still {status} after {wait:.0f} s: no worker finished it "
                    f"(queue {args.queue})"
                )
            time.sleep(POLL_SECONDS)
        elapsed = time.perf_counter() - started
        done = rows.get()
        if done.status != "ready":
            raise RuntimeError(f"report {report_id} failed in the worker: {done.error}")
        return {
            "report": done.pk,
            "s": elapsed,
            "pages": done.pages,
            "bytes": done.size_bytes,
            "queue_wait_s": (done.started_at - done.requested_at).total_seconds(),
            "worker_render_s": (done.finished_at - done.started_at).total_seconds(),
            "attempts": done.attempts,
        }

    # Warm both sides at once (two cores): the worker's pool process renders its first report (it
    # loads WeasyPrint, fonts and CSS) while this process renders its own first one. Not timed.
    warm_started, warm_report = send()
    direct_first_s, _ = _timed(pack)
    warmup = wait_for(warm_started, warm_report, args.wait)
    direct_s, jobs = [], []
    for _ in range(args.runs):
        seconds, rendered = _timed(pack)
        direct_s.append(seconds)
        jobs.append(wait_for(*send(), args.wait / 2))
    best = min(jobs, key=lambda run: run["s"])
    return {
        "runs": args.runs,
        "job_best_s": best["s"],
        "job_runs": jobs,
        "job_warmup": warmup,
        "direct_best_s": min(direct_s),
        "direct_runs_s": direct_s,
        "direct_first_s": direct_first_s,
        "direct_pages": rendered.pages,
        "direct_bytes": len(rendered.content),
        "job_pages": best["pages"],
        "queue": args.queue,
        "poll_s": POLL_SECONDS,
        "measured": "report_request -> Celery prefork worker (-c 1) -> status ready polled from the DB, "
        "vs BUILDERS + render_template_pdf in this process; best of each, interleaved",
    }


COMMANDS = {"pack": cmd_pack, "request": cmd_request, "e2e": cmd_e2e}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="One in-process PDF-job benchmark step (run by bench/run.py)"
    )
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--packs", type=int, default=20, help="pack: consecutive packs for the leak check")
    parser.add_argument("--runs", type=int, default=3, help="pack, e2e: timed runs of each side")
    parser.add_argument("--samples", type=int, default=200, help="request: timed requests of each side")
    parser.add_argument("--warmup", type=int, default=20, help="request: untimed requests of each side first")
    parser.add_argument("--queue", help="request, e2e: the Celery queue the render tasks are sent to")
    parser.add_argument("--wait", type=float, default=120, help="e2e: longest wait for the first job")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command in ("request", "e2e") and not args.queue:
        parser.error(f"{args.command} needs --queue")
    import django

    django.setup()
    result = COMMANDS[args.command](args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
