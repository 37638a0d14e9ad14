"""Load generators, each run as a separate process on 127.0.0.1: ``wrk`` when it is
installed (``apt-get install wrk``), else a small pure-Python closed-loop generator (this
module's ``__main__``), which needs nothing beyond the standard library and is what the
smoke test uses.

A *job* is one measurement: ``clients`` connections, each sending its next request as soon
as the previous answer arrived, for ``duration`` seconds. Its requests rotate over
``targets`` (one for a page; several reports for the report submission), each with its
path, headers and, for a POST, a form whose score fields get new values on every request
(so that every POST really writes). An answer with another status than ``expected`` is an
error (a 302 to the sign-in page is not a success).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

WRK_TIMEOUT = "60s"


def score_value(request_number: int, index: int, max_cents: int) -> str:
    """The value of the ``index``-th score field in request number ``request_number``."""
    cents = (request_number * 37 + index * 13) % (max_cents + 1)
    return f"{cents // 100}.{cents % 100:02d}"


def body_for(target: dict, request_number: int) -> bytes | None:
    form = target.get("form")
    if form is None:
        return None
    parts = [form] if form else []
    for index, (name, max_cents) in enumerate(target.get("scores") or [], start=1):
        parts.append(f"{name}={score_value(request_number, index, max_cents)}")
    return "&".join(parts).encode("ascii")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[rank]


# --- the pure-Python generator ------------------------------------------------------------------


def run_python(job: dict) -> dict:
    """Run ``job`` here with one thread per client (call it in its own process)."""
    split = urlsplit(job["base_url"])
    host, port = split.hostname, split.port or 80
    clients, duration = int(job["clients"]), float(job["duration"])
    targets, expected, method = job["targets"], int(job["expected"]), job["method"]
    deadline_box: list[float] = []
    start_barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    totals = {"bytes": 0}

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        own_latencies, own_errors, own_bytes = [], {}, 0
        request_number = number * 7
        start_barrier.wait()
        deadline = deadline_box[0]
        while time.perf_counter() < deadline:
            request_number += 1
            target = targets[request_number % len(targets)]
            body = body_for(target, request_number)
            headers = dict(target.get("headers") or {})
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            began = time.perf_counter()
            try:
                connection.request(method, target["path"], body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                kind = type(error).__name__
                own_errors[kind] = own_errors.get(kind, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
                continue
            elapsed = time.perf_counter() - began
            if time.perf_counter() > deadline:
                break  # finished after the end: not counted (like wrk)
            own_latencies.append(elapsed)
            own_bytes += len(payload)
            if response.status != expected:
                key = f"status {response.status}"
                own_errors[key] = own_errors.get(key, 0) + 1
        connection.close()
        with lock:
            latencies.extend(own_latencies)
            for key, value in own_errors.items():
                errors[key] = errors.get(key, 0) + value
            totals["bytes"] += own_bytes

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline_box.append(started + duration)
    start_barrier.wait()
    for thread in threads:
        thread.join(duration + 120)
    elapsed = time.perf_counter() - started
    latencies.sort()
    unexpected = sum(v for k, v in errors.items() if k.startswith("status"))
    return _result(
        generator="python",
        requests=len(latencies),
        seconds=elapsed,
        latencies_ms=[value * 1000 for value in latencies],
        errors=sum(errors.values()),
        error_kinds=errors,
        bytes_read=totals["bytes"],
        unexpected=unexpected,
    )


def _result(
    *,
    generator: str,
    requests: int,
    seconds: float,
    latencies_ms: list[float] | None = None,
    p50: float | None = None,
    p95: float | None = None,
    p99: float | None = None,
    mean: float | None = None,
    maximum: float | None = None,
    errors: int,
    error_kinds: dict,
    bytes_read: int,
    unexpected: int,
) -> dict:
    if latencies_ms is not None:
        p50 = percentile(latencies_ms, 0.50)
        p95 = percentile(latencies_ms, 0.95)
        p99 = percentile(latencies_ms, 0.99)
        mean = sum(latencies_ms) / len(latencies_ms) if latencies_ms else 0.0
        maximum = latencies_ms[-1] if latencies_ms else 0.0
    return {
        "generator": generator,
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 2) if seconds else 0.0,
        "p50_ms": round(p50 or 0.0, 2),
        "p95_ms": round(p95 or 0.0, 2),
        "p99_ms": round(p99 or 0.0, 2),
        "mean_ms": round(mean or 0.0, 2),
        "max_ms": round(maximum or 0.0, 2),
        "errors": errors,
        "error_kinds": error_kinds,
        "unexpected_status": unexpected,
        "bytes": bytes_read,
    }


def run_python_process(job: dict) -> dict:
    """Run the pure-Python generator in a separate process (``python -m bench.loadgen``)."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.loadgen"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=_project_root(),
        timeout=float(job["duration"]) + 300,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"load generator failed: {completed.stderr.strip()[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- wrk ---------------------------------------------------------------------------------------


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if not path:
        return ""
    completed = subprocess.run([path, "-v"], capture_output=True, text=True)
    match = re.search(r"wrk\s+(\S+)", completed.stdout + completed.stderr)
    return f"wrk {match.group(1)}" if match else "wrk"


