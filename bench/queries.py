"""SQL queries per page, counted in-process with Django's test client against the same
database (after one warm-up request, so that per-process caches do not count).

For each page the queries are also grouped by their shape (literals replaced by ``?``):
when a page needs more queries at a larger size, the shapes whose count grew name the
repeated query.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .pages import OpenReports, Page, Plan

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_LIST = re.compile(r"\((?:\s*(?:\?|%s)\s*,)+\s*(?:\?|%s)\s*\)")


def shape(sql: str) -> str:
    """The query with its literals replaced: the same query for another row is equal."""
    text = _STRING.sub("?", sql)
    text = _NUMBER.sub("?", text)
    text = _LIST.sub("(…)", text)
    return re.sub(r"\s+", " ", text).strip()


def _client(plan: Plan, persona) -> Client:
    client = Client(raise_request_exception=False)
    for key, value in (persona.cookies(plan.csrf) if persona else {}).items():
        client.cookies[key] = value
    return client


def _post_data(target, variant: int) -> dict:
    """The POST's fields; another ``variant`` gives other values (so that it writes)."""
    data = dict(target.form or {})
    for index, (name, max_cents) in enumerate(target.scores, start=1):
        cents = (index * 13 + 5 + variant * 37) % (max_cents + 1)
        data[name] = f"{cents // 100}.{cents % 100:02d}"
    return data


def _request(client: Client, page: Page, variant: int):
    target = page.targets[0]
    if page.method == "POST":
        return client.post(target.path, _post_data(target, variant))
    return client.get(target.path)


def count_page(plan: Plan, page: Page) -> dict:
    target = page.targets[0]
    client = _client(plan, target.persona)
    _request(client, page, 0)  # warm-up: template loading, per-process caches
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        response = _request(client, page, 1)
        elapsed = time.perf_counter() - began
    shapes = Counter(shape(q["sql"]) for q in captured.captured_queries)
    result = {
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
        "wall_ms": round(elapsed * 1000, 1),
        "bytes": len(response.content),
        "shapes": dict(shapes.most_common()),
        "slowest": [
            {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]}
            for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        ],
    }
    if response.status_code != page.expected:
        result["error"] = f"status {response.status_code}, expected {page.expected}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        result["error"] = "".join(traceback.format_exception(*exc_info))[-3000:]
    return result


def count_queries(plan: Plan, log=print) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for page in plan.pages:
        if page.skipped:
            continue
        try:
            if page.method == "POST":
                with OpenReports(page):
                    out[page.key] = count_page(plan, page)
            else:
                out[page.key] = count_page(plan, page)
        except Exception:
            out[page.key] = {"error": traceback.format_exc()[-3000:], "queries": None}
        info = out[page.key]
        log(
            f"  {page.key:<28} {info.get('queries')!s:>5} queries  "
            f"{info.get('wall_ms', '—')!s:>8} ms  status {info.get('status', '—')}"
        )
    return out
