"""What an uploaded framework file would change, in words a performance manager can check.

`framework_sync` reports every row it writes as an `ItemChange` (values before and after). This
module turns those into the rows of the confirmation page: one table per added, changed or removed
item with "Field / Now / After upload", grouped by kind, and the deadlines of each inspection that
would move when the milestone rules change. Values are shown as the framework page shows them
(labels, names, dates), never as stored codes alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from inspections.framework_sync import CREATED, DELETED, ItemChange
from inspections.models import Framework, JudgementArea, MilestoneRule

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
_STATE = {CREATED: ADDED, DELETED: REMOVED}
NOT_IN_LIBRARY = "Not in the library"
REMOVED_WORDS = "Removed"
NOT_SET = "Not set"
NO_DEADLINE = "No deadline"
NO_LONGER_WORKED_OUT = "No longer worked out"

# The kinds `framework_sync` reports, in the order the page shows them, with their headings.
KINDS: tuple[tuple[str, str, str], ...] = (
    # (kind, heading of the group, name of one item)
    ("framework", "Framework details", "Framework"),
    ("grade scale", "Grade scale", "Grade scale"),
    ("grade", "Grades", "Grade"),
    ("area", "Judgement areas", "Judgement area"),
    ("milestone rule", "Milestone rules (deadlines)", "Milestone rule"),
)

# The fields shown for each kind, in order, with their labels. Fields left out (the checksum, order
# and depth in the tree) are bookkeeping: a reordering is reported once per kind instead.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "framework": (
        ("name", "Name"),
        ("short_name", "Short name"),
        ("version", "Version"),
        ("inspectorate", "Inspectorate"),
        ("kind", "Kind"),
        ("valid_from", "Valid from"),
        ("valid_to", "Valid to"),
        ("is_graded", "Graded"),
        ("grade_scale", "Grade scale"),
        ("rules", "Limiting and warning rules"),
        ("themes", "Themes"),
        ("sources", "Sources"),
        ("notes", "Notes"),
    ),
    "grade scale": (),
    "grade": (("label", "Label"), ("rank", "Rank (1 is best)"), ("aliases", "Other wordings")),
    "area": (
        ("name", "Name"),
        ("parent", "Part of"),
        ("kind", "Kind"),
        ("graded", "Graded"),
        ("limits_overall", "Inadequate here limits overall effectiveness"),
        ("criteria", "Evaluation criteria"),
    ),
    "milestone rule": (
        ("name", "Name"),
        ("anchor", "Counted from"),
        ("offset", "Offset"),
        ("window_end_offset", "Window ends at offset"),
        ("unit", "Unit"),
        ("convention", "Counting"),
        ("status", "Status"),
        ("applies_if", "Only when"),
        ("explanation", "Explanation"),
        ("source", "Source"),
    ),
}
_TIMING = ("name", "anchor", "offset", "window_end_offset", "unit", "convention")
IN_WORDS = "In words"
ORDER = "Order"


@dataclass(frozen=True)
class ChangeRow:
    """One row of a change table: a field, its value now and its value after the upload."""

    field: str
    now: str
    after: str


@dataclass(frozen=True)
class ChangedItem:
    """One added, changed or removed item (a grade, an area, a milestone rule...)."""

    kind: str  # the item's name: "Judgement area"
    code: str
    name: str  # what it is called (for a milestone rule, the rule in words)
    state: str  # ADDED, CHANGED or REMOVED
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class ChangeGroup:
    heading: str
    items: tuple[ChangedItem, ...]


@dataclass(frozen=True)
class InspectionImpact:
    """One inspection whose deadlines are worked out again, and those that would move."""

    inspection_id: int
    label: str
    moves: tuple[ChangeRow, ...] = field(default_factory=tuple)  # milestone name, now, after


@dataclass
class Lookups:
    """Names for the codes a value may hold: area names and grade labels, the file's over the library's."""

    areas: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)

    def area(self, code: str | None) -> str:
        return self.areas.get(code, code) if code else NOT_SET

    def grade(self, code: str | None) -> str:
        return self.grades.get(code, code) if code else NOT_SET


def long_date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items) or NOT_SET


def _rule_line(rule: Mapping[str, Any], names: Lookups) -> str:
    when = ", ".join(names.area(code) for code in rule.get("when_any_of", []))
    then_area, max_grade = names.area(rule.get("then_area")), names.grade(rule.get("max_grade"))
    effect = (
        f"{then_area} can be no better than {max_grade}"
        if rule.get("kind") == "limiting"
        else f"warn when {then_area} is better than {max_grade}"
    )
    message = " ".join((rule.get("message") or "").split())
    kind, grade = (rule.get("kind") or "").capitalize(), names.grade(rule.get("grade"))
    text = f"{kind}: when any of {when} is {grade}, {effect}"
    return f"{text}. Message: “{message}”" if message else f"{text}."


def _choice(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def value_words(kind: str, name: str, value: Any, names: Lookups) -> str:
    """Show one stored value as the framework page would."""
    from inspections.selectors import ANCHOR_PHRASES

    if value is None or value == "" or value == []:
        return NOT_SET
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return long_date(value)
    if name == "kind":
        return _choice(Framework.Kind if kind == "framework" else JudgementArea.Kind, value)
    if name == "anchor":
        return ANCHOR_PHRASES.get(value, value).capitalize()
    if name == "unit":
        return _choice(MilestoneRule.Unit, value).capitalize()
    if name == "convention":
        return _choice(MilestoneRule.Convention, value)
    if name == "status":
        return _choice(MilestoneRule.Status, value)
    if name == "parent":
        return names.area(value)
    if name == "applies_if":
        grades = " or ".join(names.grade(g) for g in value.get("grades", []))
        return f"{names.area(value.get('area'))} is {grades}"
    if name == "aliases":
        return ", ".join(value)
    if name == "sources":
        return _lines(f"{s.get('title')} ({s.get('url')})" if s.get("url") else s.get("title") for s in value)
    if name == "rules":
        return _lines(_rule_line(rule, names) for rule in value)
    if name == "themes":
        return _lines(
            f"{t.get('name')} ({t.get('period')})" if t.get("period") else t.get("name") for t in value
        )
    return str(value)


def _rule_words(values: Mapping[str, Any]) -> str:
    from inspections.selectors import milestone_rule_words

    return milestone_rule_words(SimpleNamespace(**{k: values.get(k) for k in _TIMING}))


def _item(change: ItemChange, names: Lookups) -> ChangedItem | None:
    """The table for one change, or None when only bookkeeping fields (order, checksum) changed."""
    state = _STATE.get(change.state, CHANGED)
    before, after = change.before or {}, change.after or {}
    rows: list[ChangeRow] = []
    for name, label in FIELDS[change.kind]:
        old, new = before.get(name), after.get(name)
        if state == CHANGED and old == new:
            continue
        if state == ADDED and value_words(change.kind, name, new, names) == NOT_SET:
            continue
        if state == REMOVED and value_words(change.kind, name, old, names) == NOT_SET:
            continue
        rows.append(
            ChangeRow(
                field=label,
                now=NOT_IN_LIBRARY if state == ADDED else value_words(change.kind, name, old, names),
                after=REMOVED_WORDS if state == REMOVED else value_words(change.kind, name, new, names),
            )
        )
    if state == CHANGED and not rows:
        return None
    current = after or before
    title = str(current.get("name") or current.get("label") or change.code)
    if change.kind == "milestone rule":
        words_now, words_after = (
            (_rule_words(before) if before else ""),
            (_rule_words(after) if after else ""),
        )
        title = words_after or words_now
        if state == CHANGED and any(before.get(k) != after.get(k) for k in _TIMING):
            rows.insert(0, ChangeRow(field=IN_WORDS, now=words_now, after=words_after))
    if change.kind == "grade scale":
        rows.append(
            ChangeRow(
                field="Code",
                now=NOT_IN_LIBRARY if state == ADDED else change.code,
                after=REMOVED_WORDS if state == REMOVED else change.code,
            )
        )
    label = dict((k, item) for k, _, item in KINDS)[change.kind]
    return ChangedItem(kind=label, code=change.code, name=title, state=state, rows=tuple(rows))


def _order_item(kind: str, now: list[str], after: list[str], names: Mapping[str, str]) -> ChangedItem | None:
    """Report a reordering once, only when items kept by the file change places among themselves."""
    kept_now = [code for code in now if code in set(after)]
    kept_after = [code for code in after if code in set(now)]
    if kept_now == kept_after:
        return None  # only additions or removals shift positions: those are reported on their own
    label = dict((k, item) for k, _, item in KINDS)[kind]
    return ChangedItem(
        kind=label,
        code="",
        name=f"The order of the {dict((k, h) for k, h, _ in KINDS)[kind].lower()}",
        state=CHANGED,
        rows=(
            ChangeRow(
                field=ORDER,
                now=_lines(names.get(c, c) for c in now),
                after=_lines(names.get(c, c) for c in after),
            ),
        ),
    )


def change_groups(
    items: Iterable[ItemChange],
    *,
    names: Lookups,
    orders: Mapping[str, tuple[list[str], list[str], Mapping[str, str]]] | None = None,
) -> list[ChangeGroup]:
    """Group what a sync changed into the confirmation page's tables, leaving out bookkeeping.

    `orders` maps a kind ("area", "milestone rule") to (codes now, codes after, code -> name).
    """
    by_kind: dict[str, list[ChangedItem]] = {}
    for change in items:
        item = _item(change, names)
        if item is not None:
            by_kind.setdefault(change.kind, []).append(item)
    for kind, (now, after, labels) in (orders or {}).items():
        item = _order_item(kind, now, after, labels)
        if item is not None:
            by_kind.setdefault(kind, []).append(item)
    return [
        ChangeGroup(heading=heading, items=tuple(by_kind[k])) for k, heading, _ in KINDS if by_kind.get(k)
    ]


# ---------------------------------------------------------------------------
# Deadlines that would move
# ---------------------------------------------------------------------------


def milestone_snapshot(inspection_id: int) -> dict[str, tuple[str, dt.date, dt.date | None, dt.date | None]]:
    """{code: (name, due on, window end, date changed by hand)} of one inspection's milestones."""
    from inspections.models import Milestone

    rows = Milestone.objects.filter(inspection_id=inspection_id).values_list(
        "code", "name", "due_on", "window_end_on", "override_due_on"
    )
    return {code: (name, due, end, override) for code, name, due, end, override in rows}


def _when(due: dt.date, end: dt.date | None, override: dt.date | None) -> str:
    text = f"{long_date(due)} to {long_date(end)}" if end else long_date(due)
    if override:
        text += f" (changed by hand to {long_date(override)}, which stays)"
    return text


def milestone_moves(before: Mapping[str, tuple], after: Mapping[str, tuple]) -> tuple[ChangeRow, ...]:
    """The milestones whose worked-out dates differ between two snapshots: name, now, after."""
    rows = []
    for code in sorted(set(before) | set(after), key=lambda c: (after.get(c) or before[c])[1]):
        old, new = before.get(code), after.get(code)
        if old and new and old[1:3] == new[1:3]:
            continue
        rows.append(
            ChangeRow(
                field=(new or old)[0],
                now=_when(*old[1:]) if old else NO_DEADLINE,
                after=_when(*new[1:]) if new else NO_LONGER_WORKED_OUT,
            )
        )
    return tuple(rows)
