"""Action lists out (CSV and XLSX, formula-safe) and a plan in (CSV or XLSX, all or nothing).

Export: one row per action; any cell that a spreadsheet would run as a formula (text starting with
= + - @, a tab or a carriage return) is prefixed with an apostrophe (reliability check 22).

Import: one row per action; the `priority` column groups actions into priorities in the order they
first appear. The file is read with casework's safe reader; every problem is reported as
`row N, column X: message` and nothing is saved unless every row is good.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from casework.imports.problems import CellError, FileRefused, Problem
from casework.imports.reader import check_file, iter_rows
from casework.imports.values import parse_date, short_text
from casework.imports.values import text as cell_text
from inspections.spreadsheet_cells import inert as safe_cell
from readiness.plans.models import Action, ImprovementPlan, Rag
from readiness.plans.selectors import ACTION_OWNER_PERMISSION, users_holding

MAX_PROBLEMS_SHOWN = 200
MAX_LONG_TEXT = 4000

EXPORT_COLUMNS = (
    "Priority",
    "Priority title",
    "Action",
    "Owner",
    "Lead officer",
    "Partner agency",
    "Start date",
    "Due date",
    "Status",
    "RAG",
    "RAG set by hand because",
    "Success measure",
    "Indicator",
    "Target",
    "Audit reference",
    "Last update",
    "Latest update",
)


def _owner_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def export_rows(actions, latest: dict) -> list[list]:
    rows = []
    for action in actions:
        update = latest.get(action.pk)
        rows.append(
            [
                action.priority.order,
                action.priority.title,
                action.description,
                _owner_name(action.owner),
                action.lead_officer,
                action.partner_agency,
                action.start_on,
                action.due_on,
                action.get_status_display(),
                Rag(action.rag).label,
                action.rag_override_reason,
                action.success_measure,
                action.indicator_code,
                action.indicator_target,
                action.source_audit_reference,
                update.date if update else None,
                update.text if update else "",
            ]
        )
    return rows


def _csv_value(value):
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return safe_cell("" if value is None else value)


def write_csv(rows: list[list], *, header=EXPORT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_value(value) for value in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # A byte order mark so Excel reads the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[list], *, title: str = "Actions", header=EXPORT_COLUMNS) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Actions"
    sheet.append([safe_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "priority": ("priority", "prioritytitle", "recommendation", "theme"),
    "area": ("area", "judgementarea", "areacode"),
    "action": ("action", "description", "actiondescription"),
    "owner": ("owner", "actionowner", "username", "owneremail"),
    "lead_officer": ("leadofficer", "lead"),
    "partner_agency": ("partneragency", "partner"),
    "start_date": ("startdate", "start", "starton"),
    "due_date": ("duedate", "due", "dueon", "deadline"),
    "status": ("status",),
    "success_measure": ("successmeasure", "measure", "measureofsuccess"),
    "indicator": ("indicator", "indicatorcode"),
    "target": ("target", "indicatortarget"),
    "audit_reference": ("auditreference", "sourceauditreference", "auditfinding"),
}
REQUIRED = ("priority", "action", "due_date")
STATUS_WORDS = {
    "notstarted": Action.Status.NOT_STARTED,
    "": Action.Status.NOT_STARTED,
    "inprogress": Action.Status.IN_PROGRESS,
    "started": Action.Status.IN_PROGRESS,
    "ongoing": Action.Status.IN_PROGRESS,
    "complete": Action.Status.COMPLETE,
    "completed": Action.Status.COMPLETE,
    "done": Action.Status.COMPLETE,
}

MISSING_COLUMNS = "The file has no {names} column. The first row must name the columns, for example priority."
REQUIRED_CELL = "is empty; every action needs one"
UNKNOWN_OWNER = (
    "'{value}' is not a user of this service; enter a username or e-mail address, or leave it blank"
)
OWNER_CANNOT_REPORT = (
    "'{value}' cannot own actions: an owner must be able to open the plan and report progress "
    "(a performance manager, the DCS or an administrator)"
)
UNKNOWN_STATUS = "'{value}' is not a status; use not started, in progress or complete"
UNKNOWN_AREA = "'{value}' is not a judgement area of {framework}"
AREA_NEEDS_INSPECTION = "judgement areas can only be given for a plan made from an inspection"
START_AFTER_DUE = "the start date is after the due date"
AREA_DIFFERS = "priority '{title}' was given area '{first}' in row {row}; give each priority one area"


def _key(header) -> str:
    return re.sub(r"[^a-z0-9]", "", cell_text(header).lower())


@dataclass
class ImportedAction:
    row: int
    fields: dict


@dataclass
class ImportedPriority:
    title: str
    area_code: str = ""
    area_row: int = 0
    actions: list[ImportedAction] = field(default_factory=list)


@dataclass
class PlanImportResult:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    plan: ImprovementPlan | None = None
    priorities: int = 0
    actions: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary(self) -> str:
        what = f"{self.priorities} priorities and {self.actions} actions"
        if self.plan is None:
            return f"The file is good: {what} would be imported."
        return f"Imported plan {self.plan.pk} '{self.plan.title}': {what}."


def _problem(result: PlanImportResult, problem: Problem) -> None:
    result.problem_count += 1
    if len(result.problems) < MAX_PROBLEMS_SHOWN:
        result.problems.append(problem)


def read_plan_rows(rows, *, inspection=None) -> tuple[list[ImportedPriority], PlanImportResult]:
    """Pass 1: read every row, collect every problem; return the priorities read."""
    result = PlanImportResult()
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise FileRefused(Problem("The file has no header row. The first row must name the columns."))
    _, header_cells = header
    aliases = {alias: name for name, names in IMPORT_COLUMNS.items() for alias in names}
    positions: dict[str, int] = {}
    for index, heading in enumerate(header_cells):
        name = aliases.get(_key(heading))
        if name and name not in positions:
            positions[name] = index
        elif cell_text(heading):
            result.ignored_columns.append(cell_text(heading))
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise FileRefused(Problem(MISSING_COLUMNS.format(names=" or ".join(missing))))

    users = {}
    for user in get_user_model().objects.filter(is_active=True):
        users[user.get_username().lower()] = user
        if user.email:
            users.setdefault(user.email.lower(), user)
    may_own = set(users_holding(ACTION_OWNER_PERMISSION).values_list("pk", flat=True))
    areas = {}
    if inspection is not None:
        areas = {a.code: a for a in inspection.framework.areas.all()}

    priorities: dict[str, ImportedPriority] = {}
    seen_data = False
    for number, cells in rows:
        seen_data = True

        def cell(name, cells=cells):
            index = positions.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        def bad(name, message, number=number):
            _problem(result, Problem(message, row=number, column=name))

        values: dict = {}
        for name, limit in (
            ("priority", MAX_LONG_TEXT),
            ("action", MAX_LONG_TEXT),
            ("lead_officer", 200),
            ("partner_agency", 200),
            ("success_measure", MAX_LONG_TEXT),
            ("indicator", 60),
            ("target", 200),
            ("audit_reference", 100),
            ("area", 60),
            ("owner", 200),
            ("status", 40),
        ):
            try:
                values[name] = short_text(cell(name), limit=limit)
            except CellError as exc:
                bad(name, str(exc))
                values[name] = ""
        for name in ("start_date", "due_date"):
            try:
                values[name] = parse_date(cell(name))
            except CellError as exc:
                bad(name, str(exc))
                values[name] = "error"
        for name in REQUIRED:
            if values[name] in ("", None):
                bad(name, REQUIRED_CELL)
        owner = None
        if values["owner"]:
            owner = users.get(values["owner"].lower())
            if owner is None:
                bad("owner", UNKNOWN_OWNER.format(value=values["owner"][:60]))
            elif owner.pk not in may_own:
                bad("owner", OWNER_CANNOT_REPORT.format(value=values["owner"][:60]))
                owner = None
        status = STATUS_WORDS.get(_key(values["status"]))
        if status is None:
            bad("status", UNKNOWN_STATUS.format(value=values["status"][:40]))
        start, due = values["start_date"], values["due_date"]
        if isinstance(start, dt.date) and isinstance(due, dt.date) and start > due:
            bad("start_date", START_AFTER_DUE)
        if values["area"]:
            if inspection is None:
                bad("area", AREA_NEEDS_INSPECTION)
            elif values["area"] not in areas:
                bad("area", UNKNOWN_AREA.format(value=values["area"][:60], framework=inspection.framework))
        title = values["priority"]
        if not title:
            continue
        priority = priorities.setdefault(title, ImportedPriority(title=title))
        if values["area"]:
            if priority.area_code and priority.area_code != values["area"]:
                bad(
                    "area",
                    AREA_DIFFERS.format(title=title[:40], first=priority.area_code, row=priority.area_row),
                )
            elif not priority.area_code:
                priority.area_code, priority.area_row = values["area"], number
        priority.actions.append(
            ImportedAction(
                row=number,
                fields={
                    "description": values["action"],
                    "owner": owner,
                    "lead_officer": values["lead_officer"],
                    "partner_agency": values["partner_agency"],
                    "start_on": start if isinstance(start, dt.date) else None,
                    "due_on": due if isinstance(due, dt.date) else None,
                    "status": status or Action.Status.NOT_STARTED,
                    "success_measure": values["success_measure"],
                    "indicator_code": values["indicator"],
                    "indicator_target": values["target"],
                    "source_audit_reference": values["audit_reference"],
                },
            )
        )
    if not seen_data:
        raise FileRefused(Problem("The file has a header row but no data rows."))
    result.priorities = len(priorities)
    result.actions = sum(len(p.actions) for p in priorities.values())
    for priority in priorities.values():
        priority.area = areas.get(priority.area_code)
    return list(priorities.values()), result


def plan_import(
    *,
    handle: BinaryIO,
    filename: str,
    title: str,
    source: str = ImprovementPlan.Source.INSPECTION,
    inspection=None,
    owner=None,
    user=None,
    dry_run: bool = False,
) -> PlanImportResult:
    """Read the whole file; if every row is good (and not a dry run) create the plan in one go."""
    from readiness.plans import services

    try:
        kind = check_file(handle, filename)
        priorities, result = read_plan_rows(iter_rows(handle, kind), inspection=inspection)
    except FileRefused as refused:
        result = PlanImportResult()
        for problem in refused.problems:
            _problem(result, problem)
        return result
    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        plan = services.plan_create(title=title, source=source, inspection=inspection, owner=owner, user=user)
        for order, imported in enumerate(priorities, start=1):
            recommendation = None
            if inspection is not None:
                recommendation = inspection.recommendations.filter(Q(text=imported.title)).first()
            priority = services.priority_create(
                plan=plan,
                order=order,
                title=imported.title,
                recommendation=recommendation,
                area=imported.area or (recommendation.area if recommendation else None),
                user=user,
            )
            for action in imported.actions:
                services.action_create(priority=priority, user=user, **action.fields)
    result.plan = plan
    return result
