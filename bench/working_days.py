"""Benchmark: inspections.working_days.add_working_days_many vs numpy.busday_offset.

Run:  python bench/working_days.py [--n 100000] [--repeat 7] [--seed 20190327] [--json PATH]

Both methods get the same seeded inputs (starts spread over 2020-2030, N from 1
to 65 working days).  numpy is timed on its best case: one vectorised
``busday_offset`` call over pre-built ``datetime64`` arrays with a pre-built
``busdaycalendar`` and ``roll="backward"`` (which matches our "start is day 0"
convention for N >= 1).  Ours is timed end to end: ``list[date]`` in,
``list[date]`` out, lookup table already built.  Each timing is the best of
``--repeat`` runs.  The script exits 1 if the results differ.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspections.working_days import add_working_days_many, default_calendar  # noqa: E402

NAME = "working_days_vs_numpy"
GOAL = 2.0


def make_inputs(n: int, seed: int) -> tuple[list[date], list[int]]:
    """Return ``n`` seeded (start, N) pairs."""
    rng = random.Random(seed)
    first = date(2020, 1, 1)
    span = (date(2030, 12, 31) - first).days + 1
    starts = [first + timedelta(days=rng.randrange(span)) for _ in range(n)]
    ns = [rng.randint(1, 65) for _ in range(n)]
    return starts, ns


def numpy_calendar() -> np.busdaycalendar:
    """Return a busdaycalendar with the same weekday holidays as our calendar, 2015-2040."""
    cal = default_calendar()
    holidays = []
    d = date(2015, 1, 1)
    while d <= date(2040, 12, 31):
        if d.weekday() < 5 and not cal.is_working_day(d):
            holidays.append(d)
        d += timedelta(days=1)
    return np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, dtype="datetime64[D]"))


def best_ms(fn, repeat: int) -> tuple[float, object]:
    """Return the fastest of ``repeat`` runs of ``fn()`` in ms, and its result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000.0, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of deadlines (default 100000)")
    parser.add_argument("--repeat", type=int, default=7, help="runs per method; best is kept (default 7)")
    parser.add_argument("--seed", type=int, default=20190327)
    parser.add_argument("--json", metavar="PATH", help="also write the result as JSON to PATH")
    args = parser.parse_args(argv)

    starts, ns = make_inputs(args.n, args.seed)
    cal = default_calendar()
    add_working_days_many(starts[:10], ns[:10], cal)  # build the lookup table outside the timing
    bdc = numpy_calendar()
    starts_np = np.array(starts, dtype="datetime64[D]")
    ns_np = np.array(ns, dtype=np.int64)

    ours_ms, ours = best_ms(lambda: add_working_days_many(starts, ns, cal), args.repeat)
    numpy_ms, theirs = best_ms(
        lambda: np.busday_offset(starts_np, ns_np, roll="backward", busdaycal=bdc), args.repeat
    )

    theirs_list = theirs.tolist()
    if ours != theirs_list:
        bad = next(i for i, (a, b) in enumerate(zip(ours, theirs_list, strict=True)) if a != b)
        print(
            f"MISMATCH at {bad}: start={starts[bad]} n={ns[bad]} ours={ours[bad]} numpy={theirs_list[bad]}",
            file=sys.stderr,
        )
        return 1

    ratio = ours_ms / numpy_ms
    print(
        f"{NAME}: {ratio:.2f}x (goal <= {GOAL}x) ours {ours_ms:.2f} ms, numpy {numpy_ms:.2f} ms, n={args.n}"
    )
    if args.json:
        payload = {
            "name": NAME,
            "value": round(ratio, 3),
            "goal": GOAL,
            "ours_ms": round(ours_ms, 3),
            "numpy_ms": round(numpy_ms, 3),
        }
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
