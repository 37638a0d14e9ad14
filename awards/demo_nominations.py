"""Demo data for nominations (idempotent)."""


def seed() -> None:
    return None
