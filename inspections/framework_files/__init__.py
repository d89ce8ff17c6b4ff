"""Load and validate the inspection framework data files in ``inspections/frameworks/``.

This package is pure: PyYAML and dataclasses, no Django. A management command syncs the parsed
result into the database; this package only reads, checks and describes the files.

Every problem found in a file is reported as ``"path:line: message"``. All problems in all files
are collected before anything is raised, so a caller either gets every framework or none.

Modules, by responsibility (import from the package, which re-exports the public names):

- ``definitions``: constants, ``FrameworkFileError`` and the frozen definition dataclasses
- ``yaml_lines``: the SafeLoader that records line numbers and duplicate keys
- ``parsing``: reading typed values and building sources, grade scales, areas and themes
- ``validation``: cross-checks: the area tree and its cycles, grade and area references,
  rules, limits_overall and milestones
- ``loading``: ``load_file`` and ``load_dir``, with the cross-file checks
- ``dumping``: ``to_dict`` and ``dump_yaml``
- ``judgements``: ``judgements_check`` and ``Problem``
"""

from .definitions import (
    ANCHORS,
    AREA_KINDS,
    CONVENTIONS,
    FRAMEWORK_KINDS,
    FRAMEWORKS_DIR,
    OVERALL,
    RULE_KINDS,
    SCHEMA_VERSION,
    STATUSES,
    UNITS,
    AreaDef,
    ConditionDef,
    FrameworkDef,
    FrameworkFileError,
    GradeDef,
    GradeScaleDef,
    MilestoneRuleDef,
    RuleDef,
    SourceDef,
    ThemeDef,
)
from .definitions import RULE_MESSAGE_FIELDS as RULE_MESSAGE_FIELDS
from .dumping import dump_yaml, to_dict
from .judgements import Problem, judgements_check
from .loading import load_dir, load_file

__all__ = [
    "ANCHORS",
    "AREA_KINDS",
    "CONVENTIONS",
    "FRAMEWORKS_DIR",
    "FRAMEWORK_KINDS",
    "OVERALL",
    "RULE_KINDS",
    "SCHEMA_VERSION",
    "STATUSES",
    "UNITS",
    "AreaDef",
    "ConditionDef",
    "FrameworkDef",
    "FrameworkFileError",
    "GradeDef",
    "GradeScaleDef",
    "MilestoneRuleDef",
    "Problem",
    "RuleDef",
    "SourceDef",
    "ThemeDef",
    "dump_yaml",
    "judgements_check",
    "load_dir",
    "load_file",
    "to_dict",
]
