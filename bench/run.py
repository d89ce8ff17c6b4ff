"""The benchmark harness: `make bench` (county scale) and `make bench-smoke` (small, < 3 minutes).

    python bench/run.py [--scale 10] [--smoke] [--json bench-results/bench.json]

Builds its own PostgreSQL databases (readiness_bench_template, _scale1 and readiness_bench, on the
server DATABASE_URL names; never that database itself), seeds them with `seed_demo`, measures each
metric against a baseline in the same run and prints one line per metric as `name: value (goal)`.
A missed goal is marked MISSED but the exit code stays 0 (figures are for people; the machine is
noisy). A metric whose feature does not exist yet prints `name: n/a (reason)`. Exit 2 means a step
of the harness itself failed (shown as n/a with the error). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import casegen  # noqa: E402
import db  # noqa: E402
import jobs_worker  # noqa: E402
import metrics  # noqa: E402
import metrics_jobs  # noqa: E402
import metrics_lists  # noqa: E402
from common import Metric, not_available, one_line, summary_line, write_results  # noqa: E402
from pages import PAGES  # noqa: E402

STARTED = time.monotonic()


@dataclass
class Config:
    scale: int
    small_scale: int = 1
    samples: int = 200
    warmup: int = 20
    wrk_seconds: int = 10
    sustained_seconds: int = 60  # issue 7 §6: a bounded 60-second run, 20 clients, DCS page
    import_sizes: tuple[int, ...] = (10_000, 100_000)
    reject_rows: int = 10_000
    pdf_runs: int = 5
    packs: int = 20  # reliability P5: RSS after this many consecutive board packs vs after the first
    pack_runs: int = 5
    job_runs: int = 3  # reliability P9: best of this many Celery jobs and direct renders
    working_days_n: int = 100_000
    seed_timeout: float = 3600
    smoke: bool = False


def config_for(args) -> Config:
    if args.smoke:
        return Config(
            scale=2, samples=50, wrk_seconds=2, sustained_seconds=5, import_sizes=(2_000, 10_000),
            reject_rows=2_000, working_days_n=10_000, seed_timeout=600, smoke=True,
            packs=5, pack_runs=3, pdf_runs=3,
        )  # fmt: skip
    return Config(scale=args.scale)


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def step(names: list[str], fn, *args) -> list[Metric]:
    """Run one step; if it raises, every metric it would have produced is n/a with the error."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - the harness reports every failure and carries on
        log(f"FAILED {', '.join(names)}: {exc}")
        traceback.print_exc(file=sys.stderr)
        reason = f"error: {one_line(str(exc) or type(exc).__name__, 300)}"
        return [not_available(name, reason, error=True) for name in names]


def inproc(
    command: str, env: dict, work: Path, timeout: float, *extra: str, script: str = "inproc.py"
) -> dict:
    out = work / f"{command}-{time.monotonic_ns()}.json"
    cmd = [sys.executable, f"bench/{script}", command, "--out", str(out), *extra]
    db.run(cmd, env=env, timeout=timeout, what=f"bench/{script} {command}")
    return json.loads(out.read_text())


# --- steps -------------------------------------------------------------------------------------


def measure_working_days(cfg: Config) -> list[Metric]:
    import numpy as np
    import working_days as wd

    starts, ns = wd.make_inputs(cfg.working_days_n, 20190327)
    cal = wd.default_calendar()
    wd.add_working_days_many(starts[:10], ns[:10], cal)
    bdc = wd.numpy_calendar()
    starts_np, ns_np = np.array(starts, dtype="datetime64[D]"), np.array(ns, dtype=np.int64)
    ours_ms, ours = wd.best_ms(lambda: wd.add_working_days_many(starts, ns, cal), 7)
    numpy_ms, theirs = wd.best_ms(
        lambda: np.busday_offset(starts_np, ns_np, roll="backward", busdaycal=bdc), 7
    )
    if ours != theirs.tolist():
        raise db.BenchError("add_working_days_many and numpy.busday_offset disagree on the same inputs")
    return metrics.working_days({"ours_ms": ours_ms, "numpy_ms": numpy_ms, "n": cfg.working_days_n})


