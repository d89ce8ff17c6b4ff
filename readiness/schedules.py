"""Schedules (django-celery-beat) said in words, for the system status page.

`0 7 * * 1-5 (m/h/dM/MY/d) Europe/London` is what beat stores; a DCS reads "07:00, Monday to
Friday (UK time)". Anything this does not know how to say is shown as beat says it.
"""

from __future__ import annotations

DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
UNITS = {
    "microseconds": "microsecond",
    "seconds": "second",
    "minutes": "minute",
    "hours": "hour",
    "days": "day",
}


def _days(day_of_week: str) -> str | None:
    if day_of_week == "*":
        return "every day"
    if day_of_week in ("1-5", "mon-fri"):
        return "Monday to Friday"
    if day_of_week.isdigit() and int(day_of_week) <= 7:  # cron counts Sunday as 0 or 7
        return f"every {DAYS[int(day_of_week) % 7]}"
    return None


def _crontab(crontab) -> str | None:
    minute, hour = str(crontab.minute), str(crontab.hour)
    whole_year = str(crontab.day_of_month) == "*" and str(crontab.month_of_year) == "*"
    days = _days(str(crontab.day_of_week))
    if not (minute.isdigit() and hour.isdigit() and whole_year and days):
        return None
    zone = str(crontab.timezone)
    where = " (UK time)" if zone == "Europe/London" else f" ({zone})"
    return f"{int(hour):02d}:{int(minute):02d}, {days}{where}"


def _interval(interval) -> str | None:
    unit = UNITS.get(interval.period)
    if unit is None:
        return None
    if interval.every == 1:
        return f"Every {unit}"
    return f"Every {interval.every} {unit}s"


def schedule_in_words(task) -> str:
    """When a periodic task runs, in words; "Paused: …" when it is switched off."""
    words = None
    if task.crontab_id:
        words = _crontab(task.crontab)
    elif task.interval_id:
        words = _interval(task.interval)
    words = words or str(task.scheduler)
    return words if task.enabled else f"Paused: {words}"
