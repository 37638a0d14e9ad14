"""The run's tables (Markdown, so that they can be pasted into the README) and its flags:
pages whose query count grows with the data, pages whose p95 at the highest number of
clients is above ten times the floor's, pages with errors."""

from __future__ import annotations

from collections.abc import Iterable

FLOOR = "floor"
SLOW_FACTOR = 10
TIME_GROWTH = 2  # a page twice as slow at the large size (one client) is named


def _table(headers: list[str], rows: Iterable[list], align: str = "") -> str:
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    align = align or "l" + "r" * (len(headers) - 1)

    def line(cells):
        return (
            "| "
            + " | ".join(
                c.ljust(w) if a == "l" else c.rjust(w)
                for c, w, a in zip(cells, widths, align, strict=False)
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2))
            for w, a in zip(widths, align, strict=False)
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _titles(run: dict) -> dict[str, str]:
    titles = {}
    for size in run["sizes"].values():
        for page in size.get("result", {}).get("pages", []):
            titles.setdefault(page["key"], page["title"])
    return titles


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def load_table(run: dict) -> str:
    titles = _titles(run)
    rows = []
    for key, title in titles.items():
        for size_name, size in run["sizes"].items():
            load = size.get("result", {}).get("load", {})
            entry = load.get(key)
            floor_runs = load.get(FLOOR, {}).get("runs", {})
            if entry is None:
                continue
            if entry.get("error") and not entry.get("runs"):
                rows.append([title, size_name, "—", "—", "—", "—", "—", "—", "—", "error", "—"])
                continue
            for clients, result in entry["runs"].items():
                floor = floor_runs.get(clients, {}).get("p95_ms")
                ratio = f"{result['p95_ms'] / floor:,.1f}×" if floor and key != FLOOR else "—"
                rows.append(
                    [
                        title,
                        size_name,
                        clients,
                        _fmt(result["requests"]),
                        _fmt(result["seconds"], 0),
                        _fmt(result["rps"]),
                        _fmt(result["p50_ms"]),
                        _fmt(result["p95_ms"]),
                        _fmt(result["p99_ms"]),
                        _fmt(result["errors"]),
                        ratio,
                    ]
                )
    return _table(
        [
            "page",
            "size",
            "clients",
            "requests",
            "s",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "p95 ÷ floor",
        ],
        rows,
        align="llrrrrrrrrr",
    )


def query_table(run: dict) -> str:
    titles = _titles(run)
    sizes = list(run["sizes"])
    rows = []
    for key, title in titles.items():
        counts, times = [], []
        for size_name in sizes:
            info = run["sizes"][size_name].get("result", {}).get("queries", {}).get(key)
            counts.append(info.get("queries") if info else None)
            times.append(info.get("wall_ms") if info else None)
        known = [c for c in counts if c is not None]
        note = "grows" if len(set(known)) > 1 else ""
        rows.append([title, *(_fmt(c) for c in counts), *(_fmt(t) for t in times), note])
    headers = ["page", *(f"queries {s}" for s in sizes), *(f"1 request ms {s}" for s in sizes), ""]
    return _table(headers, rows, align="l" + "r" * (2 * len(sizes)) + "l")


def documents_table(run: dict) -> str:
    rows = []
    for size_name, size in run["sizes"].items():
        docs = size.get("result", {}).get("documents") or {}
        if not docs.get("available"):
            rows.append([size_name, docs.get("note", "not available"), "—", "—", "—", "—"])
            continue
        if docs.get("error"):
            rows.append([size_name, "error: " + docs["error"].splitlines()[-1], "—", "—", "—", "—"])
            continue
        for scope in ("one_cluster", "all_clusters"):
            item = docs.get(scope)
            if not item:
                continue
            rows.append(
                [
                    size_name,
                    f"{scope.replace('_', ' ')} ({docs['format']}, {docs.get('years')} years)",
                    _fmt(item["documents"]),
                    _fmt(item["seconds"], 2),
                    _fmt(item["max_seconds"], 2),
                    _fmt(item["peak_mib"]),
                ]
            )
    return _table(
        ["size", "multi-year summary", "documents", "seconds", "max s/document", "peak MiB"],
        rows,
        align="llrrrr",
    )


