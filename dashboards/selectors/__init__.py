"""The county overview's figures: aggregate queries over the other apps, scoped and cached.

Every figure is computed by the database (grouped counts and sums) from the user's
`visible_to` querysets, narrowed by the chosen township; a figure's link opens the list behind it
with filter parameters that list's FilterSet understands, so the list's total equals the figure.
The monthly figures and the booked time of the utilisation read the monthly roll-ups (`rollups`:
a few rows per community, room and month, kept by the services) instead of every record of two
years. The whole overview costs a fixed number of queries whatever the size of the county; the
cache (`DASHBOARD_CACHE_SECONDS`, 60 s by default, per scope and filters) only saves repeats.

One module per part: `common`, `ledger`, `monthly`, `utilisation`, `ranking`, `overview`.
"""

from dashboards.selectors.common import (
    CACHE_VERSION,
    DEFAULT_CACHE_SECONDS,
    MOVERS_COUNT,
    STANDING_ZOMBIE,
    TOP_COUNT,
    YEARS_OFFERED,
    OverviewFilters,
    cache_seconds,
    link,
    parse_year,
    years_offered,
)
from dashboards.selectors.ledger import (
    COVERAGE_LABELS,
    GONE_STATUSES,
    coverage_figures,
    member_figures,
    organization_figures,
    watch_figures,
)
from dashboards.selectors.monthly import (
    _monthly_series,  # noqa: F401  (tests build one series)
    monthly_figures,
)
from dashboards.selectors.overview import (
    WARM_SECONDS,
    compute_overview,
    overview,
    townships_offered,
    warm_county_overview,
)
from dashboards.selectors.ranking import (
    ranking_figures,
)
from dashboards.selectors.utilisation import (
    CENTER_PK_MARK,
    utilisation_figures,
)

__all__ = [
    "CACHE_VERSION",
    "CENTER_PK_MARK",
    "COVERAGE_LABELS",
    "DEFAULT_CACHE_SECONDS",
    "GONE_STATUSES",
    "MOVERS_COUNT",
    "STANDING_ZOMBIE",
    "TOP_COUNT",
    "WARM_SECONDS",
    "YEARS_OFFERED",
    "OverviewFilters",
    "cache_seconds",
    "compute_overview",
    "coverage_figures",
    "link",
    "member_figures",
    "monthly_figures",
    "organization_figures",
    "overview",
    "parse_year",
    "ranking_figures",
    "townships_offered",
    "utilisation_figures",
    "warm_county_overview",
    "watch_figures",
    "years_offered",
]
