"""The demo county: deterministic data for `seed_demo`, built by each app's seeder in turn."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

# Each app adds its seeder here, in dependency order. A seeder takes a DemoContext.
SEEDERS = (
    "areas.demo.seed_areas",
    "orgs.demo.seed_organizations",
    "accounts.demo.seed_users",
)

SCALES = {
    # townships, communities per township, extra organisations per community (later issues)
    "county": {"townships": 20, "communities_per_township": 15},
    "city": {"townships": 200, "communities_per_township": 15},
    "province": {"townships": 1400, "communities_per_township": 15},
}


@dataclass
class DemoContext:
    """What seeders share: the scale, a seeded random generator and what earlier ones made."""

    scale: str
    seed: int
    password: str
    rng: random.Random = field(init=False)
    made: dict = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def sizes(self) -> dict:
        return SCALES[self.scale]


def seed(*, scale: str, seed: int, password: str) -> DemoContext:
    """Run every seeder in order with one shared context."""
    context = DemoContext(scale=scale, seed=seed, password=password)
    for path in SEEDERS:
        import_string(path)(context)
    return context
