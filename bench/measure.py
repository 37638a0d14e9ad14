"""One size's measurement: SQL queries per page (in-process), the multi-year summary
document, then the load of every page at each number of clients against a server."""

from __future__ import annotations

import math
import os
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from . import loadgen
from .pages import OpenReports, Page, Plan, build_plan, delete_sessions


@dataclass
class LoadSettings:
    clients: list[int] = field(default_factory=lambda: [1, 32])
    duration: float = 10.0
    warmup: float = 2.0
    capacity: int = 4  # requests the server works on at once (workers × threads)
    generator: str = "python"  # or "wrk"
    max_duration: float = 120.0

    def duration_for(self, clients: int, request_seconds: float) -> float:
        """Long enough for every client to get about three answers: a slow page at 32
        clients queues for several seconds, and a run shorter than the queue would only
        count the lucky first requests."""
        rounds = math.ceil(clients / max(1, self.capacity))
        return min(self.max_duration, max(self.duration, 3 * rounds * request_seconds))


def _preflight(base_url: str, plan: Plan, page: Page) -> dict:
    """One request by hand: the status must be the expected one (a redirect to the
    sign-in page means the session is not accepted)."""
    target = page.targets[0]
    job = plan.job_targets(page)[0]
    body = loadgen.body_for(job, 1)
    request = urllib.request.Request(
        base_url + target.path, data=body, method=page.method, headers=job["headers"]
    )
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    began = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as response:
            status, size = response.status, len(response.read())
    except urllib.error.HTTPError as error:
        status, size = error.code, len(error.read() or b"")
    return {"status": status, "ms": round((time.perf_counter() - began) * 1000, 1), "bytes": size}


def run_load(
    base_url: str,
    plan: Plan,
    settings: LoadSettings,
    log: Callable[[str], None] = print,
    drain: Callable[[], float] | None = None,
) -> dict[str, dict]:
    """Every page at every number of clients; a page whose preflight fails is not loaded.
    ``drain`` waits until the server has finished the requests a run left in flight."""
    out: dict[str, dict] = {}
    for page in plan.pages:
        if page.skipped:
            continue
        entry: dict = {"runs": {}}
        out[page.key] = entry
        opened = OpenReports(page) if page.method == "POST" else None
        try:
            if opened:
                opened.__enter__()
            entry["preflight"] = _preflight(base_url, plan, page)
            if entry["preflight"]["status"] != page.expected:
                entry["error"] = (
                    f"preflight status {entry['preflight']['status']}, expected {page.expected}"
                )
                log(f"  {page.key:<28} {entry['error']}")
                continue
            job = {
                "base_url": base_url,
                "method": page.method,
                "expected": page.expected,
                "targets": plan.job_targets(page),
            }
            if settings.warmup > 0:
                loadgen.run_job(
                    {**job, "clients": settings.capacity, "duration": settings.warmup},
                    settings.generator,
                )
                if drain:
                    drain()
            request_seconds = entry["preflight"]["ms"] / 1000
            for clients in settings.clients:
                duration = settings.duration_for(clients, request_seconds)
                result = loadgen.run_job(
                    {**job, "clients": clients, "duration": duration}, settings.generator
                )
                result["clients"] = clients
                if drain:
                    result["drain_s"] = round(drain(), 2)
                entry["runs"][str(clients)] = result
                log(
                    f"  {page.key:<28} c={clients:<3} {result['rps']:>8.1f} req/s  "
                    f"p50 {result['p50_ms']:>8.1f}  p95 {result['p95_ms']:>8.1f}  "
                    f"p99 {result['p99_ms']:>8.1f} ms  errors {result['errors']}"
                )
        except Exception:
            entry["error"] = traceback.format_exc()[-3000:]
            log(f"  {page.key:<28} failed: {entry['error'].splitlines()[-1]}")
        finally:
            if opened:
                opened.__exit__(None, None, None)
    return out


def measure(
    *,
    base_url: str | None,
    settings: LoadSettings,
    docs_format: str | None,
    start_server: Callable[[], object] | None = None,
    drain_server: Callable[[object], float] | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Measure the data in the current database. With ``start_server`` (returns an object
    with ``base_url`` and ``stop()``), the server is started after the in-process parts,
    so that they do not share the CPU with it."""
    from .docs import time_documents
    from .queries import count_queries

    plan = build_plan()
    for note in plan.notes:
        log(f"  note: {note}")
    result: dict = {
        "load_average_before": os.getloadavg(),
        "cluster": plan.cluster_code,
        "year": plan.year_label,
        "pages": [page.as_dict() for page in plan.pages],
        "notes": plan.notes,
    }
    try:
        log("SQL queries per page (test client, same database):")
        result["queries"] = count_queries(plan, log=log)
        if docs_format:
            log(f"Multi-year summary document ({docs_format}):")
            result["documents"] = time_documents(docs_format, log=log)
        else:
            result["documents"] = {"available": False, "note": "not measured (--docs none)"}
        server = start_server() if start_server else None
        try:
            url = server.base_url if server else base_url
            log(f"Load on {url} ({settings.generator}, {settings.duration:g} s per run):")
            drain = (lambda: drain_server(server)) if server and drain_server else None
            result["load"] = run_load(url, plan, settings, log=log, drain=drain)
        finally:
            if server:
                server.stop()
    finally:
        delete_sessions(plan)
        result["load_average_after"] = os.getloadavg()
    return result
