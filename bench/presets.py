"""Sizes of the generated data: clusters × member schools × years × criteria.

Every preset keeps the page shapes the benchmark measures (a member school scores its nine
neighbours on a table of 100 criteria) and changes the volume around them. Cluster 1 and 2
are generated from the same seeds in every preset, so the pages the runner measures show
the same content at every size: only the amount of other data differs.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class Preset:
    name: str
    clusters: int
    schools: int  # member schools per cluster
    years: int  # the last one is the current year (cross-scoring in progress)
    criteria: int  # scored criteria per year's table
    indicators: int = 8
    individuals: int = 5  # people per school who can be nominated

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", self.name):
            raise ValueError(f"Bad preset name {self.name!r}")
        if self.clusters < 1 or self.schools < 3 or self.years < 2 or self.criteria < 1:
            raise ValueError("Need at least 1 cluster, 3 schools, 2 years and 1 criterion.")

    @property
    def schema(self) -> str:
        """The PostgreSQL schema (inside the bench database) that holds this size."""
        return f"size_{self.name}"

    def expected_rows(self) -> dict[str, int]:
        n, m, y, c = self.clusters, self.schools, self.years, self.criteria
        return {
            "school_years": n * m * y,
            "assignments": n * y * m * (m - 1),
            "cross_scores": n * y * m * (m - 1) * c,
            "self_scores": n * m * y * c,
        }

    def as_dict(self) -> dict:
        return asdict(self)


PRESETS: dict[str, Preset] = {
    # A few seconds; what the smoke test and CI run.
    "tiny": Preset("tiny", clusters=1, schools=4, years=2, criteria=12, indicators=3),
    # The demo's shape (two clusters of ten schools), with the national table of 100 criteria.
    "demo": Preset("demo", clusters=2, schools=10, years=3, criteria=100),
    # A sixth of the country: quick to generate, already 900,000 cross scores.
    "mid": Preset("mid", clusters=10, schools=10, years=10, criteria=100),
    # Every cluster of the Academy for ten years: 5.4 million cross scores.
    "national": Preset("national", clusters=60, schools=10, years=10, criteria=100),
}


def get_preset(
    name: str,
    *,
    clusters: int | None = None,
    schools: int | None = None,
    years: int | None = None,
    criteria: int | None = None,
) -> Preset:
    """A preset by name, with any dimension overridden (the name then says so)."""
    try:
        preset = PRESETS[name]
    except KeyError:
        raise ValueError(f"Unknown preset {name!r}; choose one of {', '.join(PRESETS)}.")
    changes = {
        key: value
        for key, value in {
            "clusters": clusters,
            "schools": schools,
            "years": years,
            "criteria": criteria,
        }.items()
        if value is not None and value != getattr(preset, key)
    }
    if not changes:
        return preset
    custom = replace(preset, **changes)
    name = f"c{custom.clusters}x{custom.schools}x{custom.years}x{custom.criteria}"
    return replace(custom, name=name)