def build_databases(cfg: Config, server: db.Server, meta: dict) -> dict[int, str]:
    """Migrate a template once, clone it per scale, seed each. Returns {scale: database URL}."""
    template = f"{db.PREFIX}_template"
    db.recreate(server, template)
    started = time.monotonic()
    db.manage(
        ["migrate", "--no-input"], env=db.django_env(server.db_url(template)), timeout=900, what="migrate"
    )
    meta["migrate_s"] = round(time.monotonic() - started, 1)
    log(f"migrated the template in {meta['migrate_s']} s")
    targets = {cfg.small_scale: f"{db.PREFIX}_scale{cfg.small_scale}", cfg.scale: db.PREFIX}
    for name in targets.values():
        db.recreate(server, name, template=template)

    def seed(scale: int) -> float:
        started = time.monotonic()
        env = db.django_env(server.db_url(targets[scale]))
        what = f"seed_demo --scale {scale}"
        db.manage(["seed_demo", "--scale", str(scale)], env=env, timeout=cfg.seed_timeout, what=what)
        return round(time.monotonic() - started, 1)

    # Both scales seed at once (two processes, two cores): the smoke run must stay under 3 minutes.
    with ThreadPoolExecutor(max_workers=2) as pool:
        seconds = dict(zip(targets, pool.map(seed, targets), strict=True))
    urls = {}
    for scale, name in targets.items():
        meta[f"seed_scale_{scale}_s"], meta[f"scale_{scale}_rows"] = (
            seconds[scale],
            table_counts(server, name),
        )
        log(f"seeded {name} at scale {scale} in {seconds[scale]} s (parallel): {meta[f'scale_{scale}_rows']}")
        urls[scale] = server.db_url(name)
    db.drop(server, template)
    return urls


def table_counts(server: db.Server, name: str) -> dict:
    conn = server.connect(name)
    counts = {}
    try:
        with conn.cursor() as cursor:
            for table in ("auth_user", "casework_child", "casework_event", "readiness_improvementplan"):
                cursor.execute("SELECT to_regclass(%s)", [table])
                if cursor.fetchone()[0]:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed names
                    counts[table] = cursor.fetchone()[0]
    finally:
        conn.close()
    return counts


def measure_queries(cfg: Config, urls: dict[int, str], work: Path) -> list[Metric]:
    found = {}
    for scale in (cfg.small_scale, cfg.scale):
        found[scale] = inproc("queries", db.django_env(urls[scale]), work, 600)
    return metrics.query_metrics(PAGES, cfg.small_scale, cfg.scale, found[cfg.small_scale], found[cfg.scale])


def list_sampling(cfg: Config) -> list[str]:
    return ["--samples", str(20 if cfg.smoke else cfg.samples), "--warmup", str(cfg.warmup)]


def measure_child_list(cfg: Config, urls: dict[int, str], work: Path) -> list[Metric]:
    """reliability P3: the child list at both scales, each in its own process, measured alike."""
    found = {}
    for scale in (cfg.small_scale, cfg.scale):
        env = db.django_env(urls[scale])
        found[scale] = inproc("child-list", env, work, 600, *list_sampling(cfg), script="inproc_lists.py")
    reference, large = found[cfg.small_scale], found[cfg.scale]
    log(f"child list at scale {cfg.scale}: {large.get('children')} children, {large.get('last_page')} pages")
    return metrics_lists.child_list_metrics(cfg.small_scale, cfg.scale, reference, large)


def measure_history_and_scoping(cfg: Config, url: str, work: Path) -> list[Metric]:
    """reliability P10: saves with history vs without (rolled back); the audit list scoped vs not."""
    env = db.django_env(url)
    saves = ["--updates", "300" if cfg.smoke else "1000", "--runs", "3"]
    updates = inproc("tracked-updates", env, work, 600, *saves, script="inproc_lists.py")
    audits = inproc("audit-list", env, work, 600, *list_sampling(cfg), script="inproc_lists.py")
    return [metrics_lists.tracked_updates_metric(updates), metrics_lists.auditor_list_metric(audits)]


def measure_http(cfg: Config, url: str) -> list[Metric]:
    import web

    paths = {"dcs": "/dashboard/", "trivial": "/accessibility/"}
    with web.Gunicorn(db.django_env(url)) as server:
        log(f"gunicorn on port {server.port}")
        cookie = web.sign_in(server.port, "dcs", demo_password())
        latency = web.latency_samples(server.port, paths, cookie, cfg.warmup, cfg.samples)
        p95 = {key: round(value["p95_ms"], 1) for key, value in latency.items()}
        log(f"latency p95 (ms): {p95}")
        load = web.load_pair(server.port, paths, cookie, cfg.wrk_seconds)
        log(f"wrk requests/s: dcs {load['dcs']['rps']:.1f}, trivial {load['trivial']['rps']:.1f}")
        sustained = web.run_wrk(server.port, paths["dcs"], cookie, cfg.sustained_seconds)
        log(f"sustained {cfg.sustained_seconds} s on the DCS page: {sustained.get('requests')} requests")
    latency["trivial"]["why"] = "/accessibility/: a real template page, signed in, no queries of its own"
    return [*metrics.http_metrics(latency, load), metrics.sustained_load_metric(sustained)]


