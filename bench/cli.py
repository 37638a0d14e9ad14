"""``python -m bench``: generate sizes into the bench database and run the benchmark.

    python -m bench run [--preset national] [--clients 1,32] [--duration 10s] [--json FILE]
    python -m bench generate --preset demo|mid|national [--clusters N ...] [--force]
    python -m bench status
    python -m bench drop [--preset NAME | --all]

``run`` measures the demo size and the preset's size (generating them when they are
missing or out of date), each with its own gunicorn, and prints the tables; the JSON file
(default ``bench/results/<date>.json``) keeps everything for comparing runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import dbadmin
from .presets import PRESETS, get_preset

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_FILES = ("bench/generate.py", "bench/presets.py")
DEFAULT_PORT = 8111
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def log(message: str) -> None:
    print(message, flush=True)


def _seconds(text: str) -> float:
    text = text.strip().lower()
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    if text.endswith("s"):
        return float(text[:-1])
    if text.endswith("m"):
        return float(text[:-1]) * 60
    return float(text)


def _clients(text: str) -> list[int]:
    values = [int(x) for x in text.split(",") if x.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("clients: a comma-separated list of positive numbers")
    return values


def data_fingerprint() -> str:
    """Changes when a migration or the generator changes: the size is then generated again."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/[0-9]*.py")) + [ROOT / f for f in GENERATOR_FILES]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _django(schema: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    os.environ["DATABASE_URL"] = dbadmin.database_url()
    os.environ["BENCH_SCHEMA"] = schema
    import django

    django.setup()


def _preset_from(args, name: str | None = None):
    return get_preset(
        name or args.preset,
        clusters=args.clusters,
        schools=args.schools,
        years=args.years,
        criteria=args.criteria,
    )


def _expected_meta(preset, args) -> dict:
    return {
        "preset": preset.as_dict(),
        "seed": args.seed,
        "current_year": args.current_year or datetime.now().year,
        "fingerprint": data_fingerprint(),
    }


def _up_to_date(meta: dict | None, expected: dict) -> bool:
    return bool(meta) and all(meta.get(k) == v for k, v in expected.items())


# --- generate -------------------------------------------------------------------------------


def cmd_generate(args) -> int:
    preset = _preset_from(args)
    expected = _expected_meta(preset, args)
    if not dbadmin.server_available():
        log("PostgreSQL is not reachable on 127.0.0.1:5432 (BENCH_PG_HOST/PORT/USER).")
        return 2
    dbadmin.ensure_database()
    if not args.force and _up_to_date(dbadmin.read_meta(preset.schema), expected):
        log(f"{preset.name}: already generated (use --force to generate it again).")
        return 0
    started = time.monotonic()
    log(f"{preset.name}: {dbadmin.BENCH_DATABASE}.{preset.schema}, {preset.as_dict()}")
    dbadmin.reset_schema(preset.schema)
    _django(preset.schema)
    from django.core.management import call_command
    from django.db import connection

    from .generate import generate

    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic()
    log(f"  migrated in {migrated - started:.0f} s")
    stats = generate(preset, seed=args.seed, current_year=expected["current_year"], log=log)
    generated = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    finished = time.monotonic()
    meta = {
        **expected,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": stats["rows"],
        "migrate_seconds": round(migrated - started, 1),
        "generate_seconds": round(generated - migrated, 1),
        "vacuum_seconds": round(finished - generated, 1),
        "total_seconds": round(finished - started, 1),
    }
    with connection.cursor() as cursor:
        dbadmin.write_meta(cursor, meta)
    rows = stats["rows"]
    log(
        f"  generated in {meta['generate_seconds']} s (+ VACUUM ANALYZE "
        f"{meta['vacuum_seconds']} s), total {meta['total_seconds']} s: "
        f"{rows.get('evaluations.CrossScore', 0):,} cross scores, "
        f"{rows.get('evaluations.SelfScore', 0):,} self-scores, "
        f"{sum(rows.values()):,} rows"
    )
    return 0


# --- measure (one size, in its own process) --------------------------------------------------


def cmd_measure(args) -> int:
    preset = _preset_from(args)
    _django(preset.schema)
    from .loadgen import choose_generator
    from .measure import LoadSettings, measure
    from .server import server_env, start_gunicorn, wait_idle

    settings = LoadSettings(
        clients=args.clients,
        duration=_seconds(args.duration),
        warmup=_seconds(args.warmup),
        capacity=args.workers * args.threads,
        generator=choose_generator(args.loadgen),
    )
    env = server_env(
        schema=preset.schema, database_url=dbadmin.database_url(), broker_url=args.redis or None
    )

    def start():
        log(f"Starting gunicorn ({args.workers} workers × {args.threads} threads) on {args.port}")
        return start_gunicorn(
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            env=env,
            log_path=Path(tempfile.gettempdir()) / f"bench-gunicorn-{preset.name}.log",
        )

    result = measure(
        base_url=None,
        settings=settings,
        docs_format=None if args.docs == "none" else args.docs,
        start_server=start,
        drain_server=lambda server: wait_idle(server, active_queries=dbadmin.active_queries),
        log=log,
    )
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


# --- run ------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def _redis_ok(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


def _child(args, command: list[str]) -> int:
    return subprocess.run([sys.executable, "-m", "bench", *command], cwd=ROOT).returncode


def _override_args(args) -> list[str]:
    out = []
    for name in ("clusters", "schools", "years", "criteria"):
        value = getattr(args, name)
        if value is not None:
            out += [f"--{name}", str(value)]
    return out


def cmd_run(args) -> int:
    from . import loadgen

    if not dbadmin.server_available():
        log("PostgreSQL is not reachable on 127.0.0.1:5432 (BENCH_PG_HOST/PORT/USER).")
        return 2
    from .server import port_is_free

    if not port_is_free(args.port):
        log(f"Port {args.port} is busy: choose another with --port.")
        return 2
    generator = loadgen.choose_generator(args.loadgen)
    if args.redis and not _redis_ok(args.redis):
        log(f"Redis is not reachable at {args.redis}: Celery tasks run in-process.")
        args.redis = ""
    sizes = (
        args.sizes.split(",")
        if args.sizes
        else (["demo"] if args.preset == "demo" else ["demo", args.preset])
    )
    common = [
        "--seed",
        str(args.seed),
        *(["--current-year", str(args.current_year)] if args.current_year else []),
    ]
    started = datetime.now(UTC)
    import django
    import gunicorn

    run: dict = {
        "meta": {
            "date": started.strftime("%Y-%m-%d %H:%M UTC"),
            "machine": _machine(),
            "postgresql": dbadmin.server_version(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "server": f"{gunicorn.__version__}, {args.workers} workers × {args.threads} "
            f"thread(s), port {args.port}",
            "celery_broker": args.redis or "in-process (no broker)",
            "load_generator": loadgen.wrk_version() if generator == "wrk" else "python",
            "clients": args.clients,
            "duration_s": _seconds(args.duration),
            "warmup_s": _seconds(args.warmup),
            "command": " ".join(sys.argv),
        },
        "sizes": {},
    }
    for size_name in sizes:
        overrides = _override_args(args) if size_name == args.preset else []
        preset = get_preset(size_name, **_overrides_dict(args, size_name))
        log(f"\n=== {preset.name} ===")
        generate_cmd = ["generate", "--preset", size_name, *overrides, *common]
        if args.regenerate:
            generate_cmd.append("--force")
        if _child(args, generate_cmd) != 0:
            log(f"{preset.name}: generation failed")
            return 1
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        measure_cmd = [
            "_measure",
            "--preset",
            size_name,
            *overrides,
            *common,
            "--out",
            out,
            "--clients",
            ",".join(map(str, args.clients)),
            "--duration",
            args.duration,
            "--warmup",
            args.warmup,
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--port",
            str(args.port),
            "--loadgen",
            generator,
            "--docs",
            args.docs,
            "--redis",
            args.redis or "",
        ]
        code = _child(args, measure_cmd)
        result = json.loads(Path(out).read_text()) if code == 0 else {"error": f"exit {code}"}
        os.unlink(out)
        run["sizes"][preset.name] = {
            "preset": preset.as_dict(),
            "generation": dbadmin.read_meta(preset.schema),
            "result": result,
        }
    from .report import flags, render

    run["flags"] = flags(run)
    text = render(run)
    print("\n" + text, flush=True)
    path = (
        Path(args.json)
        if args.json
        else ROOT / "bench" / "results" / (started.strftime("%Y-%m-%d-%H%M") + ".json")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, ensure_ascii=False, indent=1))
    path.with_suffix(".md").write_text(text)
    log(f"Results: {path} (and {path.with_suffix('.md').name})")
    return 0


def _overrides_dict(args, size_name: str) -> dict:
    if size_name != args.preset:
        return {}
    return {k: getattr(args, k) for k in ("clusters", "schools", "years", "criteria")}


# --- status, drop ---------------------------------------------------------------------------


def cmd_status(args) -> int:
    if not dbadmin.server_available():
        log("PostgreSQL is not reachable.")
        return 2
    for name, preset in PRESETS.items():
        meta = dbadmin.read_meta(preset.schema)
        if meta:
            rows = meta.get("rows", {})
            log(
                f"{name:<9} generated {meta.get('generated_at')} in {meta.get('total_seconds')} s,"
                f" {rows.get('evaluations.CrossScore', 0):,} cross scores"
            )
        else:
            log(f"{name:<9} not generated")
    return 0


def cmd_drop(args) -> int:
    if args.all:
        dropped = dbadmin.drop_database()
        log(f"{dbadmin.BENCH_DATABASE}: {'dropped' if dropped else 'did not exist'}")
        return 0
    preset = _preset_from(args)
    dbadmin.drop_schema(preset.schema)
    log(f"{dbadmin.BENCH_DATABASE}.{preset.schema}: dropped")
    return 0


# --- arguments ------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    commands = main.add_subparsers(dest="command", required=True)

    def sizes(sub, default: str):
        sub.add_argument("--preset", default=default, choices=sorted(PRESETS))
        for name in ("clusters", "schools", "years", "criteria"):
            sub.add_argument(f"--{name}", type=int, default=None, help=f"override the {name}")
        sub.add_argument("--seed", type=int, default=2026)
        sub.add_argument(
            "--current-year", type=int, default=None, help="last year generated (default: now)"
        )

    def load(sub):
        sub.add_argument("--clients", type=_clients, default=[1, 32])
        sub.add_argument("--duration", default="10s", help="per page and number of clients")
        sub.add_argument("--warmup", default="2s", help="per page, before measuring")
        sub.add_argument("--workers", type=int, default=4)
        sub.add_argument("--threads", type=int, default=1, help="gunicorn --threads")
        sub.add_argument("--port", type=int, default=DEFAULT_PORT)
        sub.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
        sub.add_argument("--docs", choices=["pdf", "docx", "none"], default="pdf")
        sub.add_argument("--redis", default=DEFAULT_REDIS, help="Celery broker; '' for none")

    run = commands.add_parser("run", help="generate if needed, then measure")
    sizes(run, "national")
    load(run)
    run.add_argument("--sizes", default="", help="comma-separated presets (default: demo,PRESET)")
    run.add_argument("--json", default="", help="result file (default bench/results/<date>.json)")
    run.add_argument("--regenerate", action="store_true", help="generate even if up to date")
    run.set_defaults(handler=cmd_run)

    generate = commands.add_parser("generate", help="generate a size into the bench database")
    sizes(generate, "demo")
    generate.add_argument("--force", action="store_true")
    generate.set_defaults(handler=cmd_generate)

    measure = commands.add_parser("_measure", help=argparse.SUPPRESS)
    sizes(measure, "demo")
    load(measure)
    measure.add_argument("--out", required=True)
    measure.set_defaults(handler=cmd_measure)

    status = commands.add_parser("status", help="which sizes are generated")
    status.set_defaults(handler=cmd_status)

    drop = commands.add_parser("drop", help="drop a size (or the whole bench database)")
    sizes(drop, "demo")
    drop.add_argument("--all", action="store_true", help=f"drop {dbadmin.BENCH_DATABASE}")
    drop.set_defaults(handler=cmd_drop)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)
