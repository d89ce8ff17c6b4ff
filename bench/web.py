"""Over HTTP: gunicorn (2 sync workers, loopback), a real sign-in, sequential latency samples, wrk.

Every wait is bounded; `Gunicorn` is a context manager that always stops its process group.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from common import percentile
from db import ROOT, BenchError

WRK = "/usr/bin/wrk"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30

# Counts every non-2xx status per thread and prints the total (wrk's own counter lets 3xx through,
# and a lost session answers 302 to the sign-in page).
WRK_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("NON2XX %d\\n", total))
  for _, p in ipairs({50, 95, 99}) do io.write(string.format("P%d %f\\n", p, latency:percentile(p))) end
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(env) as server:` serves readiness.wsgi on a free loopback port."""

    def __init__(self, env: dict, workers: int = 2, start_timeout: float = 60) -> None:
        self.env, self.workers, self.start_timeout = env, workers, start_timeout
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self) -> Gunicorn:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        cmd = [gunicorn, "readiness.wsgi:application", "--workers", str(self.workers)]
        cmd += ["--worker-class", "sync", "--bind", f"{HOST}:{self.port}", "--timeout", "60"]
        cmd += ["--log-level", "warning", "--graceful-timeout", "5"]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited at start (code {self.proc.returncode}): {self.log_tail()}")
            try:
                status, _, _ = request(self.port, "GET", "/health/", timeout=5)
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise BenchError(f"gunicorn did not answer within {self.start_timeout:.0f} s: {self.log_tail()}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)

    def log_tail(self, chars: int = 1500) -> str:
        try:
            return Path(self.log.name).read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def request(port: int, method: str, path: str, *, headers=None, body=None, timeout=REQUEST_TIMEOUT):
    """One request on a fresh connection (sync gunicorn closes each). Returns (status, headers, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers, jar: dict) -> dict:
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                jar[key] = morsel.value
    return jar


def sign_in(port: int, username: str, password: str) -> str:
    """POST the sign-in form like a browser; return the Cookie header value of the signed-in session."""
    status, headers, body = request(port, "GET", "/sign-in/")
    if status != 200:
        raise BenchError(f"GET /sign-in/ answered {status}")
    jar = _cookies(headers, {})
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match or "csrftoken" not in jar:
        raise BenchError("the sign-in page has no CSRF token")
    form = urlencode(
        {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": username,
            "password": password,
            "next": "",
        }
    )
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = request(
        port,
        "POST",
        "/sign-in/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://{HOST}:{port}/sign-in/",
            "Origin": f"http://{HOST}:{port}",
        },
    )
    jar = _cookies(headers, jar)
    if status != 302 or "sessionid" not in jar:
        raise BenchError(f"signing in as {username!r} failed (status {status}, cookies {sorted(jar)})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def latency_samples(port: int, paths: dict[str, str], cookie: str, warmup: int, samples: int) -> dict:
    """Warm up, then time `samples` GETs of each path, interleaved so drift hits all pages alike."""
    headers = {"Cookie": cookie}
    for key, path in paths.items():
        for _ in range(warmup):
            status, _, _ = request(port, "GET", path, headers=headers)
        if status != 200:
            raise BenchError(f"signed-in GET {path} ({key}) answered {status}, not 200")
    times = {key: [] for key in paths}
    statuses = {key: {} for key in paths}
    for _ in range(samples):
        for key, path in paths.items():
            started = time.perf_counter()
            status, _, _ = request(port, "GET", path, headers=headers)
            times[key].append((time.perf_counter() - started) * 1000.0)
            statuses[key][status] = statuses[key].get(status, 0) + 1
    return {
        key: {
            "path": paths[key],
            "n": len(values),
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
            "p99_ms": percentile(values, 99),
            "max_ms": max(values),
            "statuses": statuses[key],
        }
        for key, values in times.items()
    }


def parse_wrk(text: str) -> dict:
    """Pull requests/s, totals, errors and our Lua script's non-2xx count out of wrk's output."""
    out: dict = {"raw_tail": text[-1200:]}
    if m := re.search(r"Requests/sec:\s*([\d.]+)", text):
        out["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in ([\d.]+)(\w+)", text):
        out["requests"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        out["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True)
        )
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        out["non_2xx_or_3xx"] = int(m.group(1))
    if m := re.search(r"^NON2XX (\d+)$", text, re.M):
        out["non_2xx"] = int(m.group(1))
    for p in (50, 95, 99):
        if m := re.search(rf"^P{p} ([\d.]+)$", text, re.M):
            out[f"p{p}_ms"] = float(m.group(1)) / 1000.0  # wrk reports microseconds
    return out


def run_wrk(port: int, path: str, cookie: str, seconds: int, connections: int = 20, threads: int = 2) -> dict:
    if not os.access(WRK, os.X_OK):
        raise BenchError(f"{WRK} not found (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_LUA)
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    cmd += ["-H", f"Cookie: {cookie}", "-s", script.name, f"http://{HOST}:{port}{path}"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk on {path} did not finish within {seconds + 30} s") from None
    finally:
        os.unlink(script.name)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {path}: {done.stderr[-500:]}")
    result = parse_wrk(done.stdout)
    result.update(path=path, seconds=seconds, connections=connections, threads=threads)
    if "rps" not in result:
        raise BenchError(f"could not read wrk's output for {path}: {done.stdout[-500:]}")
    return result


def load_pair(port: int, paths: dict[str, str], cookie: str, seconds: int) -> dict:
    """wrk on each page twice in A-B-B-A order, so a busy spell on the machine hits both alike.

    Returns per page: mean requests/s of its two runs, summed non-2xx and socket errors, each run.
    """
    (a, path_a), (b, path_b) = paths.items()
    runs: dict[str, list[dict]] = {a: [], b: []}
    for key, path in ((a, path_a), (b, path_b), (b, path_b), (a, path_a)):
        runs[key].append(run_wrk(port, path, cookie, seconds))
    out = {}
    for key, results in runs.items():
        errors: dict[str, int] = {}
        for result in results:
            for name, count in result.get("socket_errors", {}).items():
                errors[name] = errors.get(name, 0) + count
        out[key] = {
            "path": paths[key],
            "rps": sum(r["rps"] for r in results) / len(results),
            "non_2xx": sum(r.get("non_2xx", 0) for r in results),
            "socket_errors": errors,
            "runs": results,
        }
    return out
