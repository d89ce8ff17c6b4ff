"""Where an indicator's number comes from: a function named by a dotted path.

A source is called with `as_of=<date>` when it accepts it (so history can be backfilled), and
returns (numerator, denominator), a mapping or object with `numerator` and `denominator` (or
`value`), or a bare number. A blank path means no data source exists yet; a path that does not
import means the source is not available yet. Neither is ever turned into a number.

The sources defined here read casework tables in aggregate (counts), once a night, never per request.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NO_SOURCE = "No data source yet"
NOT_AVAILABLE = "Data source not available yet"

# How far back the rolling measures look (Annex A's look-back for lists 1–8 is six months).
LOOK_BACK_DAYS = 183


class SourceUnavailable(Exception):
    """The indicator has no usable source; the message says which and is shown as it is."""


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None


def resolve(path: str) -> Callable:
    """Return the function a dotted path names, or raise SourceUnavailable."""
    if not path:
        raise SourceUnavailable(NO_SOURCE)
    module_name, _, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise SourceUnavailable(NOT_AVAILABLE) from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise SourceUnavailable(NOT_AVAILABLE)
    return function


def accepts(function: Callable, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def supports_as_of(path: str) -> bool:
    """True when the source can say what its number was on an earlier day."""
    try:
        function = resolve(path)
    except SourceUnavailable:
        return False
    return accepts(function, "as_of")


def _quantise(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def normalise(result, *, as_percent: bool) -> Reading:
    """Turn whatever a source returned into a Reading (value is a percentage when as_percent)."""
    numerator = denominator = value = None
    if isinstance(result, Reading):
        return result
    if isinstance(result, list | tuple) and len(result) == 2:
        numerator, denominator = result
    elif isinstance(result, Mapping):
        numerator, denominator = result.get("numerator"), result.get("denominator")
        value = result.get("value", result.get("percentage"))
    elif isinstance(result, int | float | Decimal) and not isinstance(result, bool):
        value = result
    elif result is not None and hasattr(result, "numerator"):
        numerator, denominator = result.numerator, getattr(result, "denominator", None)
        value = getattr(result, "value", getattr(result, "percentage", None))
    elif result is not None:
        raise SourceUnavailable(f"The source returned something unexpected: {type(result).__name__}")
    if numerator is not None and denominator is not None:
        numerator, denominator = int(numerator), int(denominator)
        if denominator:
            ratio = Decimal(numerator) / Decimal(denominator)
            value = ratio * 100 if as_percent else ratio
        else:
            value = None  # nothing to measure on this day: no value, never 0%
    elif numerator is not None and value is None:
        value = numerator
    return Reading(
        value=None if value is None else _quantise(value), numerator=numerator, denominator=denominator
    )


def read(indicator, *, as_of: dt.date) -> Reading:
    """Return the indicator's reading on `as_of`; raise SourceUnavailable when it has none."""
    function = resolve(indicator.source)
    if accepts(function, "as_of"):
        result = function(as_of=as_of)
    elif accepts(function, "today"):
        result = function(today=as_of)
    else:
        result = function()
    return normalise(result, as_percent=indicator.unit == indicator.Unit.PERCENT)


# ---------------------------------------------------------------------------------------------
# Sources computed here from casework, in aggregate.
# ---------------------------------------------------------------------------------------------


def _open_cases(cohort: str) -> Callable[..., int]:
    def open_cases(*, as_of: dt.date) -> int:
        from django.db.models import Q

        from casework.models import Episode

        return (
            Episode.objects.filter(cohort=cohort, start_on__lte=as_of)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
            .values("child_id")
            .distinct()
            .count()
        )

    open_cases.__name__ = f"open_{cohort}"
    open_cases.__doc__ = f"Children with an open {cohort.replace('_', ' ')} episode on the day."
    return open_cases


open_early_help = _open_cases("early_help")
open_child_in_need = _open_cases("child_in_need")
open_child_protection = _open_cases("child_protection")
open_looked_after = _open_cases("looked_after")
open_care_leaver = _open_cases("care_leaver")


def entered_care_police_protection(*, as_of: dt.date) -> tuple[int, int]:
    """Of the children who came into care in the six months to the day, those under police
    protection (legal status L1) at the start."""
    from casework.models import Episode

    started = Episode.objects.filter(
        cohort="looked_after", start_on__gt=as_of - dt.timedelta(days=LOOK_BACK_DAYS), start_on__lte=as_of
    )
    return started.filter(legal_status__startswith="L1").count(), started.count()


def _audits():
    """CaseAudit when casework has audits, else raise SourceUnavailable."""
    try:
        from casework.models import CaseAudit
    except ImportError:
        raise SourceUnavailable(NOT_AVAILABLE) from None
    return CaseAudit


GOOD_OR_BETTER = ("outstanding", "good")


def audits_good_or_better(*, as_of: dt.date) -> tuple[int, int]:
    """Audits submitted in the six months to the day graded good or outstanding (the moderator's
    grade where moderated)."""
    from django.db.models import Count, Q

    case_audit = _audits()
    start = as_of - dt.timedelta(days=LOOK_BACK_DAYS)
    done = case_audit.objects.filter(submitted_at__date__gt=start, submitted_at__date__lte=as_of)
    good = Q(moderator_grade__in=GOOD_OR_BETTER) | (
        Q(moderator_grade="") & Q(overall_grade__in=GOOD_OR_BETTER)
    )
    counts = done.aggregate(total=Count("pk"), good=Count("pk", filter=good))
    return counts["good"], counts["total"]


def audit_moderation_agreement(*, as_of: dt.date) -> tuple[int, int]:
    """Audits moderated in the six months to the day where the moderator agreed the grade."""
    from django.db.models import Count, Q

    case_audit = _audits()
    start = as_of - dt.timedelta(days=LOOK_BACK_DAYS)
    moderated = case_audit.objects.filter(
        moderated_at__date__gt=start, moderated_at__date__lte=as_of, agreement__isnull=False
    )
    counts = moderated.aggregate(total=Count("pk"), agreed=Count("pk", filter=Q(agreement=True)))
    return counts["agreed"], counts["total"]
