"""Dashboard sections of the awards app (see cluster/dashboard.py)."""

from __future__ import annotations


def sections(request, user) -> list:
    from .dashboard_ballots import sections as ballot_sections
    from .dashboard_nominations import sections as nomination_sections

    return [*nomination_sections(request, user), *ballot_sections(request, user)]
