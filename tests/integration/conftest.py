"""A real Celery worker (and beat) against the real test database and Redis.

These tests need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); `.ci/run` provides both. On a
developer machine without them they are skipped with the reason; under CI=true they fail instead.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

from tests.integration.faults import broker_at, private_postgres, private_redis  # noqa: E402,F401


def _requirements_missing() -> str | None:
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    if connection.vendor != "postgresql":
        return "DATABASE_URL is not PostgreSQL"
    return None


@pytest.fixture(scope="session")
def _services(django_db_setup, django_db_blocker):
    reason = _requirements_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Integration tests must run in CI: {reason}")
        pytest.skip(reason)


def _worker_env(**extra: str) -> dict:
    from django.db import connection

    settings_dict = connection.settings_dict
    user = settings_dict["USER"] or "postgres"
    auth = f"{user}:{settings_dict['PASSWORD']}@" if settings_dict["PASSWORD"] else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    url = f"postgres://{auth}{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env.setdefault("SECRET_KEY", "integration-test-worker-secret-key-0123456789")
    env.update(extra)
    return env


def _start(args: list[str], log_path: Path, **extra_env: str) -> subprocess.Popen:
    log = log_path.open("ab")
    return subprocess.Popen(  # noqa: S603 - fixed argument list of our own
        [sys.executable, "-m", "celery", "-A", "readiness", *args],
        cwd=ROOT,
        env=_worker_env(**extra_env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def celery_worker_process(_services, tmp_path_factory):
    """Start `celery -A readiness worker` once for the session and wait until it answers a ping."""
    from readiness.celery import app

    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    process = _start(["worker", "-l", "info", "--concurrency=1", "-n", "ci-worker@%h"], log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited early:\n{log_path.read_text()[-4000:]}")
        if app.control.ping(timeout=1):
            break
    else:
        _stop(process)
        pytest.fail(f"The Celery worker did not answer within 60 s:\n{log_path.read_text()[-4000:]}")
    process.log_path = log_path
    yield process
    _stop(process)


@pytest.fixture
def start_beat(_services, tmp_path):
    """Start `celery -A readiness beat` for one test; stopped afterwards."""
    processes = []

    def _beat() -> subprocess.Popen:
        process = _start(
            ["beat", "-l", "info", "--schedule", str(tmp_path / "beat-schedule")], tmp_path / "beat.log"
        )
        processes.append(process)
        return process

    yield _beat
    for process in processes:
        _stop(process)


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.25):
    """Poll `predicate` until it returns something truthy; return it, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {predicate.__name__}")
