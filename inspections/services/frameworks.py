"""Writes of the framework library: uploading a framework file."""

from __future__ import annotations

import re
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from django.db import transaction
from simple_history.signals import pre_create_historical_record

from inspections import framework_files
from inspections.framework_sync import framework_definition, frameworks_sync
from inspections.models import Framework, Inspection
from inspections.selectors import inspection_label, working_calendar
from inspections.services._common import User, _enqueue_recompute
from inspections.services.framework_changes import (
    ChangeGroup,
    InspectionImpact,
    Lookups,
    change_groups,
    milestone_moves,
    milestone_snapshot,
)
from inspections.services.milestones import milestones_compute

# ---------------------------------------------------------------------------
# Uploading a framework file (the framework library)
# ---------------------------------------------------------------------------
# The same validator (`framework_files.load_file`) and writer (`framework_sync.frameworks_sync`) as
# `load_frameworks`: an upload is checked, then synced once inside a savepoint that is rolled back
# (the preview, field by field: `framework_changes`), then synced for real when the user confirms.

FRAMEWORK_UPLOADED = "Uploaded through the framework library"  # history change reason
FRAMEWORK_SCALE_DIFFERS = (
    "{name}:{line}: grade scale '{code}' differs from the one with the same code used by {users}; "
    "give a changed scale a new code"
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class _Preview(Exception):
    """Raised inside the preview's savepoint to roll it back, carrying what the sync did."""

    def __init__(self, results, impacts=None):
        self.results = results
        self.impacts = impacts
        super().__init__("preview")


@dataclass
class FrameworkUploadPreview:
    """What confirming an uploaded file would change."""

    code: str
    name: str
    version: int
    previous_version: int | None
    state: str  # framework_sync.CREATED, UPDATED or UNCHANGED
    changes: list[str] = field(default_factory=list)
    milestone_rules_changed: bool = False
    inspection_count: int = 0
    area_count: int = 0
    milestone_rule_count: int = 0
    # Field by field, for the confirmation page (bookkeeping such as the file checksum left out).
    groups: list[ChangeGroup] = field(default_factory=list)
    # Every inspection whose deadlines confirming would work out again, with the dates that move;
    # None when not asked for (`with_milestones`) or when the milestone rules do not change.
    impacts: list[InspectionImpact] | None = None

    @property
    def nothing_changes(self) -> bool:
        """True when confirming would change nothing anyone can see (at most the file's checksum)."""
        return not self.is_new and not self.groups

    @property
    def moved_impacts(self) -> list[InspectionImpact]:
        """The inspections whose deadlines would move."""
        return [i for i in self.impacts or () if i.moves]

    @property
    def kept_count(self) -> int:
        """How many inspections worked out again would keep every date."""
        return self.inspection_count - len(self.moved_impacts)

    @property
    def is_new(self) -> bool:
        return self.previous_version is None

    @property
    def is_new_version(self) -> bool:
        return self.previous_version is not None and self.version > self.previous_version

    @property
    def is_older_version(self) -> bool:
        return self.previous_version is not None and self.version < self.previous_version


def _upload_name(name: str) -> str:
    return _SAFE_NAME.sub("_", PurePath(name or "framework.yaml").name) or "framework.yaml"


@contextmanager
def _uploaded_definition(*, name: str, content: bytes):
    """Validate one uploaded framework file with `load_frameworks`' validator; yield its definition.

    The file sits in a temporary directory under its own (sanitised) name for the block, so the
    sync records its checksum as `load_frameworks` does. Raise FrameworkFileError whose problems
    read "file:line: message" with the uploaded file's name. Also refuse a grade scale that has
    the code of a loaded scale but other grades (the check `load_frameworks` makes across files).
    """
    file_name = _upload_name(name)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / file_name
        path.write_bytes(content)
        try:
            definition = framework_files.load_file(path)
        except framework_files.FrameworkFileError as exc:
            prefix = f"{path}:"
            problems = [
                file_name + ":" + p[len(prefix) :] if p.startswith(prefix) else p for p in exc.problems
            ]
            raise framework_files.FrameworkFileError(problems) from None
        scale = definition.grade_scale
        if scale is not None:
            users = Framework.objects.filter(grade_scale__code=scale.code).exclude(code=definition.code)
            others = [f for f in users if framework_definition(f).grade_scale != scale]
            if others:
                text = content.decode("utf-8")
                line = next(
                    (i for i, row in enumerate(text.splitlines(), 1) if row.startswith("grade_scale:")), 1
                )
                codes = ", ".join(sorted(f.code for f in others))
                raise framework_files.FrameworkFileError(
                    [FRAMEWORK_SCALE_DIFFERS.format(name=file_name, line=line, code=scale.code, users=codes)]
                )
        yield definition


def framework_file_check(*, name: str, content: bytes) -> framework_files.FrameworkDef:
    """Validate an uploaded framework file; return its definition or raise FrameworkFileError."""
    with _uploaded_definition(name=name, content=content) as definition:
        return replace(definition, path="")


def _get_inspections_model(name: str):
    from django.apps import apps

    return apps.get_model("inspections", name)


def _lookups(definition: framework_files.FrameworkDef, existing: Framework | None) -> Lookups:
    names = Lookups()
    if existing is not None:
        names.areas.update(existing.areas.values_list("code", "name"))
        if existing.grade_scale_id:
            names.grades.update(existing.grade_scale.grades.values_list("code", "label"))
    names.areas.update((a.code, a.name) for a in definition.areas)
    if definition.grade_scale is not None:
        names.grades.update((g.code, g.label) for g in definition.grade_scale.grades)
    return names


def _orders(definition: framework_files.FrameworkDef, existing: Framework | None, names: Lookups):
    if existing is None:
        return {}
    rules = dict(existing.milestone_rules.values_list("code", "name"))
    rules.update((m.code, m.name) for m in definition.milestones)
    return {
        "area": (
            list(existing.areas.order_by("order").values_list("code", flat=True)),
            list(definition.area_codes),
            names.areas,
        ),
        "milestone rule": (
            list(existing.milestone_rules.order_by("order").values_list("code", flat=True)),
            [m.code for m in definition.milestones],
            rules,
        ),
    }


def _preview(
    definition: framework_files.FrameworkDef, *, with_milestones: bool = False
) -> FrameworkUploadPreview:
    """Sync `definition` inside a savepoint that is rolled back, and say what it did.

    With `with_milestones`, when the milestone rules change, also recompute (inside the same
    rolled-back savepoint, with the recompute task's own service) every inspection using the
    framework, to say whose deadlines would move and to what.
    """
    existing = Framework.objects.select_related("grade_scale").filter(code=definition.code).first()
    names = _lookups(definition, existing)
    orders = _orders(definition, existing, names)
    inspections = list(existing.inspections.select_related("framework").order_by("pk")) if existing else []
    labels = {i.pk: inspection_label(i) for i in inspections}
    before = {i.pk: milestone_snapshot(i.pk) for i in inspections} if with_milestones else {}
    try:
        with transaction.atomic():
            results = frameworks_sync([definition], get_model=_get_inspections_model)
            impacts = None
            if with_milestones and inspections and _rules_changed(results[0].changes):
                calendar = working_calendar()
                impacts = []
                for inspection in inspections:
                    milestones_compute(inspection=inspection, calendar=calendar)
                    moves = milestone_moves(before[inspection.pk], milestone_snapshot(inspection.pk))
                    impacts.append(
                        InspectionImpact(
                            inspection_id=inspection.pk, label=labels[inspection.pk], moves=moves
                        )
                    )
            raise _Preview(results, impacts)
    except _Preview as preview:
        result, impacts = preview.results[0], preview.impacts
    return FrameworkUploadPreview(
        code=definition.code,
        name=definition.name,
        version=definition.version,
        previous_version=existing.version if existing else None,
        state=result.state,
        changes=list(result.changes),
        milestone_rules_changed=_rules_changed(result.changes),
        inspection_count=len(inspections),
        area_count=len(definition.areas),
        milestone_rule_count=len(definition.milestones),
        groups=change_groups(result.items, names=names, orders=orders),
        impacts=impacts,
    )


def _rules_changed(changes: list[str]) -> bool:
    return any(c.startswith("milestone rule ") for c in changes)


def framework_upload_preview(
    *, name: str, content: bytes, with_milestones: bool = False
) -> FrameworkUploadPreview:
    """Check an uploaded file and say what confirming it would change; write nothing.

    With `with_milestones`, also say which inspections' deadlines would move (slower: it
    recomputes them in a rolled-back savepoint). Raise FrameworkFileError (bad file) or
    FrameworkSyncError (e.g. it drops an area in use).
    """
    with _uploaded_definition(name=name, content=content) as definition:
        return _preview(definition, with_milestones=with_milestones)


@contextmanager
def _history_by(user: User | None, reason: str):
    """Give the history rows written in this thread, inside the block, `user` and `reason`."""
    thread = threading.get_ident()

    def stamp(sender, history_instance, **kwargs):
        if threading.get_ident() == thread:
            if user is not None:
                history_instance.history_user = user
            history_instance.history_change_reason = reason

    pre_create_historical_record.connect(stamp, weak=False)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(stamp)


@transaction.atomic
def framework_upload_apply(*, name: str, content: bytes, user: User | None = None) -> FrameworkUploadPreview:
    """Check and save an uploaded framework file, all or nothing, with history by `user`.

    The framework's row is locked first, so two confirmations of the same file (a double submit)
    run one after the other: the second finds nothing to change and writes nothing (check
    `nothing_changes` on the result). When the milestone rules changed, every inspection using
    the framework has its milestones recomputed on commit (as when an inspection's dates change).
    """
    with _uploaded_definition(name=name, content=content) as definition:
        Framework.objects.select_for_update().filter(code=definition.code).first()
        preview = _preview(definition)
        if preview.nothing_changes:
            return preview
        with _history_by(user, FRAMEWORK_UPLOADED):
            frameworks_sync([definition], get_model=_get_inspections_model)
    if preview.milestone_rules_changed:
        for inspection_id in Inspection.objects.filter(framework__code=preview.code).values_list(
            "pk", flat=True
        ):
            _enqueue_recompute(inspection_id)
    return preview