def demo_password() -> str:
    """seed_demo's DEMO_PASSWORD, read from its source (importing it needs a configured Django)."""
    source = (db.ROOT / "readiness/management/commands/seed_demo.py").read_text()
    match = re.search(r'^DEMO_PASSWORD = "([^"]+)"', source, re.M)
    if not match:
        raise db.BenchError("DEMO_PASSWORD not found in seed_demo.py")
    return match.group(1)


def measure_pdf(cfg: Config, url: str, work: Path) -> list[Metric]:
    return metrics.pdf_metrics(inproc("pdf", db.django_env(url), work, 900, "--runs", str(cfg.pdf_runs)))


def measure_imports(cfg: Config, url: str, work: Path) -> list[Metric]:
    env = db.django_env(url)
    copies, imports, bulk = {}, {}, None
    for index, rows in enumerate(cfg.import_sizes):
        path = casegen.write_csv(work / f"cases-{rows}.csv", rows, prefix=f"BN{index}X", seed=rows)
        copies[rows] = inproc("copy", env, work, 600, "--csv", str(path), "--runs", "3")
        if rows == max(cfg.import_sizes):  # before the import: it would find the children made
            runs = "1" if cfg.smoke else "3"  # smoke: the line must exist; the figures are the full run's
            bulk = inproc("bulk_create", env, work, 1800, "--csv", str(path), "--runs", runs)
            log(f"{rows} rows: plain bulk_create {bulk['best_s']:.2f} s (rolled back)")
        imports[rows] = inproc("import", env, work, 3600, "--csv", str(path))
        log(
            f"{rows} rows: COPY {copies[rows]['best_s']:.2f} s, import {imports[rows]['seconds']:.2f} s, "
            f"peak {imports[rows]['peak_rss_kib'] / 1024:.0f} MiB"
        )
    return metrics.import_metrics(list(cfg.import_sizes), copies, imports, bulk)


def measure_reject(cfg: Config, url: str, work: Path) -> list[Metric]:
    path = casegen.write_csv(work / "reject.csv", cfg.reject_rows, prefix="BNREJ", seed=7, bad_last=True)
    return metrics.reject_metric(inproc("reject", db.django_env(url), work, 1800, "--csv", str(path)))


def inproc_jobs(command: str, env: dict, work: Path, timeout: float, *extra: str) -> dict:
    return inproc(command, env, work, timeout, *extra, script="inproc_jobs.py")


def measure_pack(cfg: Config, url: str, work: Path) -> list[Metric]:
    args = ("--packs", str(cfg.packs), "--runs", str(cfg.pack_runs))
    raw = inproc_jobs("pack", jobs_worker.jobs_env(url, work), work, 900, *args)
    log(
        f"board pack: {raw.get('pages', 'n/a')} pages; {cfg.packs} packs in a row, then {cfg.pack_runs} timed"
    )
    return metrics_jobs.pack_metrics(raw, cfg.packs)


def measure_report_jobs(cfg: Config, url: str, work: Path) -> list[Metric]:
    """P8 and P9 need Redis (REDIS_URL): the tasks go to a queue of their own, purged after."""
    redis = jobs_worker.redis_url()
    if not redis:
        return metrics_jobs.needs_redis("needs Redis: REDIS_URL is not set")
    jobs_worker.check_redis(redis)
    env = jobs_worker.jobs_env(url, work, redis)
    try:
        jobs_worker.purge_queue(redis)
        results = step([metrics_jobs.REQUEST], measure_report_request, cfg, env, work)
        log(f"purged {jobs_worker.purge_queue(redis)} queued render tasks (no worker may render them)")
        results += step([metrics_jobs.END_TO_END], measure_report_end_to_end, cfg, env, work)
    finally:
        jobs_worker.purge_queue(redis, forget=True)
    return results


