"""Settings of the benchmark's server: the production settings (DEBUG off) on the bench
database, plus a floor view that is not part of the product (bench.urls_bench).

The runner sets ``DATABASE_URL`` to the bench database and ``BENCH_SCHEMA`` to the schema
of the size being measured; anything else is refused, so that the benchmark never writes
into the default or the test database.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789")
# Plain HTTP on 127.0.0.1: no redirect to https, cookies sent without TLS.
os.environ.setdefault("SECURE_SSL", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Static files are not measured: no collectstatic (and its manifest) needed.
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import warnings  # noqa: E402

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES  # noqa: E402

from .dbadmin import BENCH_DATABASE  # noqa: E402

ROOT_URLCONF = "bench.urls_bench"
# No collectstatic: whitenoise would warn on every process start.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

_database = DATABASES["default"]
if (
    _database["ENGINE"] != "django.db.backends.postgresql"
    or _database.get("NAME") != BENCH_DATABASE
):
    raise ImproperlyConfigured(
        f"bench.settings_bench runs only on the PostgreSQL database {BENCH_DATABASE!r} "
        "(set DATABASE_URL; `python -m bench` does it)."
    )
_schema = os.environ.get("BENCH_SCHEMA", "")
if not _schema:
    raise ImproperlyConfigured("BENCH_SCHEMA is not set (`python -m bench` sets it).")
# One database, one schema per size: every table of the app lives in the size's schema.
_database.setdefault("OPTIONS", {})["options"] = f"-c search_path={_schema}"
