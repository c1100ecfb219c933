"""The demo county: deterministic data for `seed_demo`, built by each app's seeder in turn."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Each app adds its seeder here, in dependency order. A seeder takes a DemoContext.
SEEDERS = (
    "areas.demo.seed_areas",
    "orgs.demo.seed_organizations",
    "accounts.demo.seed_users",
    # Merges need the user who performed them, keepers need users: after the users.
    "orgs.demo.seed_merges_and_keepers",
    "venues.demo.seed_venues",
    "party_branches.demo.seed_branches",
    "activities.demo.seed_activities",
    "scoring.demo.seed_scores",
    # The seeders bulk-create past the services: the monthly roll-ups are rebuilt from the records.
    "rollups.demo.seed_rollups",
    # Last: the initial "+" history row of every history-tracked row the seeders wrote in bulk.
    "core.demo.seed_initial_history",
)

# Townships, communities per township (±3), organisations, people (the ledger's residents)
# and current memberships. County follows the programme's figures (140 groups, 5,729
# members); city is ten times that; province is the benchmark scale.
SCALES = {
    "county": {
        "townships": 20,
        "communities_per_township": 15,
        "organizations": 140,
        "people": 5_729,
        "current_memberships": 6_000,
    },
    "city": {
        "townships": 200,
        "communities_per_township": 15,
        "organizations": 1_400,
        "people": 57_290,
        "current_memberships": 60_000,
    },
    "province": {
        "townships": 1_400,
        "communities_per_township": 15,
        "organizations": 20_000,
        "people": 800_000,
        "current_memberships": 1_000_000,
    },
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
    # Seconds each seeder took, by dotted path (logged; benchmarks read it).
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def sizes(self) -> dict:
        return SCALES[self.scale]


def loading(context: DemoContext, *models):
    """Around a seeder's bulk load: the tables' plain indexes built once at the end.

    City and province scale on PostgreSQL (``core.bulk.deferred_indexes``); the county's few
    rows are written with the indexes in place. What is written is the same either way.
    """
    if context.scale == "county":
        return contextlib.nullcontext()
    from core.bulk import deferred_indexes

    return deferred_indexes(*models)


def seed(*, scale: str, seed: int, password: str) -> DemoContext:
    """Run every seeder in order with one shared context."""
    context = DemoContext(scale=scale, seed=seed, password=password)
    for path in SEEDERS:
        start = time.perf_counter()
        import_string(path)(context)
        context.timings[path] = time.perf_counter() - start
        logger.info("seed_demo: %s took %.1f s", path, context.timings[path])
    return context


def seed_initial_history(context: DemoContext) -> None:
    """Write the initial history row of every tracked row (bulk_create writes none)."""
    from core.history import history_model_of, tracked_models, write_all_initial_history

    with loading(context, *(history_model_of(model) for model in tracked_models())):
        counts = write_all_initial_history()
    context.summary.append(f"初始历史记录 {sum(counts.values())} 条")
