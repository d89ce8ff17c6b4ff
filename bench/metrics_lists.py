"""Report lines for the list pages and history writes (reliability.md P3, P10). Pure: no Django, no I/O.

Each builder takes the raw JSON bench/inproc_lists.py wrote and returns `common.Metric`s; a step
that could not measure (its raw dict has "na") gives an n/a line with the reason, never a number.
"""

from __future__ import annotations

from common import Metric, fmt_number, fmt_ratio, meets, not_available, percentile, ratio

CHILD_LIST_GOAL = 1.5  # reliability.md P3: page 1 at the large fixture <= 1.5x the reference (must)
CHILD_LIST_TARGET = 1.2  # ... and <= 1.2x (target)
LAST_PAGE_GOAL = 2.0  # reliability.md P3: last page <= 2x page 1
TRACKED_GOAL = 4.0  # reliability.md P10: tracked updates <= 4x untracked
AUDITOR_LIST_GOAL = 1.3  # reliability.md P10: auditor-scoped list p95 <= 1.3x the same list unscoped

CHILD_LIST_NAMES = ["child_list_p95_large_vs_reference", "child_list_last_page_vs_first"]
HISTORY_NAMES = ["tracked_updates_vs_untracked", "auditor_list_p95_vs_pm"]


def p95_ms(page: dict) -> float:
    """p95 of a page's samples (ms), checking every sample answered 200."""
    bad = {status: n for status, n in page.get("statuses", {}).items() if str(status) != "200"}
    if bad:
        raise ValueError(f"{page.get('path')} answered {bad} during sampling")
    return percentile(page["samples_ms"], 95)


def _p95_ratio(
    name: str, subject: dict, baseline: dict, limit: float, describe: str, raw: dict, goal_note: str = ""
) -> Metric:
    """A p95 ratio line: `1.10x: <describe with both p95s>` against `goal <= limit x`."""
    try:
        a, b = p95_ms(subject), p95_ms(baseline)
    except ValueError as exc:
        return not_available(name, f"error: {exc}", raw, error=True)
    value = ratio(a, b)
    if value is None:
        return not_available(name, f"baseline p95 measured as 0 (subject {a} ms)", raw)
    raw = {**raw, "subject_p95_ms": round(a, 3), "baseline_p95_ms": round(b, 3), "ratio": round(value, 6)}
    display = f"{fmt_ratio(value)}: " + describe.format(subject=f"{a:.1f} ms", baseline=f"{b:.1f} ms")
    goal = f"goal <= {fmt_number(limit)}x" + goal_note
    return Metric(name, display, goal, meets(value, "<=", limit), round(value, 6), raw=raw)


def child_list_metrics(small_scale: int, large_scale: int, reference: dict, large: dict) -> list[Metric]:
    """P3: page 1 at the large fixture vs page 1 at the reference; the last page vs page 1 (large)."""
    reason = reference.get("na") or large.get("na")
    if reason:
        raw = {f"scale_{small_scale}": reference, f"scale_{large_scale}": large}
        error = bool(reference.get("error") or large.get("error"))
        return [not_available(name, reason, raw, error=error) for name in CHILD_LIST_NAMES]
    first = _p95_ratio(
        CHILD_LIST_NAMES[0],
        large["first"],
        reference["first"],
        CHILD_LIST_GOAL,
        f"page 1 p95 {{subject}} at scale {large_scale} ({large['children']} children) vs "
        f"{{baseline}} at scale {small_scale} ({reference['children']} children)",
        {f"scale_{small_scale}": reference["first"], f"scale_{large_scale}": large["first"]},
    )
    if not first.na:  # the must goal decides MISSED; the line says where the target stands
        within = meets(first.value, "<=", CHILD_LIST_TARGET)
        first.raw.update(target=CHILD_LIST_TARGET, target_met=within)
        first.goal += f", {'within' if within else 'above'} target <= {fmt_number(CHILD_LIST_TARGET)}x"
        first.goal += ", reliability P3"
    last = _p95_ratio(
        CHILD_LIST_NAMES[1],
        large["last"],
        large["first"],
        LAST_PAGE_GOAL,
        f"page {large['last_page']} p95 {{subject}} vs page 1 {{baseline}} at scale {large_scale}",
        {"first": large["first"], "last": large["last"], "last_page": large["last_page"]},
        ", reliability P3",
    )
    return [first, last]


def tracked_updates_metric(raw: dict) -> Metric:
    """P10: best-of-N time of the tracked updates over the untracked ones, checked by history rows."""
    name = HISTORY_NAMES[0]
    if "na" in raw:
        return not_available(name, raw["na"], raw, error=bool(raw.get("error")))
    updates, written = raw["updates"], raw["history_rows_written"]
    if any(rows != updates for rows in written["tracked"]) or any(written["untracked"]):
        reason = (
            f"error: history did not record as intended: tracked runs wrote {written['tracked']} "
            f"history rows (want {updates} each), untracked runs {written['untracked']} (want 0)"
        )
        return not_available(name, reason, raw, error=True)
    if not raw.get("rolled_back"):
        return not_available(
            name, f"error: the bench database changed: {raw.get('rows_before_after')}", raw, error=True
        )
    tracked, untracked = min(raw["tracked_s"]), min(raw["untracked_s"])
    value = ratio(tracked, untracked)
    if value is None:
        return not_available(name, "untracked updates measured as 0 s", raw)
    display = (
        f"{fmt_ratio(value)}: {updates} saves of {raw['model']}.{raw['field']} in {tracked:.2f} s "
        f"with history vs {untracked:.2f} s without, best of {len(raw['tracked_s'])}"
    )
    return Metric(
        name,
        display,
        f"goal <= {fmt_number(TRACKED_GOAL)}x, reliability P10",
        meets(value, "<=", TRACKED_GOAL),
        round(value, 6),
        raw={**raw, "ratio": round(value, 6)},
    )


def auditor_list_metric(raw: dict) -> Metric:
    """P10: the audit list p95 as the auditor (scoped to their audits) vs as the PM (every audit)."""
    name = HISTORY_NAMES[1]
    if "na" in raw:
        return not_available(name, raw["na"], raw, error=bool(raw.get("error")))
    if not raw.get("auditor_rows"):
        return not_available(name, "the auditor has no audits in the bench data, so nothing is scoped", raw)
    if not raw.get("auditor_scoped") or raw.get("pm_scoped"):
        reason = f"the auditor is not scoped or the PM is (auditor_scoped={raw.get('auditor_scoped')})"
        return not_available(name, f"error: {reason}", raw, error=True)
    return _p95_ratio(
        name,
        raw["auditor"],
        raw["pm"],
        AUDITOR_LIST_GOAL,
        f"p95 {{subject}} as the auditor ({raw['auditor_rows']} audits) vs {{baseline}} as the PM "
        f"({raw['pm_rows']})",
        raw,
        ", reliability P10",
    )
