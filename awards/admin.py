"""Admin registrations, split by topic."""

from . import admin_ballots, admin_nominations  # noqa: F401
