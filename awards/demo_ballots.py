"""Demo data for ballots (idempotent)."""


def seed() -> None:
    return None
