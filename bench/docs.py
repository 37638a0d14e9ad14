"""Time and peak memory of the multi-year summary document (báo cáo tổng kết nhiều năm),
built and rendered as the documents worker does it, for one cluster and for every cluster.

Each document is made twice: once timed, once under ``tracemalloc`` for the peak of Python
allocations (tracemalloc slows the code down, so it is not timed). "All clusters" is one
document per cluster, one after the other, as one worker would produce them: its time is
the sum, its peak the highest.
"""

from __future__ import annotations

import time
import traceback
import tracemalloc


def _tools():
    """The documents app's builder and renderer, or None when it does not exist (yet)."""
    try:
        from documents import content
        from documents.dates import vietnamese_date_line
        from documents.enums import DocumentKind
        from documents.layout import Issue
        from documents.render import render

        kind = DocumentKind.MULTI_YEAR_SUMMARY
        content.BUILDERS[kind]  # noqa: B018 - only checks that the builder exists
    except (ImportError, AttributeError, KeyError):
        return None
    return content, vietnamese_date_line, kind, Issue, render


def _produce(tools, cluster_id: int, fmt: str) -> int:
    from django.utils import timezone

    from cluster.models import EmulationYear

    content, vietnamese_date_line, kind, issue_class, render = tools
    years = list(EmulationYear.objects.filter(cluster_id=cluster_id).order_by("start_date"))
    params = {"first_year": years[0].pk, "last_year": years[-1].pk}
    document = content.build(kind, params)
    issue = issue_class(
        number_label="01/BC-BENCH",
        date_line=vietnamese_date_line(document.letterhead.place, timezone.localdate()),
    )
    return len(render(kind=kind, fmt=fmt, document=document, issue=issue, params=params))


def _measure(tools, cluster_ids: list[int], fmt: str) -> dict:
    timings = []
    size = 0
    for cluster_id in cluster_ids:
        began = time.perf_counter()
        size = _produce(tools, cluster_id, fmt)
        timings.append(time.perf_counter() - began)
    peak = 0
    for cluster_id in cluster_ids:
        tracemalloc.start()
        try:
            _produce(tools, cluster_id, fmt)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    return {
        "documents": len(cluster_ids),
        "seconds": round(sum(timings), 2),
        "max_seconds": round(max(timings), 2),
        "peak_mib": round(peak / 2**20, 1),
        "bytes_last": size,
    }


def time_documents(fmt: str, log=print) -> dict:
    from cluster.models import Cluster

    tools = _tools()
    if tools is None:
        return {"available": False, "note": "not available (no multi-year summary renderer)"}
    cluster_ids = list(
        Cluster.objects.filter(code__startswith="BC").order_by("code").values_list("pk", flat=True)
    )
    from cluster.models import EmulationYear

    years = EmulationYear.objects.filter(cluster_id__in=cluster_ids[:1]).count()
    out: dict = {"available": True, "format": fmt, "years": years}
    try:
        out["one_cluster"] = _measure(tools, cluster_ids[:1], fmt)
        log(f"  one cluster: {out['one_cluster']}")
        out["all_clusters"] = _measure(tools, cluster_ids, fmt)
        log(f"  all {len(cluster_ids)} clusters: {out['all_clusters']}")
    except Exception:
        out["error"] = traceback.format_exc()[-3000:]
        log(f"  failed: {out['error'].splitlines()[-1]}")
    return out
