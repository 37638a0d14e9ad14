"""The bench database: ``thidua_bench`` on the local PostgreSQL, one schema per size.

Only this database is ever created or dropped by the benchmark (never the default or the
test database): its name is a constant, not a setting. Each size (demo, mid, national…)
lives in its own schema (``size_<preset>``), so a generated size is kept between runs and
reused while its parameters are unchanged.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager

BENCH_DATABASE = "thidua_bench"
_SCHEMA = re.compile(r"^size_[a-z][a-z0-9_]{0,40}$")


def pg_params() -> dict:
    return {
        "host": os.environ.get("BENCH_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("BENCH_PG_PORT", "5432")),
        "user": os.environ.get("BENCH_PG_USER", "postgres"),
        "password": os.environ.get("BENCH_PG_PASSWORD", ""),
    }


def database_url() -> str:
    p = pg_params()
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{BENCH_DATABASE}"


def _check_schema(schema: str) -> str:
    if not _SCHEMA.match(schema):
        raise ValueError(f"Not a bench schema: {schema!r}")
    return schema


@contextmanager
def _connect(dbname: str):
    import psycopg2

    connection = psycopg2.connect(dbname=dbname, **pg_params())
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def server_available() -> bool:
    try:
        with _connect("postgres"):
            return True
    except Exception:
        return False


def ensure_database() -> bool:
    """Create the bench database when it is missing; True when it was created."""
    with _connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE])
        if cursor.fetchone():
            return False
        cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        return True


def drop_database() -> bool:
    """Drop the bench database (and every size in it)."""
    with _connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE])
        if not cursor.fetchone():
            return False
        cursor.execute(f'DROP DATABASE "{BENCH_DATABASE}" WITH (FORCE)')
        return True


def reset_schema(schema: str) -> None:
    """An empty schema for a size (dropping the previous one)."""
    schema = _check_schema(schema)
    with _connect(BENCH_DATABASE) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')


def drop_schema(schema: str) -> None:
    schema = _check_schema(schema)
    with _connect(BENCH_DATABASE) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def read_meta(schema: str) -> dict | None:
    """What ``generate`` recorded about the size in ``schema`` (None: not generated)."""
    schema = _check_schema(schema)
    try:
        with _connect(BENCH_DATABASE) as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = %s AND table_name = 'bench_meta'",
                [schema],
            )
            if not cursor.fetchone():
                return None
            cursor.execute(f'SELECT value FROM "{schema}".bench_meta WHERE key = %s', ["meta"])
            row = cursor.fetchone()
    except Exception:
        return None
    if not row:
        return None
    value = row[0]
    return value if isinstance(value, dict) else json.loads(value)


def write_meta(cursor, meta: dict) -> None:
    """Record the size's parameters (inside the schema, through Django's cursor)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
    cursor.execute(
        "INSERT INTO bench_meta (key, value) VALUES ('meta', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [json.dumps(meta)],
    )


def server_version() -> str:
    try:
        with _connect("postgres") as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    except Exception:
        return "unknown"


def active_queries() -> int:
    """Queries running now in the bench database (other than this one)."""
    with _connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
            "AND pid <> pg_backend_pid()",
            [BENCH_DATABASE],
        )
        return cursor.fetchone()[0]
