"""In-process steps, each run by bench/run.py as its own child process against a bench database.

    python bench/inproc.py queries|pdf|copy|bulk_create|import|reject [--csv PATH] [--runs N] --out PATH

Settings come from db.django_env. Each writes one JSON object to --out; a missing feature is
{"na": "reason"}, never a number. Peak memory is this process's own VmHWM (Linux).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def peak_rss_kib() -> int:
    """Peak resident set size of this process in KiB (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def setup_django() -> None:
    import django

    django.setup()


def cmd_queries(args) -> dict:
    from django.contrib.auth.models import User
    from pages import PAGES, PageUnavailable, named_urls, resolve

    urls = named_urls()
    out: dict = {}
    for page in PAGES:
        try:
            path = resolve(page, urls)
        except PageUnavailable as exc:
            out[page.key] = {"na": str(exc)}
            continue
        user = User.objects.filter(username=page.username).first()
        if user is None:
            out[page.key] = {"na": f"demo user {page.username!r} missing", "url": path}
            continue
        try:
            entry = _count_queries(page, path, user)
        except Exception as exc:  # noqa: BLE001 - one broken page must not hide the others
            entry = {
                "url": path,
                "na": f"error: GET {path} raised {type(exc).__name__}: {exc}",
                "error": True,
            }
        out[page.key] = entry
    trivial = User.objects.filter(username="dcs").first()
    if trivial is not None:  # for reference: what every signed-in page costs (session, user, nav)
        out["trivial_page"] = _count_queries(PAGES[0], "/accessibility/", trivial)
    return out


def _count_queries(page, path: str, user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts, statuses, sql = [], [], []
    for _ in range(3):  # cold, then two warm requests
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts.append(len(captured.captured_queries))
        statuses.append(response.status_code)
        sql = [q["sql"][:300] for q in captured.captured_queries]
    control = sum(1 for q in sql if q.split(" ", 1)[0] in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    entry = {"url": path, "user": page.username, "statuses": statuses, "cold": counts[0]}
    entry["warm_without_transaction_control"] = counts[-1] - control
    entry.update(warm=counts[-1], counts=counts, warm_sql=sql[:60])
    if statuses[-1] != 200:
        entry["na"] = f"{path} answered {statuses[-1]} to {page.username}"
    return entry


def _best(fn, runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), times, result


def cmd_pdf(args) -> dict:
    from unittest import mock

    from django.contrib.staticfiles import finders

    from readiness.models import Report
    from readiness.reports import pdf
    from readiness.reports.builders import BUILDERS, ReportDataError

    out: dict = {}

    def app_path(kind: str):
        content = BUILDERS[kind]({})
        return pdf.render_template_pdf(
            template_name=content.template,
            context=content.context,
            title=content.title,
            child_level=content.child_level,
        )

    # Board summary: the app's path vs bare WeasyPrint of exactly the HTML the app produced.
    try:
        captured = {}
        real = pdf.render_pdf
        with mock.patch.object(pdf, "render_pdf", side_effect=lambda **kw: captured.update(kw) or real(**kw)):
            app_path(Report.Kind.BOARD_SUMMARY)  # warm-up render, and the HTML for the baseline
        html = captured["html"]
        css = finders.find("css/print.css")
        base_url = Path(css).resolve().parent.parent.as_uri() + "/" if css else None

        def bare():
            from weasyprint import HTML

            return HTML(string=html, base_url=base_url).write_pdf()

        bare()  # warm
        app_times, bare_times = [], []
        for _ in range(args.runs):  # interleaved, so a busy moment on the machine hits both alike
            app_best, times, rendered = _best(lambda: app_path(Report.Kind.BOARD_SUMMARY), 1)
            app_times += times
            bare_best, times, bare_bytes = _best(bare, 1)
            bare_times += times
        app_best, bare_best = min(app_times), min(bare_times)
        out["board_summary"] = {
            "app_s": app_best,
            "app_runs_s": app_times,
            "bare_s": bare_best,
            "bare_runs_s": bare_times,
            "pages": rendered.pages,
            "app_bytes": len(rendered.content),
            "bare_bytes": len(bare_bytes),
            "html_chars": len(html),
            "bare_base_url": base_url,
            "bare_call": "weasyprint.HTML(string=html, base_url=<static dir>).write_pdf()",
        }
    except ReportDataError as exc:
        out["board_summary"] = {"na": f"board summary cannot be built from the seeded data: {exc}"}

    try:
        app_path(Report.Kind.IMPROVEMENT_PLAN)  # warm
        best, times, rendered = _best(lambda: app_path(Report.Kind.IMPROVEMENT_PLAN), args.runs)
        out["improvement_plan"] = {
            "s": best,
            "runs_s": times,
            "pages": rendered.pages,
            "s_per_page": best / max(rendered.pages, 1),
        }
    except ReportDataError as exc:
        out["improvement_plan"] = {"na": f"improvement-plan report: {exc}"}
    return out


def cmd_copy(args) -> dict:
    """COPY the CSV into a scratch table of text columns, best of --runs (truncated between)."""
    import psycopg2
    from casegen import HEADER

    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    columns = ", ".join(f"{name} text" for name in HEADER)
    times = []
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                f"DROP TABLE IF EXISTS bench_copy_scratch; CREATE TABLE bench_copy_scratch ({columns})"
            )
        conn.commit()
        for _ in range(args.runs):
            with conn.cursor() as cursor:
                cursor.execute("TRUNCATE bench_copy_scratch")
            conn.commit()
            started = time.perf_counter()
            with conn.cursor() as cursor, open(args.csv, encoding="utf-8") as handle:
                cursor.copy_expert(
                    "COPY bench_copy_scratch FROM STDIN WITH (FORMAT csv, HEADER true)", handle
                )
            conn.commit()
            times.append(time.perf_counter() - started)
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_copy_scratch")
            rows = cursor.fetchone()[0]
            cursor.execute("DROP TABLE bench_copy_scratch")
        conn.commit()
    finally:
        conn.close()
    return {"rows": rows, "best_s": min(times), "runs_s": times}


def cmd_bulk_create(args) -> dict:
    """Plain `bulk_create` of the same file's records: the issue's own calibration point.

    Issue 4 says plain `bulk_create` manages "about 1/12 of COPY". This measures it against the
    same COPY baseline: the file read with `csv`, dates with `strptime`, no checks, no history;
    one Child per child ID, one Episode, Placement and Event per distinct key (the records the
    import makes). The deferred foreign-key checks are forced inside the timing (SET CONSTRAINTS ALL
    IMMEDIATE), then everything is rolled back, so the bench database is unchanged.
    """
    from datetime import datetime

    from django.db import connection, transaction

    from casework.models import Child, Episode, Event, Placement

    def day(text: str):
        return datetime.strptime(text, "%d/%m/%Y").date() if text else None

    class Rollback(Exception):
        pass

    def run() -> tuple[float, dict]:
        counts: dict = {}
        try:
            with transaction.atomic():
                started = time.perf_counter()
                children, episodes, placements, events = {}, {}, {}, {}
                with open(args.csv, encoding="utf-8", newline="") as handle:
                    for row in csv.DictReader(handle):
                        child_id = row["child_id"]
                        if child_id not in children:
                            month, _, year = row["date_of_birth"].partition("/")
                            children[child_id] = Child(
                                child_id=child_id,
                                birth_year=int(year) if year else None,
                                birth_month=int(month) if year else None,
                                gender=row["gender"][:10],
                                ethnicity=row["ethnicity"],
                                disability=row["disability"] == "yes",
                                uasc=row["uasc"] == "yes",
                            )
                        if row["cohort"]:
                            key = (child_id, row["cohort"], row["episode_start"])
                            episodes.setdefault(key, row)
                        if row["placement_type"]:
                            placements.setdefault((child_id, row["placement_start"]), row)
                        if row["event_type"]:
                            key = (child_id, row["event_type"], row["event_date"], row["event_value"])
                            events.setdefault(key, row)
                made = {c.child_id: c for c in Child.objects.bulk_create(children.values())}
                Episode.objects.bulk_create(
                    Episode(
                        child=made[r["child_id"]],
                        cohort=r["cohort"],
                        start_on=day(r["episode_start"]),
                        end_on=day(r["episode_end"]),
                        legal_status=r["legal_status"],
                    )
                    for r in episodes.values()
                )
                Placement.objects.bulk_create(
                    Placement(
                        child=made[r["child_id"]],
                        placement_type=r["placement_type"],
                        in_area=r["placement_in_area"] == "yes",
                        start_on=day(r["placement_start"]),
                        end_on=day(r["placement_end"]),
                    )
                    for r in placements.values()
                )
                Event.objects.bulk_create(
                    Event(
                        child=made[r["child_id"]],
                        kind=r["event_type"],
                        occurred_on=day(r["event_date"]),
                        value=r["event_value"],
                    )
                    for r in events.values()
                )
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed = time.perf_counter() - started
                counts = {
                    "children": len(children),
                    "episodes": len(episodes),
                    "placements": len(placements),
                    "events": len(events),
                }
                raise Rollback
        except Rollback:
            pass
        return elapsed, counts

    times, counts = [], {}
    for _ in range(args.runs):
        elapsed, counts = run()
        times.append(elapsed)
    return {"best_s": min(times), "runs_s": times, "records": counts, "history": False, "validation": False}


class SqlClock:
    """Time every SQL statement the import sends, by kind (a `connection.execute_wrapper`).

    What is left of the import's wall time is Python (reading and checking rows) and the commit,
    where PostgreSQL runs the deferred foreign-key checks.
    """

    KINDS = (("INSERT INTO casework_", "writes"), ("UPDATE casework_", "writes"))

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            text = sql.lstrip()
            kind = next((name for prefix, name in self.KINDS if text.startswith(prefix)), None)
            if kind is None:
                kind = "writes" if text.startswith("WITH") and "casework_" in text else "checks_and_other_sql"
            self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - started


def cmd_import(args) -> dict:
    from django.db import connection

    from casework.imports import staging
    from casework.services import cases_import

    rss_before = peak_rss_kib()
    clock = SqlClock()
    # The staging COPY goes through psycopg2's copy_expert, which execute_wrapper does not see.
    send_batch = staging._Loader.flush

    def timed_flush(loader) -> None:
        began = time.perf_counter()
        try:
            send_batch(loader)
        finally:
            clock.seconds["copy_to_staging"] = clock.seconds.get("copy_to_staging", 0.0) + (
                time.perf_counter() - began
            )

    staging._Loader.flush = timed_flush
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(clock):
            result = cases_import(path=args.csv)
    finally:
        staging._Loader.flush = send_batch
    elapsed = time.perf_counter() - started
    split = {kind: round(seconds, 3) for kind, seconds in sorted(clock.seconds.items())}
    split["python_and_commit"] = round(elapsed - sum(clock.seconds.values()), 3)
    out = {
        "time_split_s": split,
        "rows": result.rows,
        "ok": result.ok,
        "seconds": elapsed,
        "created": result.created,
        "counts": result.counts,
        "problem_count": result.problem_count,
        "problems": [str(p) for p in result.problems[:5]],
        "peak_rss_kib": peak_rss_kib(),
        "peak_rss_before_import_kib": rss_before,
    }
    return out


def cmd_reject(args) -> dict:
    """Reject a file whose only bad row is the last, vs a parse-only pass over the same file."""
    from casework.imports.case_list import read_case_list
    from casework.imports.reader import check_file, iter_rows
    from casework.models import Child, Event, ImportRun
    from casework.services import cases_import

    def parse_only():
        with open(args.csv, "rb") as handle:
            kind = check_file(handle, Path(args.csv).name)
            return sum(1 for _ in iter_rows(handle, kind))

    def stdlib_csv():
        with open(args.csv, encoding="utf-8-sig", newline="") as handle:
            return sum(1 for _ in csv.reader(handle))

    def validate_only():
        with open(args.csv, "rb") as handle:
            kind = check_file(handle, Path(args.csv).name)
            plan, problems = read_case_list(iter_rows(handle, kind))
            return problems.total

    before = (Child.objects.count(), Event.objects.count())
    parse_only()  # warm both paths
    cases_import(path=args.csv)
    parse_best, parse_times, parsed_rows = _best(parse_only, args.runs)
    reject_best, reject_times, result = _best(lambda: cases_import(path=args.csv), args.runs)
    csv_best, _, _ = _best(stdlib_csv, args.runs)
    validate_best, _, _ = _best(validate_only, args.runs)
    after = (Child.objects.count(), Event.objects.count())
    last_run = ImportRun.objects.order_by("-pk").first()
    return {
        "rows": parsed_rows - 1,
        "parse_only_s": parse_best,
        "parse_only_runs_s": parse_times,
        "reject_s": reject_best,
        "reject_runs_s": reject_times,
        "stdlib_csv_s": csv_best,
        "validate_only_s": validate_best,
        "rejected": not result.ok,
        "problem_count": result.problem_count,
        "problems": [str(p) for p in result.problems[:3]],
        "rows_written": (after[0] - before[0]) + (after[1] - before[1]),
        "run_status": getattr(last_run, "status", None),
    }


COMMANDS = {
    "queries": cmd_queries,
    "pdf": cmd_pdf,
    "copy": cmd_copy,
    "bulk_create": cmd_bulk_create,
    "import": cmd_import,
    "reject": cmd_reject,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One in-process benchmark step (run by bench/run.py)")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--csv")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command != "copy":
        setup_django()
    result = COMMANDS[args.command](args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