def flags(run: dict) -> list[str]:
    """The closing notes: what the issue asks to fix or name."""
    out = []
    titles = _titles(run)
    sizes = list(run["sizes"])
    for key, title in titles.items():
        infos = [run["sizes"][s].get("result", {}).get("queries", {}).get(key) for s in sizes]
        counts = [i.get("queries") if i else None for i in infos]
        if len({c for c in counts if c is not None}) > 1:
            grown = _grown_shapes(infos[0], infos[-1])
            detail = "; ".join(f"{a}→{b}× {sql[:160]}" for sql, a, b in grown[:3])
            out.append(
                f"QUERIES GROW: {title}: "
                + ", ".join(f"{s} {c}" for s, c in zip(sizes, counts, strict=True))
                + (f" (repeated: {detail})" if detail else "")
            )
        medians = [
            run["sizes"][s].get("result", {}).get("load", {}).get(key, {}).get("runs", {}).get("1")
            for s in sizes
        ]
        if len(sizes) > 1 and medians[0] and medians[-1] and key != FLOOR:
            small, big = medians[0]["p50_ms"], medians[-1]["p50_ms"]
            if big > TIME_GROWTH * small and big - small > 20:
                out.append(
                    f"TIME GROWS: {title}: p50 at 1 client {small:,.0f} ms at {sizes[0]}, "
                    f"{big:,.0f} ms at {sizes[-1]} (same queries: the work per row grows)"
                    if counts[0] == counts[-1]
                    else f"TIME GROWS: {title}: p50 at 1 client {small:,.0f} ms at {sizes[0]}, "
                    f"{big:,.0f} ms at {sizes[-1]}"
                )
        for size_name in sizes:
            result = run["sizes"][size_name].get("result", {})
            info = result.get("queries", {}).get(key) or {}
            if info.get("error"):
                out.append(
                    f"ERROR (queries) {title} at {size_name}: {info['error'].splitlines()[-1]}"
                )
            entry = result.get("load", {}).get(key) or {}
            if entry.get("error"):
                out.append(
                    f"ERROR (load) {title} at {size_name}: {entry['error'].splitlines()[-1]}"
                )
            runs = entry.get("runs", {})
            for clients, item in runs.items():
                if item["errors"]:
                    out.append(
                        f"ERRORS {title} at {size_name}, {clients} clients: {item['errors']} "
                        f"{item.get('error_kinds')}"
                    )
            if key == FLOOR or not runs:
                continue
            top = max(runs, key=int)
            floor = result.get("load", {}).get(FLOOR, {}).get("runs", {}).get(top, {}).get("p95_ms")
            p95 = runs[top]["p95_ms"]
            if floor and p95 > SLOW_FACTOR * floor:
                out.append(
                    f"SLOW: {title} at {size_name}, {top} clients: p95 {p95:,.0f} ms = "
                    f"{p95 / floor:,.0f}× the floor ({floor:,.1f} ms)"
                )
    for size_name in sizes:
        for note in run["sizes"][size_name].get("result", {}).get("notes", []):
            out.append(f"SKIPPED at {size_name}: {note}")
    return out


def _grown_shapes(small: dict | None, big: dict | None) -> list[tuple[str, int, int]]:
    a = (small or {}).get("shapes", {})
    b = (big or {}).get("shapes", {})
    grown = [(sql, a.get(sql, 0), n) for sql, n in b.items() if n > a.get(sql, 0)]
    return sorted(grown, key=lambda item: item[2] - item[1], reverse=True)


def _load(size: dict) -> str:
    result = size.get("result", {})
    before, after = result.get("load_average_before"), result.get("load_average_after")
    if not before or not after:
        return "?"
    return f"{before[0]:.1f} before, {after[0]:.1f} after"


def render(run: dict) -> str:
    meta = run["meta"]
    lines = [
        f"# Benchmark {meta['date']}",
        "",
        f"Machine: {meta['machine']}. PostgreSQL {meta['postgresql']}, Python "
        f"{meta['python']}, Django {meta['django']}; gunicorn {meta['server']}; load by "
        f"{meta['load_generator']} on 127.0.0.1 (a separate process), closed loop, "
        f"{meta['duration_s']:g} s per run at least (longer for a slow page, so that each "
        f"client gets about three answers), after a {meta['warmup_s']:g} s warm-up; "
        "load average "
        + ", ".join(f"{name} {_load(size)}" for name, size in run["sizes"].items())
        + ".",
        "",
        "Sizes:",
    ]
    for size_name, size in run["sizes"].items():
        p = size["preset"]
        gen = size.get("generation") or {}
        rows = gen.get("rows", {})
        lines.append(
            f"- {size_name}: {p['clusters']} clusters × {p['schools']} schools × {p['years']} "
            f"years × {p['criteria']} criteria — {rows.get('evaluations.CrossScore', 0):,} "
            f"cross scores, {rows.get('evaluations.SelfScore', 0):,} self-scores "
            f"(generated in {gen.get('total_seconds', '?')} s)"
        )
    lines += [
        "",
        "## Requests",
        "",
        load_table(run),
        "",
        "## SQL queries per request (and one request's time, in-process)",
        "",
        query_table(run),
        "",
        "## Multi-year summary document",
        "",
        documents_table(run),
        "",
        "## Closing notes",
        "",
    ]
    notes = run.get("flags") or []
    lines += [f"- {note}" for note in notes] or ["- nothing to report"]
    return "\n".join(lines) + "\n"
