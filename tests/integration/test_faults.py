"""Faults on the real stack: a worker killed mid-render, Redis down and back, PostgreSQL restarted,
an import killed halfway. Each checks that nothing is lost and nothing is done twice."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from readiness.models import Report
from tests.integration.conftest import ROOT, _start, _stop, wait_for

pytestmark = [pytest.mark.fault, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _big_plan(priorities: int = 12, actions: int = 14):
    from tests.factories.plans import ActionFactory, PlanFactory, PriorityFactory

    plan = PlanFactory(title="Fault-test plan")
    for p in range(priorities):
        priority = PriorityFactory(plan=plan, title=f"Priority {p + 1}: practice with families")
        for _ in range(actions):
            ActionFactory(priority=priority, description="Audit supervision records and act on findings " * 3)
    return plan


def _admin():
    from readiness import roles
    from tests.conftest import make_user

    return make_user(roles.ADMINISTRATOR)


def _report_files(media_root: Path) -> list[Path]:
    return sorted((media_root / "reports").rglob("*.pdf")) if (media_root / "reports").exists() else []


def _worker(tmp_path: Path, name: str, redis_url: str, media_root: Path, **env: str) -> subprocess.Popen:
    return _start(
        ["worker", "-l", "info", "--concurrency=1", "-n", f"{name}@%h"],
        tmp_path / f"{name}.log",
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(media_root),
        **env,
    )


def _wait_ready(process, log: Path, redis_url: str, timeout: float = 60) -> None:
    from celery import Celery

    probe = Celery(broker=redis_url, set_as_current=False)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"worker exited:\n{log.read_text()[-3000:]}")
            if probe.control.ping(timeout=1):
                return
        pytest.fail(f"worker did not answer:\n{log.read_text()[-3000:]}")
    finally:
        probe.close()


def test_worker_killed_mid_render_produces_the_report_exactly_once(
    private_redis, broker_at, settings, tmp_path
):
    from readiness.reports.services import report_request

    media = Path(settings.MEDIA_ROOT)
    broker_at(private_redis.url)
    plan = _big_plan()
    first = _worker(tmp_path, "doomed", private_redis.url, media, CELERY_VISIBILITY_TIMEOUT="5")
    try:
        _wait_ready(first, tmp_path / "doomed.log", private_redis.url)
        report = report_request(kind="improvement-plan", parameters={"plan": plan.pk}, user=_admin())

        def running():
            report.refresh_from_db()
            return report.status == Report.Status.RUNNING

        wait_for(running, timeout=30, interval=0.02)
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool child, mid-render
        first.wait(timeout=10)
    finally:
        _stop(first)
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING, "the render finished before the kill; make the plan bigger"
    assert _report_files(media) == []

    time.sleep(6)  # past the visibility timeout: Redis gives the unacknowledged message back
    second = _worker(tmp_path, "rescuer", private_redis.url, media, CELERY_VISIBILITY_TIMEOUT="5")
    try:

        def ready():
            report.refresh_from_db()
            return report.status == Report.Status.READY

        wait_for(ready, timeout=90)
    finally:
        _stop(second)
    assert Report.objects.count() == 1
    files = _report_files(media)
    assert len(files) == 1, files
    reader = PdfReader(files[0])
    assert len(reader.pages) == report.pages > 1
    assert "Fault-test plan" in reader.pages[0].extract_text()


def test_redis_down_keeps_the_request_and_it_completes_when_redis_is_back(
    private_redis, broker_at, settings, tmp_path, client
):
    from readiness import roles
    from readiness.reports.services import BROKER_DOWN_NOTE, reports_requeue_stale
    from tests.conftest import make_user
    from tests.factories.inspections import Ilacs2019Factory

    media = Path(settings.MEDIA_ROOT)
    broker_at(private_redis.url)
    Ilacs2019Factory()
    client.force_login(make_user(roles.BOARD_MEMBER))
    private_redis.stop()

    assert client.get("/board/").status_code == 200  # pages still render
    assert client.get("/health/").json()["broker"] == "unreachable"
    response = client.post("/reports/new/", {"kind": "board-summary"}, follow=True)
    assert response.status_code == 200
    assert BROKER_DOWN_NOTE.split(".")[0] in response.content.decode()
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED

    private_redis.start()
    worker = _worker(tmp_path, "after-outage", private_redis.url, media)
    try:
        _wait_ready(worker, tmp_path / "after-outage.log", private_redis.url)
        # What beat's sweeper does every minute, run now with the clock a few minutes on.
        assert reports_requeue_stale(now=timezone.now() + timezone.timedelta(minutes=5)) == [report.pk]

        def ready():
            report.refresh_from_db()
            return report.status == Report.Status.READY

        wait_for(ready, timeout=60)
    finally:
        _stop(worker)
    assert len(_report_files(media)) == 1


def test_a_task_queued_before_a_redis_restart_still_runs(private_redis, settings, tmp_path):
    import redis
    from celery import Celery

    from readiness.tasks import report_render
    from tests.factories.inspections import Ilacs2019Factory

    media = Path(settings.MEDIA_ROOT)
    Ilacs2019Factory()
    report = Report.objects.create(kind="board-summary", requested_by=_admin())
    # Publish on a connection of its own to this test's Redis (no pooled connections involved).
    with (
        Celery(broker=private_redis.url, set_as_current=False) as sender,
        sender.connection_for_write() as connection,
    ):
        report_render.apply_async(args=[report.pk], connection=connection)
    queue = redis.Redis.from_url(private_redis.url)
    assert queue.llen("celery") == 1  # the message waits in Redis; no worker is running
    private_redis.stop()
    private_redis.start()  # the append-only file is replayed
    assert queue.llen("celery") == 1
    worker = _worker(tmp_path, "after-restart", private_redis.url, media)
    try:

        def ready():
            report.refresh_from_db()
            return report.status == Report.Status.READY

        wait_for(ready, timeout=60)
    finally:
        _stop(worker)
    assert len(_report_files(media)) == 1


# Requests go through Django's real WSGI handler (not the test Client, which skips the
# request_started handling where persistent connections are health-checked).
POSTGRES_RESTART_SCRIPT = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User
    from django.core.wsgi import get_wsgi_application
    from django.test import Client, RequestFactory
    user = User.objects.create_user("pm", password="x" * 20)
    user.groups.add(Group.objects.get(name="Performance manager"))
    signed_in = Client()
    signed_in.force_login(user)
    cookie = "sessionid=" + signed_in.cookies["sessionid"].value
    application = get_wsgi_application()

    def get(path):
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie)
        status = []
        body = application(environ, lambda line, headers, exc_info=None: status.append(line))
        b"".join(body)
        body.close()
        return status[0].split()[0]

    print("before", get("/casework/children/"), flush=True)
    sys.stdin.readline()  # the test restarts PostgreSQL here
    print("after", get("/casework/children/"), flush=True)
    """
)


