"""Report lines for the PDF-job metrics (reliability.md P4, P5, P8, P9). Pure: no Django, no I/O.

Each builder takes the JSON object one `bench/inproc_jobs.py` command wrote.
"""

from __future__ import annotations

from common import Metric, fmt_number, fmt_ratio, meets, not_available

PER_PAGE_GOAL, PER_PAGE_TARGET = 8.0, 6.0  # P4: per page vs a 1-page document, must / target
PACK_ABSOLUTE_S = 10.0  # P4, informational absolute
PEAK_RSS_GOAL = 3.0  # P5: peak RSS rendering the pack vs RSS after the 1-page render
LEAK_GOAL = 1.2  # P5: RSS after N consecutive packs vs after the first
REQUEST_GOAL = 5.0  # P8: the request that starts a PDF job vs a trivial view (p95)
END_TO_END_GOAL = 1.3  # P9: enqueue -> file ready vs direct render

PER_PAGE = "board_pack_seconds_per_page_vs_one_page"
PEAK_RSS = "board_pack_peak_rss_vs_one_page"
REQUEST = "report_request_vs_trivial"
END_TO_END = "report_job_end_to_end_vs_direct"


def leak_name(packs: int) -> str:
    """20 -> 'board_pack_rss_after_20_vs_after_1' (the smoke run renders fewer packs)."""
    return f"board_pack_rss_after_{packs}_vs_after_1"


def pack_names(packs: int) -> list[str]:
    return [PER_PAGE, PEAK_RSS, leak_name(packs)]


def job_names() -> list[str]:
    return [REQUEST, END_TO_END]


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def at_most(name: str, value: float, limit: float, goal: str, raw: dict, *, also: bool = True) -> Metric:
    """A ratio metric met when `value <= limit` (and `also`); `goal` is the text in brackets."""
    met = meets(value, "<=", limit) and also
    return Metric(name, fmt_ratio(value), goal, met, round(value, 6), raw={**raw, "ratio": value})


def pack_metrics(raw: dict, packs: int) -> list[Metric]:
    """P4 (seconds per page vs the 1-page document) and P5 (peak RSS; RSS after N packs vs 1)."""
    if "na" in raw:
        return [
            not_available(name, raw["na"], raw, error=bool(raw.get("error"))) for name in pack_names(packs)
        ]
    pages = raw["pages"]
    per_page = raw["pack_best_s"] / pages / raw["one_page_best_s"]
    within = "within" if per_page <= PER_PAGE_TARGET else "over"
    slow = "" if raw["pack_best_s"] <= PACK_ABSOLUTE_S else " OVER"
    goal = (
        f"goal <= {fmt_number(PER_PAGE_GOAL)}x, {within} target <= {fmt_number(PER_PAGE_TARGET)}x; "
        f"{pages} pages in {raw['pack_best_s']:.2f} s "
        f"(informational <= {fmt_number(PACK_ABSOLUTE_S)} s{slow}), "
        f"1-page document {raw['one_page_best_s']:.3f} s; best of {len(raw['pack_runs_s'])}, warm"
    )
    out = [at_most(PER_PAGE, per_page, PER_PAGE_GOAL, goal, raw)]
    baseline, peak = raw["rss_after_one_page_kib"], raw["peak_rss_during_first_pack_kib"]
    peak_how = (
        "" if raw.get("peak_reset_before_pack") else "; VmHWM could not be reset, so it spans the process"
    )
    goal = (
        f"goal <= {fmt_number(PEAK_RSS_GOAL)}x; peak {mib(peak)} vs {mib(baseline)} after the 1-page render"
    )
    out.append(at_most(PEAK_RSS, peak / baseline, PEAK_RSS_GOAL, goal + peak_how, raw))
    first, last = raw["rss_after_first_pack_kib"], raw["rss_after_last_pack_kib"]
    goal = f"goal <= {fmt_number(LEAK_GOAL)}x, no leak; {mib(last)} after {raw['packs']} packs"
    goal += f", {mib(first)} after 1"
    out.append(at_most(leak_name(raw["packs"]), last / first, LEAK_GOAL, goal, raw))
    return out


def request_metric(raw: dict) -> Metric:
    """P8: p95 of the report-request POST vs p95 of a trivial page; every report must stay queued."""
    if "na" in raw:
        return not_available(REQUEST, raw["na"], raw, error=bool(raw.get("error")))
    statuses = raw["statuses"]
    if not set(statuses["request"]) <= {302, 303, 202} or statuses["trivial"] != [200]:
        reason = f"error: unexpected statuses: request {statuses['request']}, trivial {statuses['trivial']}"
        return not_available(REQUEST, reason, raw, error=True)
    if raw["reports_not_sent"]:
        reason = (
            f"error: {raw['reports_not_sent']} of {raw['reports_made']} reports were never sent to the broker"
        )
        return not_available(REQUEST, reason, raw, error=True)
    subject, baseline = raw["request"]["p95_ms"], raw["trivial"]["p95_ms"]
    if not baseline:
        return not_available(REQUEST, f"baseline measured as 0 (subject {subject})", raw, error=True)
    value = subject / baseline
    queued = raw["reports_by_status"].get("queued", 0)
    inline = max(raw["reports_made"] - queued, raw["reports_with_a_file"])
    render = f"{inline} rendered inline" if inline else "none rendered inline"
    goal = (
        f"goal <= {fmt_number(REQUEST_GOAL)}x, render never inline; "
        f"p95 {subject:.1f} ms vs {baseline:.1f} ms "
        f"(p50 {raw['request']['p50_ms']:.1f} vs {raw['trivial']['p50_ms']:.1f}), {raw['samples']} samples "
        f"each; {raw['reports_made']} reports, {render}"
    )
    return at_most(REQUEST, value, REQUEST_GOAL, goal, raw, also=not inline)


def end_to_end_metric(raw: dict) -> Metric:
    """P9: best end-to-end Celery job (enqueue -> ready in the DB) vs best direct render."""
    if "na" in raw:
        return not_available(END_TO_END, raw["na"], raw, error=bool(raw.get("error")))
    value = raw["job_best_s"] / raw["direct_best_s"]
    best = min(raw["job_runs"], key=lambda run: run["s"])
    pages = (
        ""
        if raw["job_pages"] == raw["direct_pages"]
        else f"; pages differ: {raw['job_pages']} vs {raw['direct_pages']}"
    )
    goal = (
        f"goal <= {fmt_number(END_TO_END_GOAL)}x; job {raw['job_best_s']:.2f} s "
        f"(waited {best['queue_wait_s']:.2f} s, worker {best['worker_render_s']:.2f} s) "
        f"vs direct {raw['direct_best_s']:.2f} s, best of {raw['runs']}{pages}"
    )
    return at_most(END_TO_END, value, END_TO_END_GOAL, goal, raw)


def needs_redis(reason: str) -> list[Metric]:
    """Both Redis metrics as n/a (not an error: a machine without Redis cannot measure them)."""
    return [not_available(name, reason) for name in job_names()]
