"""Start and stop the app under gunicorn on the bench database (one size's schema)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def server_env(*, schema: str, database_url: str, broker_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "DATABASE_URL": database_url,
            "BENCH_SCHEMA": schema,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    else:
        env.pop("CELERY_BROKER_URL", None)
    return env


def start_gunicorn(
    *,
    port: int,
    workers: int,
    threads: int,
    env: dict[str, str],
    log_path: Path,
    ready_path: str = "/__bench__/floor/",
) -> Server:
    """Serve the app with gunicorn on 127.0.0.1:``port`` and wait until it answers."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        # Long requests are measured, not killed (gunicorn's default would cut at 30 s).
        "--timeout=120",
        "--graceful-timeout=10",
        "--log-level=warning",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base_url = f"http://127.0.0.1:{port}"
    server = Server(process=process, base_url=base_url, log_path=log_path)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(base_url + ready_path, timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer on {base_url}:\n{server.log_tail()}")


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _children_cpu_ticks(parent: int) -> int:
    """CPU time (clock ticks) used so far by the direct children of ``parent``."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_idle(server: Server, *, active_queries, timeout: float = 300.0) -> float:
    """Wait until the server has finished what a load generator left in flight (wrk stops
    at the end of its duration without waiting for the answers): the workers use no CPU
    and the database runs no query, twice in a row. Returns the seconds waited."""
    began = time.monotonic()
    quiet = 0
    last = _children_cpu_ticks(server.process.pid)
    while time.monotonic() - began < timeout:
        time.sleep(0.25)
        now = _children_cpu_ticks(server.process.pid)
        busy = now - last > 2 or active_queries() > 0
        last = now
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            break
    return time.monotonic() - began