def test_the_first_request_after_a_postgresql_restart_succeeds(private_postgres, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
        "DATABASE_URL": private_postgres["url"],
        "CONN_MAX_AGE": "60",
        "SECRET_KEY": "fault-test-secret-key-0123456789abcdefghijklmnop",
        "REDIS_URL": "",
        "REQUIRE_TWO_FACTOR": "false",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_MANIFEST": "false",
    }
    errors_file = (tmp_path / "stderr.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", POSTGRES_RESTART_SCRIPT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors_file,  # a file, not a pipe: a full pipe would block the child
        text=True,
    )
    try:
        before = process.stdout.readline().split()
        if before == ["before", "200"]:
            private_postgres["ctl"]("restart", "-m", "fast")
            process.stdin.write("go\n")
            process.stdin.flush()
            after = process.stdout.readline().split()
        else:
            after = None
    finally:
        process.kill()
        process.wait(timeout=30)
        errors_file.close()
    errors = (tmp_path / "stderr.log").read_text()
    assert before == ["before", "200"], errors[-3000:]
    assert after == ["after", "200"], errors[-3000:]


def _case_rows(n: int) -> str:
    lines = [
        "child_id,date_of_birth,gender,ethnicity,disability,uasc,cohort,episode_start,episode_end,"
        "legal_status,placement_type,placement_in_area,placement_start,placement_end,event_type,event_date,event_value"
    ]
    for i in range(n):
        day = 1 + i % 28
        lines.append(
            f"K{i:06d},03/2015,Male,WBRI,no,no,child_in_need,{day:02d}/01/2024,,,,,,,referral,{day:02d}/01/2024,"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.usefixtures("_services")
def test_an_import_killed_halfway_saves_nothing(tmp_path):
    from casework.models import Child, Event

    path = tmp_path / "big.csv"
    path.write_text(_case_rows(150000))
    from tests.integration.conftest import _worker_env

    env = _worker_env(LOG_LEVEL="ERROR")
    command = [sys.executable, "manage.py", "import_cases", str(path)]
    started = time.monotonic()
    dry = subprocess.run(
        [*command, "--dry-run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )  # noqa: S603
    assert dry.returncode == 0, dry.stdout + dry.stderr
    full_run = time.monotonic() - started

    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    time.sleep(full_run * 0.5)
    assert process.poll() is None, "the import finished before it could be killed"
    process.kill()
    process.wait(timeout=30)
    assert Child.objects.count() == 0
    assert Event.objects.count() == 0
    assert Child.history.count() == 0
