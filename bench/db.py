"""The harness's own PostgreSQL databases and the environment its Django processes run with.

Only databases whose names start with `readiness_bench` are ever created or dropped; the host,
port, user and password come from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), the
database named there is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/"
# BENCH_DB_PREFIX lets two harness runs share a server without dropping each other's databases;
# it must itself start with readiness_bench (the only names the harness may touch).
PREFIX = os.environ.get("BENCH_DB_PREFIX") or "readiness_bench"
if not PREFIX.startswith("readiness_bench") or not PREFIX.replace("_", "").isalnum():
    raise SystemExit(f"BENCH_DB_PREFIX must start with readiness_bench (letters, digits, _), not {PREFIX!r}")
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


class BenchError(RuntimeError):
    """A step of the harness failed; the message says which and why."""


@dataclass(frozen=True)
class Server:
    url: str  # postgres://user[:password]@host:port/ without a database name

    @classmethod
    def from_env(cls, value: str | None) -> Server:
        parts = urlsplit(value or DEFAULT_URL)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise BenchError(
                f"DATABASE_URL must be a PostgreSQL URL for the benchmark (got scheme {parts.scheme!r}); "
                "unset it to use postgres://postgres@127.0.0.1:5432/"
            )
        return cls(urlunsplit(("postgres", parts.netloc or "postgres@127.0.0.1:5432", "/", "", "")))

    def db_url(self, name: str) -> str:
        return self.url.rstrip("/") + "/" + name

    def connect(self, name: str = "postgres"):
        import psycopg2

        parts = urlsplit(self.db_url(name))
        return psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname=name,
            connect_timeout=10,
        )


def _check_name(name: str) -> None:
    if not name.startswith(PREFIX) or not name.replace("_", "").isalnum():
        raise BenchError(f"refusing to touch database {name!r}: the harness only owns {PREFIX}*")


def recreate(server: Server, name: str, template: str | None = None) -> None:
    """DROP (forcing other sessions off) and CREATE database `name`, optionally from `template`."""
    _check_name(name)
    if template:
        _check_name(template)
    conn = server.connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if template:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def drop(server: Server, name: str) -> None:
    _check_name(name)
    conn = server.connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def django_env(db_url: str, **extra: str) -> dict[str, str]:
    """Production-like settings for the benchmark's Django processes (gunicorn and in-process).

    REDIS_URL is removed: Celery then runs tasks in-process (seeding must not queue tasks in a
    shared broker with no worker) and the cache is per-process memory.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "READ_DOT_ENV_FILE")}
    env.update(
        DJANGO_SETTINGS_MODULE="readiness.settings",
        DATABASE_URL=db_url,
        DEBUG="false",
        SECRET_KEY=BENCH_SECRET_KEY,
        STATIC_MANIFEST="false",
        REQUIRE_TWO_FACTOR="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run(cmd: list[str], *, env: dict, timeout: float, what: str) -> subprocess.CompletedProcess:
    """Run a command with a hard timeout; raise BenchError with the tail of its output on failure."""
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stderr or b"")[-800:] if isinstance(exc.stderr, bytes) else (exc.stderr or "")[-800:]
        raise BenchError(f"{what} timed out after {timeout:.0f} s. {tail}") from None
    if done.returncode != 0:
        output = done.stderr or done.stdout or ""
        print(output[-3000:], file=sys.stderr)
        raise BenchError(f"{what} failed (exit {done.returncode}): {last_line(output)}")
    done.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def last_line(output: str) -> str:
    """The last non-blank line of a process's output: for a traceback, the exception itself."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def manage(args: list[str], *, env: dict, timeout: float, what: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env=env, timeout=timeout, what=what)