def _lua_string(value: str) -> str:
    if not value.isascii():
        raise ValueError(f"Non-ASCII value in a wrk script: {value!r}")
    return json.dumps(value)  # JSON string escapes are valid Lua for ASCII text


WRK_SCRIPT = """
local targets = {targets}
local method = {method}
local expected = {expected}
local threads = {{}}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  n = tid * 7
end

local function body_for(t, k)
  if t.form == nil then return nil end
  local parts = {{}}
  if t.form ~= "" then parts[1] = t.form end
  for i, s in ipairs(t.scores) do
    local c = (k * 37 + i * 13) % (s[2] + 1)
    parts[#parts + 1] = string.format("%s=%d.%02d", s[1], math.floor(c / 100), c % 100)
  end
  return table.concat(parts, "&")
end

function request()
  n = n + 1
  local t = targets[(n % #targets) + 1]
  local headers = {{}}
  for k, v in pairs(t.headers) do headers[k] = v end
  local body = body_for(t, n)
  if body ~= nil then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(method, t.path, headers, body)
end

function response(status, headers, body)
  if status ~= expected then bad = bad + 1 end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, t in ipairs(threads) do unexpected = unexpected + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {{\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"connect\\":%d," ..
    "\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"unexpected\\":%d," ..
    "\\"p50\\":%d,\\"p95\\":%d,\\"p99\\":%d,\\"mean\\":%d,\\"max\\":%d}}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, unexpected, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), math.floor(latency.mean), latency.max))
end
"""


def wrk_script(job: dict) -> str:
    entries = []
    for target in job["targets"]:
        headers = ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}"
            for k, v in (target.get("headers") or {}).items()
        )
        fields = [f"path = {_lua_string(target['path'])}", f"headers = {{{headers}}}"]
        if target.get("form") is not None:
            scores = ", ".join(
                f"{{{_lua_string(name)}, {int(max_cents)}}}"
                for name, max_cents in target.get("scores") or []
            )
            fields.append(f"form = {_lua_string(target['form'])}")
            fields.append(f"scores = {{{scores}}}")
        entries.append("{" + ", ".join(fields) + "}")
    return WRK_SCRIPT.format(
        targets="{\n  " + ",\n  ".join(entries) + "\n}",
        method=_lua_string(job["method"]),
        expected=int(job["expected"]),
    )


def run_wrk(job: dict) -> dict:
    clients = int(job["clients"])
    duration = max(1, round(float(job["duration"])))
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        script = os.path.join(folder, "job.lua")
        with open(script, "w", encoding="ascii") as handle:
            handle.write(wrk_script(job))
        command = [
            wrk_path() or "wrk",
            f"--threads={min(clients, int(job.get('wrk_threads', 2)))}",
            f"--connections={clients}",
            f"--duration={duration}s",
            f"--timeout={WRK_TIMEOUT}",
            f"--script={script}",
            job["base_url"].rstrip("/") + job["targets"][0]["path"],
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 300)
    line = next(
        (x for x in completed.stdout.splitlines() if x.startswith("BENCHJSON ")),
        None,
    )
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {(completed.stderr or completed.stdout)[-2000:]}")
    data = json.loads(line[len("BENCHJSON ") :])
    kinds = {key: data[key] for key in ("connect", "read", "write", "timeout") if data[key]}
    if data["unexpected"]:
        kinds["unexpected status"] = data["unexpected"]
    return _result(
        generator="wrk",
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50=data["p50"] / 1000,
        p95=data["p95"] / 1000,
        p99=data["p99"] / 1000,
        mean=data["mean"] / 1000,
        maximum=data["max"] / 1000,
        errors=sum(kinds.values()),
        error_kinds=kinds,
        bytes_read=data["bytes"],
        unexpected=data["unexpected"],
    )


def run_job(job: dict, generator: str) -> dict:
    """Run one measurement with ``generator`` (``wrk`` or ``python``), in its own process."""
    if generator == "wrk":
        return run_wrk(job)
    return run_python_process(job)


def choose_generator(requested: str) -> str:
    if requested == "auto":
        return "wrk" if wrk_path() else "python"
    if requested == "wrk" and not wrk_path():
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --loadgen python")
    return requested


def _project_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


if __name__ == "__main__":
    print(json.dumps(run_python(json.loads(sys.stdin.read()))))
