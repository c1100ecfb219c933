"""The demo county: deterministic data for `seed_demo`, built by each app's seeder in turn."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# Each app registers its seeders from its AppConfig.ready() (`register_seeder`), with an order
# that puts them after what they need: areas 10, organisations 20, users 30, merges and keepers
# 40 (they need users), venues 50, branches 60, activities 70, scores 80, roll-ups 90 (rebuilt
# from the records the seeders bulk-created past the services), and last, 100, the initial "+"
# history row of every history-tracked row written in bulk. A seeder takes a DemoContext.
_SEEDERS: dict[str, tuple[int, Callable[[DemoContext], None]]] = {}
# The registered seeders' names ("areas.demo.seed_areas"), in the order they run.
SEEDERS: list[str] = []


def register_seeder(order: int, seeder: Callable[[DemoContext], None]) -> None:
    """Run `seeder` in `seed_demo` at its place in `order` (once per function)."""
    name = f"{seeder.__module__}.{seeder.__qualname__}"
    _SEEDERS[name] = (order, seeder)
    SEEDERS[:] = sorted(_SEEDERS, key=lambda key: (_SEEDERS[key][0], key))


@dataclass
class _CommandHooks:
    # Whether the database already holds demo (or real) data: areas registers it.
    seeded: Callable[[], bool] | None = None
    # The lines that list the demo logins: accounts registers it.
    logins: Callable[[str], list[str]] | None = None


COMMAND_HOOKS = _CommandHooks()


def register_seeded_check(check: Callable[[], bool]) -> None:
    COMMAND_HOOKS.seeded = check


def register_logins(lines: Callable[[str], list[str]]) -> None:
    COMMAND_HOOKS.logins = lines


def database_is_seeded() -> bool:
    return bool(COMMAND_HOOKS.seeded and COMMAND_HOOKS.seeded())


def login_lines(password: str) -> list[str]:
    return COMMAND_HOOKS.logins(password) if COMMAND_HOOKS.logins else []


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
        _SEEDERS[path][1](context)
        context.timings[path] = time.perf_counter() - start
        logger.info("seed_demo: %s took %.1f s", path, context.timings[path])
    return context


def seed_initial_history(context: DemoContext) -> None:
    """Write the initial history row of every tracked row (bulk_create writes none)."""
    from core.history import history_model_of, tracked_models, write_all_initial_history

    with loading(context, *(history_model_of(model) for model in tracked_models())):
        counts = write_all_initial_history()
    context.summary.append(f"初始历史记录 {sum(counts.values())} 条")
