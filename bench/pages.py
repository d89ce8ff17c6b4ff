"""The pages the benchmark measures, found by URL name so pages that land later plug in by themselves.

Each page lists regular expressions over `namespace:name`; the first URL name that matches is used.
A URL argument is filled with the first object of the model its name suggests (`plan_pk` -> the
first improvement plan). A page with no matching URL, or whose objects do not exist yet, is n/a with
the reason. Imports Django lazily: call only inside a configured Django process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str  # metric prefix, e.g. "dcs_page"
    title: str
    patterns: tuple[str, ...]
    username: str  # demo user who may see it (seed_demo)
    query_limit: int
    model: str | None = None  # "app_label.Model" for a bare `pk` argument


PAGES = (
    Page("dcs_page", "DCS page", (r"^readiness:dashboard$",), "dcs", 15),
    Page(
        "plan_overview",
        "plan overview",
        (r"(^|:)plan-overview$", r"(^|:)plan-detail$", r"(^|:)plan-list$", r"plan.*overview"),
        "pm",
        12,
        "readiness.ImprovementPlan",
    ),
    Page(
        "sample_progress",
        "sample progress",
        (r"(^|:)sample-progress$", r"sample.*progress", r"(^|:)sample-detail$"),
        "pm",
        12,
        "casework.Sample",
    ),
    Page(
        "action_list",
        "action list",
        (r"(^|:)action-list$", r"(^|:)actions?$", r"(^|:)my-actions$"),
        "pm",
        12,
        "readiness.Action",
    ),
)

# URL argument name -> model that supplies its value.
KWARG_MODELS = {
    "plan": "readiness.ImprovementPlan",
    "plan_pk": "readiness.ImprovementPlan",
    "plan_id": "readiness.ImprovementPlan",
    "sample": "casework.Sample",
    "sample_pk": "casework.Sample",
    "sample_id": "casework.Sample",
    "inspection_pk": "inspections.Inspection",
    "inspection_id": "inspections.Inspection",
    "action_pk": "readiness.Action",
    "action_id": "readiness.Action",
    "child_pk": "casework.Child",
}


class PageUnavailable(LookupError):  # noqa: N818 - reads as the outcome
    """The page does not exist (yet), or the data its URL needs does not."""


def named_urls() -> dict[str, list[str]]:
    """Every `namespace:name` in the URLconf with the argument names its pattern takes."""
    from django.urls import get_resolver

    found: dict[str, list[str]] = {}

    def walk(resolver, namespace: str) -> None:
        for name, entries in resolver.reverse_dict.lists():
            if isinstance(name, str):
                params = list(entries[0][0][0][1]) if entries and entries[0][0] else []
                found.setdefault(f"{namespace}{name}", params)
        for ns, (_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, f"{namespace}{ns}:")

    walk(get_resolver(), "")
    return found


def _first_pk(label: str) -> int:
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except LookupError:
        raise PageUnavailable(f"model {label} does not exist yet") from None
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        raise PageUnavailable(f"no {label} in the seeded data")
    return pk


def resolve(page: Page, urls: dict[str, list[str]] | None = None) -> str:
    """Return the path to request for `page`, or raise PageUnavailable saying why."""
    from django.urls import reverse

    urls = named_urls() if urls is None else urls
    for pattern in page.patterns:
        matches = sorted(name for name in urls if re.search(pattern, name))
        if not matches:
            continue
        name = matches[0]
        kwargs = {}
        for param in urls[name]:
            label = KWARG_MODELS.get(param) or (page.model if param in ("pk", "id") else None)
            if label is None:
                raise PageUnavailable(f"URL {name} takes {param!r}, which the harness cannot fill")
            kwargs[param] = _first_pk(label)
        return reverse(name, kwargs=kwargs)
    raise PageUnavailable(f"no URL named like {' or '.join(page.patterns)} yet")
