"""Redis and a Celery worker for the PDF-job metrics (reliability.md P8, P9).

The render tasks go to a queue of their own (`QUEUE`) on the Redis database REDIS_URL names, so
nothing else using that database takes them and purging it touches nothing else. `CeleryWorker`
is a context manager that always stops its process group.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from db import ROOT, BenchError, django_env

QUEUE = "readiness-bench-jobs"


def redis_url() -> str | None:
    """REDIS_URL from the environment the harness was started with, or None."""
    return os.environ.get("REDIS_URL") or None


def jobs_env(db_url: str, work: Path, redis: str | None = None) -> dict[str, str]:
    """db.django_env for these steps: report files under the work directory, the cache in process
    memory like every other step, and, opted in here only, REDIS_URL (django_env removes it so
    that seeding runs its tasks in-process), which makes Celery send tasks to Redis."""
    extra = {"MEDIA_ROOT": str(work / "media"), "CACHE_IN_REDIS": "false"}
    if redis:
        extra["REDIS_URL"] = redis
    return django_env(db_url, **extra)


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001 - turned into a readable step failure
        raise BenchError(f"Redis at REDIS_URL does not answer: {exc}") from None


def purge_queue(url: str, queue: str = QUEUE, *, forget: bool = False) -> int:
    """Delete every message of `queue` (waiting, and unacknowledged ones); return how many.

    `forget` also deletes kombu's records of the queue's binding, and of the worker's control
    mailbox once no worker has one (at the end of the run).
    """
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)
    removed = 0
    # kombu keeps a queue as a list named after it, plus one list per priority step.
    for key in client.scan_iter(match=f"{queue}*", count=500):
        if key.decode() == queue or key.decode().startswith(f"{queue}\x06\x16"):
            removed += client.llen(key)
            client.delete(key)
    for tag, payload in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(payload)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
            removed += 1
    if forget:
        client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        if not client.exists("_kombu.binding.celery.pidbox"):  # no worker left: drop its expiry entry
            client.zrem("_kombu.binding_deadlines", "celery.pidbox")
    return removed


class CeleryWorker:
    """`with CeleryWorker(env) as worker:` runs `celery -A readiness worker` (prefork, one process)
    on `QUEUE` until the block ends; stopped with SIGTERM, then SIGKILL, always."""

    def __init__(self, env: dict, log_dir: Path, queue: str = QUEUE, stop_timeout: float = 15) -> None:
        self.env, self.queue, self.stop_timeout = env, queue, stop_timeout
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the work directory
            prefix="bench-celery-", suffix=".log", dir=log_dir, delete=False
        )

    def __enter__(self) -> CeleryWorker:
        celery = str(Path(sys.executable).with_name("celery"))
        cmd = [celery, "-A", "readiness", "worker", "--pool", "prefork", "--concurrency", "1"]
        cmd += ["--queues", self.queue, "--hostname", f"bench-jobs-{os.getpid()}@%h", "--loglevel", "info"]
        cmd += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        time.sleep(0.5)
        if self.proc.poll() is not None:
            raise BenchError(
                f"the Celery worker exited at start (code {self.proc.returncode}): {self.log_tail()}"
            )
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, self.stop_timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, chars: int = 1500) -> str:
        self.log.flush()
        try:
            return Path(self.log.name).read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"
