"""Fixtures for the fault tests (imported by tests/integration/conftest.py).

Fault tests: kill and stop real services, then check nothing is lost or done twice.

They start their own Redis (and, for the restart test, their own PostgreSQL cluster) on spare
ports, so they never disturb the services other tests or developers use. Like the integration
tests they need DATABASE_URL (PostgreSQL) and REDIS_URL; `.ci/run` runs them.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server with append-only persistence on a spare loopback port."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(_services, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def broker_at(monkeypatch):
    """Point this process's Celery app at another broker for one test."""
    from readiness.celery import app

    def _point(url: str) -> None:
        monkeypatch.setitem(app.conf, "broker_url", url)
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        _forget_connections(app)

    yield _point
    _forget_connections(app)


def _forget_connections(app) -> None:
    """Drop the app's pooled broker connections, so the next publish connects to the new URL.

    Not `app.close()`: that also deregisters the app, and task modules imported afterwards would
    never register their tasks with it.
    """
    app._pool = None
    app.amqp._producer_pool = None


def postgres_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


@pytest.fixture
def private_postgres(_services):
    """A throwaway PostgreSQL cluster (initdb as the postgres user) on a spare port."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL server binaries are not installed")
    # pytest's own tmp folders are private to root; the postgres user needs a folder of its own.
    tmp_path = Path(tempfile.mkdtemp(prefix="readiness-fault-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(tmp_path, "postgres", "postgres")
    data = tmp_path / "pgdata"
    port = free_port()
    subprocess.run(  # noqa: S603
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp_path} -c fsync=off -c synchronous_commit=off"

    def ctl(*args: str) -> None:
        subprocess.run(  # noqa: S603
            [
                *as_postgres,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(tmp_path / "pg.log"),
                "-w",
                "-t",
                "30",
                "-o",
                options,
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    ctl("start")
    subprocess.run(  # noqa: S603
        ["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "fault"],
        check=True,
        capture_output=True,
        timeout=30,
    )
    yield {"url": f"postgres://postgres@127.0.0.1:{port}/fault", "ctl": ctl}
    ctl("stop", "-m", "fast")
    shutil.rmtree(tmp_path, ignore_errors=True)