def measure_report_request(cfg: Config, env: dict, work: Path) -> list[Metric]:
    args = ("--queue", jobs_worker.QUEUE, "--samples", str(cfg.samples), "--warmup", str(cfg.warmup))
    return [metrics_jobs.request_metric(inproc_jobs("request", env, work, 600, *args))]


def measure_report_end_to_end(cfg: Config, env: dict, work: Path) -> list[Metric]:
    with jobs_worker.CeleryWorker(env, work) as worker:
        log(f"Celery worker (prefork, 1 process) on queue {worker.queue}")
        try:
            raw = inproc_jobs("e2e", env, work, 600, "--queue", worker.queue, "--runs", str(cfg.job_runs))
        except db.BenchError as exc:
            raise db.BenchError(f"{exc} Worker log: {worker.log_tail(600)}") from None
    log(f"{cfg.job_runs} report jobs through the worker, best {raw.get('job_best_s', 0):.2f} s")
    return [metrics_jobs.end_to_end_metric(raw)]


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="seed_demo scale of the large database")
    parser.add_argument("--smoke", action="store_true", help="same metrics at small scale (CI)")
    parser.add_argument("--json", default="bench-results/bench.json", help="where to write all results")
    args = parser.parse_args(argv)
    # A SIGTERM (a CI timeout) unwinds like Ctrl+C, so gunicorn is still stopped in its `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cfg = config_for(args)
    meta = {"config": vars(cfg), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count()}
    results: list[Metric] = []
    http_names = [
        "dcs_page_p95_vs_trivial",
        "dcs_page_p95_ms",
        "dcs_page_rps_vs_trivial",
        "load_non_2xx_responses",
        "dcs_page_sustained_load",
    ]
    query_names = [f"{page.key}_queries" for page in PAGES]
    pdf_names = ["board_summary_render_vs_bare_weasyprint", "plan_render_seconds_per_page"]
    small, large = (metrics.size_label(n) for n in (min(cfg.import_sizes), max(cfg.import_sizes)))
    import_names = [f"import_vs_copy_{metrics.size_label(n)}" for n in cfg.import_sizes]
    import_names.append(f"import_time_split_{large}")
    import_names += [f"plain_bulk_create_vs_copy_{large}", f"import_vs_plain_bulk_create_{large}"]
    import_names.append(f"import_peak_memory_{large}_vs_{small}")
    job_names = metrics_jobs.pack_names(cfg.packs) + metrics_jobs.job_names()

    log(f"{'smoke' if cfg.smoke else 'full'} run: scales {cfg.small_scale} and {cfg.scale}")
    results += step(["working_days_vs_numpy"], measure_working_days, cfg)
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as tmp:
        work = Path(tmp)
        try:
            server = db.Server.from_env(os.environ.get("DATABASE_URL"))
            urls = build_databases(cfg, server, meta)
        except Exception as exc:  # noqa: BLE001 - every later metric needs the databases
            log(f"FAILED to build the databases: {exc}")
            reason = f"error: no bench database: {one_line(str(exc), 300)}"
            names = query_names + http_names + pdf_names + import_names + ["reject_last_row_vs_parse_only"]
            names += job_names
            names += metrics_lists.CHILD_LIST_NAMES + metrics_lists.HISTORY_NAMES
            results += [not_available(name, reason, error=True) for name in names]
        else:
            results += step(query_names, measure_queries, cfg, urls, work)
            results += step(metrics_lists.CHILD_LIST_NAMES, measure_child_list, cfg, urls, work)
            results += step(
                metrics_lists.HISTORY_NAMES, measure_history_and_scoping, cfg, urls[cfg.scale], work
            )
            results += step(http_names, measure_http, cfg, urls[cfg.scale])
            results += step(pdf_names, measure_pdf, cfg, urls[cfg.scale], work)
            results += step(import_names, measure_imports, cfg, urls[cfg.scale], work)
            results += step(["reject_last_row_vs_parse_only"], measure_reject, cfg, urls[cfg.scale], work)
            results += step(metrics_jobs.pack_names(cfg.packs), measure_pack, cfg, urls[cfg.scale], work)
            results += step(metrics_jobs.job_names(), measure_report_jobs, cfg, urls[cfg.scale], work)

    meta["wall_s"] = round(time.monotonic() - STARTED, 1)
    write_results(Path(args.json), results, meta)
    print()
    for metric in results:
        print(metric.line())
    print(summary_line(results) + f"; {meta['wall_s']} s; details in {args.json}")
    return 2 if any(m.error for m in results) else 0


if __name__ == "__main__":
    sys.exit(main())
