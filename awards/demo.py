"""Demo data of the awards app: called by `seed_demo` after the cluster and evaluations."""

from __future__ import annotations


def seed() -> None:
    from .demo_ballots import seed as seed_ballots
    from .demo_nominations import seed as seed_nominations

    seed_nominations()
    seed_ballots()
