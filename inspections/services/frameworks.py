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
from inspections.services._common import User, _enqueue_recompute

# ---------------------------------------------------------------------------
# Uploading a framework file (the framework library)
# ---------------------------------------------------------------------------
# The same validator (`framework_files.load_file`) and writer (`framework_sync.frameworks_sync`) as
# `load_frameworks`: an upload is checked, then synced once inside a savepoint that is rolled back
# (the preview), then synced for real when the user confirms.

FRAMEWORK_UPLOADED = "Uploaded through the framework library"  # history change reason
FRAMEWORK_SCALE_DIFFERS = (
    "{name}:{line}: grade scale '{code}' differs from the one with the same code used by {users}; "
    "give a changed scale a new code"
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class _Preview(Exception):
    """Raised inside the preview's savepoint to roll it back, carrying what the sync did."""

    def __init__(self, results):
        self.results = results
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


def framework_upload_preview(*, name: str, content: bytes) -> FrameworkUploadPreview:
    """Check an uploaded file and say what confirming it would change; write nothing.

    Raise FrameworkFileError (bad file) or FrameworkSyncError (e.g. it drops an area in use).
    """
    with _uploaded_definition(name=name, content=content) as definition:
        existing = Framework.objects.filter(code=definition.code).first()
        try:
            with transaction.atomic():
                raise _Preview(frameworks_sync([definition], get_model=_get_inspections_model))
        except _Preview as preview:
            result = preview.results[0]
    return FrameworkUploadPreview(
        code=definition.code,
        name=definition.name,
        version=definition.version,
        previous_version=existing.version if existing else None,
        state=result.state,
        changes=list(result.changes),
        milestone_rules_changed=any(c.startswith("milestone rule ") for c in result.changes),
        inspection_count=existing.inspections.count() if existing else 0,
        area_count=len(definition.areas),
        milestone_rule_count=len(definition.milestones),
    )


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

    When its milestone rules changed, every inspection using the framework has its milestones
    recomputed on commit (as when an inspection's dates change).
    """
    preview = framework_upload_preview(name=name, content=content)
    with (
        _uploaded_definition(name=name, content=content) as definition,
        _history_by(user, FRAMEWORK_UPLOADED),
    ):
        frameworks_sync([definition], get_model=_get_inspections_model)
    if preview.milestone_rules_changed:
        for inspection_id in Inspection.objects.filter(framework__code=preview.code).values_list(
            "pk", flat=True
        ):
            _enqueue_recompute(inspection_id)
    return preview
