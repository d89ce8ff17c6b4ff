"""No silent bulk writes: QuerySet.update()/bulk_update()/bulk_create() skip history.

django-simple-history records changes made through save() and delete(). A queryset-level write on
a tracked model leaves no trace of who changed what, so each use must be on the allowlist below
with its reason (for example, simple_history's own bulk_create_with_history, which writes history).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("inspections", "casework", "readiness")
BULK_METHODS = {"update", "bulk_update", "bulk_create"}
QUERYSET_SOURCES = {"objects", "filter", "exclude", "all", "select_for_update", "select_related", "order_by"}

# "path:function" -> why it is safe.
ALLOWED: dict[str, str] = {}


def _is_queryset_write(node: ast.Call) -> bool:
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in BULK_METHODS):
        return False
    target = func.value
    if func.attr in {"bulk_update", "bulk_create"}:
        return True
    # x.objects.update(...) or x.objects.filter(...).update(...): a queryset, not a dict.
    if isinstance(target, ast.Attribute) and target.attr in QUERYSET_SOURCES:
        return True
    return (
        isinstance(target, ast.Call)
        and isinstance(target.func, ast.Attribute)
        and target.func.attr in QUERYSET_SOURCES
    )


def _bulk_writes():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and _is_queryset_write(node):
                        yield f"{path.relative_to(ROOT)}:{function.name}", node.lineno


def test_no_queryset_writes_bypass_history_unless_allowed():
    found = {f"{key} (line {line})" for key, line in _bulk_writes() if key not in ALLOWED}
    assert not found, (
        "These queryset-level writes skip django-simple-history. Save each row, use "
        "simple_history.utils.bulk_create_with_history/bulk_update_with_history, or add the "
        f"function to ALLOWED with a reason: {sorted(found)}"
    )


def test_the_guard_recognises_a_queryset_update():
    call = ast.parse("Child.objects.filter(pk=1).update(gender='male')").body[0].value
    assert _is_queryset_write(call)
    assert not _is_queryset_write(ast.parse("context.update(x=1)").body[0].value)
