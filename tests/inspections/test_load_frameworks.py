"""`load_frameworks` and `frameworks`: idempotent, all-or-nothing, one line per framework."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections import framework_files
from inspections.models import Framework, Grade, JudgementArea, MilestoneRule
from tests.factories.inspections import framework

pytestmark = pytest.mark.django_db

TRACKED = (Framework, Grade, JudgementArea, MilestoneRule)


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in TRACKED}


@pytest.fixture
def files(tmp_path):
    """A writable copy of the shipped framework files."""
    target = tmp_path / "frameworks"
    shutil.copytree(framework_files.FRAMEWORKS_DIR, target)
    return target


def test_the_data_migration_loaded_every_shipped_framework():
    framework("ilacs-2023")
    shipped = {fd.code for fd in framework_files.load_dir()}
    assert set(Framework.objects.values_list("code", flat=True)) == shipped
    sif = Framework.objects.get(code="sif-2013")
    assert sif.is_graded and sif.grade_scale.code == "ofsted-4-ri"
    assert list(sif.grade_scale.grades.values_list("code", flat=True)) == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    adoption = sif.areas.get(code="adoption")
    assert adoption.parent.code == "children_in_care" and adoption.depth == 2
    assert sif.areas.get(code="leaders").limits_overall
    assert sif.rules[0]["kind"] == "limiting"
    assert not Framework.objects.get(code="ilacs-2026").areas.filter(code="overall").exists()
    assert not Framework.objects.get(code="jtai").is_graded


def test_load_frameworks_twice_changes_nothing_and_adds_no_history():
    framework()
    before = history_counts()
    out, err = run("load_frameworks")
    assert err == ""
    assert out.splitlines()[-1] == "10 frameworks: 0 created, 0 updated, 10 unchanged"
    assert history_counts() == before


def test_load_frameworks_updates_a_changed_file_and_records_it(files):
    framework()
    sif_file = files / "sif-2013.yaml"
    text = sif_file.read_text()
    sif_file.write_text(
        text.replace("name: Leadership, management and governance", "name: Leadership and governance")
    )
    before = history_counts()
    out, _ = run("load_frameworks", "--path", str(files), "-v", "2")
    assert "sif-2013: updated (framework updated, area leaders updated)" in out
    assert "ilacs-2023: unchanged" in out
    leaders = JudgementArea.objects.get(framework__code="sif-2013", code="leaders")
    assert leaders.name == "Leadership and governance"
    assert leaders.history.first().history_type == "~"
    assert history_counts()["JudgementArea"] == before["JudgementArea"] + 1
    assert history_counts()["Framework"] == before["Framework"] + 1  # its checksum moved
    # ...and loading the changed files again is a no-op.
    assert run("load_frameworks", "--path", str(files))[0].splitlines()[-1].endswith("10 unchanged")


def test_load_frameworks_with_a_bad_file_prints_every_problem_and_loads_nothing(files):
    Framework.objects.all().delete()
    bad = files / "sif-2013.yaml"
    bad.write_text(bad.read_text().replace("max_grade: inadequate}", "max_grade: awful}"))
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("load_frameworks", "--path", str(files), stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "nothing was loaded" in str(exc.value)
    lines = err.getvalue().splitlines()
    assert f"{bad}:100: rule 'then' refers to unknown grade 'awful'" in "\n".join(lines)
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert Framework.objects.count() == 0


def test_load_frameworks_leaves_existing_rows_alone_when_a_new_file_is_bad(files):
    framework()
    (files / "new-framework.yaml").write_text("code: new-framework\nname: [unclosed\n")
    before = history_counts()
    with pytest.raises(CommandError):
        call_command("load_frameworks", "--path", str(files), stdout=StringIO(), stderr=StringIO())
    assert not Framework.objects.filter(code="new-framework").exists()
    assert history_counts() == before


def test_frameworks_lists_one_line_per_framework():
    framework()
    out, _ = run("frameworks")
    lines = out.splitlines()
    assert len(lines) == Framework.objects.count()
    sif = next(line for line in lines if line.startswith("sif-2013 "))
    assert sif.split()[1] == "v1"
    assert "Single inspection of local authority children's services (SIF)" in sif
    assert "2013-11-01 – 2017-12-31" in sif
    assert sif.endswith("graded  6 areas  7 milestone rules")
    jtai = next(line for line in lines if line.startswith("jtai "))
    assert "2016-02-01 – now" in jtai and "ungraded" in jtai and jtai.endswith("2 milestone rules")


def test_frameworks_says_how_to_load_when_none_are_loaded():
    Framework.objects.all().delete()
    assert run("frameworks")[0] == "No frameworks loaded. Run: python manage.py load_frameworks\n"
