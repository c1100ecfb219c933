"""Benchmark: the county overview against the organisation list's first page, at a scale.

Run from the project root (see benchmarks/README.md):

    .venv/bin/python benchmarks/overview.py --scale city

A fresh SQLite file per scale under benchmarks/results/ (or --reuse an already seeded one, e.g.
org_list's with --database org_list), migrated and seeded with `seed_demo`; then, logged in
through django.test.Client, the median of --runs requests of: the organisation list's first
page, the overview with its cache emptied before every request ("cold": every figure computed),
and the overview served from the cache ("warm"). The goal: cold overview within 2x the list.
Then, for the county admin, each figure of the overview computed alone (the breakdown of the cold
request) and one rebuild of the monthly roll-ups (`rollups.services.rebuild`).
Results go to benchmarks/results/overview-*.json and the table to benchmarks/results/overview.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import warnings
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    RESULTS_DIR,
    markdown_table,
    median_time,
    milliseconds,
    remove_sqlite,
    setup_django,
    sqlite_path,
    timed,
)

SCALES = ("county", "city", "province")
# (label, demo username, url name, query, cache emptied before each request)
CASES = [
    ("county admin, organisation list", "admin", "orgs:organization_list", {}, False),
    ("county admin, overview (cold)", "admin", "dashboards:overview", {}, True),
    ("county admin, overview (warm)", "admin", "dashboards:overview", {}, False),
    ("township staff, organisation list", "township", "orgs:organization_list", {}, False),
    ("township staff, overview (cold)", "township", "dashboards:overview", {}, True),
    # City and province demos: `admin` serves every county; `countyadmin` one of them.
    ("one county's admin, organisation list", "countyadmin", "orgs:organization_list", {}, False),
    ("one county's admin, overview (cold)", "countyadmin", "dashboards:overview", {}, True),
    ("one county's admin, overview (warm)", "countyadmin", "dashboards:overview", {}, False),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=7, help="requests per case (median)")
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database")
    parser.add_argument(
        "--database", default="overview", help="name of the SQLite file (org_list shares its own)"
    )
    return parser.parse_args()


def measure_case(client, url, params, runs: int, cold: bool) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        if cold:
            cache.clear()
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return response

    request()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda query: float(query["time"]))
    median, fastest, longest = median_time(request, runs)
    return {
        "median": median,
        "min": fastest,
        "max": longest,
        "queries": len(queries),
        "slowest_query": float(slowest["time"]),
        "slowest_sql": slowest["sql"][:400],
    }


def measure_breakdown(runs: int) -> list[dict]:
    """Each figure of the county admin's cold overview computed alone: median ms and queries
    (one county's admin at city and province scale, where `admin` serves every county)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from dashboards import selectors
    from dashboards.selectors.overview import _rollups_in_view as rollups_in_view
    from orgs.models import Membership, Organization
    from rollups.models import ActivityMonth, MediationMonth
    from venues.models import ServiceCenter

    user = User.objects.filter(username="countyadmin").first() or User.objects.get(username="admin")
    filters = selectors.OverviewFilters(township_id=None, year=timezone.localdate().year)
    organizations = Organization.objects.visible_to(user)
    pieces = {
        "organisations": lambda: selectors.organization_figures(
            organizations=organizations, filters=filters
        ),
        "members": lambda: selectors.member_figures(
            memberships=Membership.objects.visible_to(user), filters=filters
        ),
        "Party coverage": lambda: selectors.coverage_figures(
            user=user, organizations=organizations, filters=filters
        ),
        "monthly (roll-ups)": lambda: selectors.monthly_figures(
            activity_months=rollups_in_view(ActivityMonth.objects.all(), user, filters),
            mediation_months=rollups_in_view(MediationMonth.objects.all(), user, filters),
            filters=filters,
        ),
        "utilisation (roll-ups)": lambda: selectors.utilisation_figures(
            centers=ServiceCenter.objects.visible_to(user), filters=filters
        ),
        "ranking": lambda: selectors.ranking_figures(user=user, filters=filters),
        "watch": lambda: selectors.watch_figures(organizations=organizations, filters=filters),
    }
    rows = []
    for label, piece in pieces.items():
        piece()
        with CaptureQueriesContext(connection) as captured:
            piece()
        median, fastest, longest = median_time(piece, runs)
        rows.append(
            {
                "label": label,
                "median": median,
                "min": fastest,
                "max": longest,
                "queries": len(captured.captured_queries),
                "sql": sum(float(query["time"]) for query in captured.captured_queries),
            }
        )
    return rows


def measure(args) -> dict:
    path = sqlite_path(f"{args.database}-{args.scale}")
    if "DATABASE_URL" not in os.environ and not args.reuse:
        remove_sqlite(path)
    setup_django(f"sqlite:///{path}")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from activities.models import Activity
    from areas.models import Township
    from orgs.models import Organization

    call_command("migrate", verbosity=0, interactive=False)
    seed_seconds = None
    if not Township.objects.exists():
        print(f"[{args.scale}] seeding…", flush=True)
        seed_seconds = timed(
            lambda: call_command("seed_demo", scale=args.scale, seed=args.seed, stdout=StringIO())
        )
        print(f"[{args.scale}] seeded in {seed_seconds:.1f} s", flush=True)
    rows = {"organizations": Organization.objects.count(), "activities": Activity.objects.count()}
    cases = []
    for label, username, url_name, params, cold in CASES:
        if not User.objects.filter(username=username).exists():
            continue  # the county demo has no `countyadmin`
        client = Client()
        client.force_login(User.objects.get(username=username))
        result = measure_case(client, reverse(url_name), params, args.runs, cold)
        cases.append({"label": label, **result})
        print(
            f"[{args.scale}] {label}: {milliseconds(result['median'])}, "
            f"{result['queries']} queries",
            flush=True,
        )
    breakdown = measure_breakdown(args.runs)
    for row in breakdown:
        print(f"[{args.scale}] {row['label']}: {milliseconds(row['median'])}", flush=True)
    from rollups.services import rebuild

    rebuild_seconds = timed(rebuild)
    print(f"[{args.scale}] rebuild_rollups: {rebuild_seconds:.1f} s", flush=True)
    return {
        "scale": args.scale,
        "database": connection.vendor,
        "breakdown": breakdown,
        "rebuild_seconds": rebuild_seconds,
        "runs": args.runs,
        "seed_seconds": seed_seconds,
        "rows": rows,
        "cases": cases,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def report() -> str:
    """The Markdown table of every scale measured so far, each overview against its list."""
    table_rows = []
    machine = "?"
    for scale in SCALES:
        path = RESULTS_DIR / f"overview-{scale}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        machine = result["machine"]
        lists = {
            case["label"].split(",")[0]: case
            for case in result["cases"]
            if case["label"].endswith("organisation list")
        }
        for case in result["cases"]:
            base = lists.get(case["label"].split(",")[0])
            table_rows.append(
                [
                    scale,
                    f"{result['rows']['organizations']:,}",
                    f"{result['rows']['activities']:,}",
                    case["label"],
                    f"{milliseconds(case['median'])} (of {result['runs']})",
                    f"{milliseconds(case['min'])} – {milliseconds(case['max'])}",
                    case["queries"],
                    milliseconds(case["slowest_query"]),
                    f"{case['median'] / base['median']:.1f}×" if base else "–",
                ]
            )
    headers = [
        "scale",
        "organisations",
        "activities",
        "case",
        "median",
        "min – max",
        "SQL queries",
        "slowest query",
        "vs the list",
    ]
    breakdown_rows = []
    for scale in SCALES:
        path = RESULTS_DIR / f"overview-{scale}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        for row in result.get("breakdown", []):
            breakdown_rows.append(
                [
                    scale,
                    result["database"],
                    row["label"],
                    milliseconds(row["median"]),
                    f"{milliseconds(row['min'])} – {milliseconds(row['max'])}",
                    row["queries"],
                    milliseconds(row["sql"]),
                ]
            )
        if "rebuild_seconds" in result:
            breakdown_rows.append(
                [
                    scale,
                    result["database"],
                    "rebuild_rollups (once)",
                    f"{result['rebuild_seconds'] * 1000:,.0f} ms",
                    "–",
                    "–",
                    "–",
                ]
            )
    breakdown = (
        "\n\nBreakdown of the county admin's cold overview (each figure alone):\n\n"
        + markdown_table(
            ["scale", "database", "figure", "median", "min – max", "SQL queries", "SQL time"],
            breakdown_rows,
        )
        if breakdown_rows
        else ""
    )
    return (
        "# County overview against the organisation list\n\n"
        f"Measured on {machine}; median after one warm-up request.\n\n"
        + markdown_table(headers, table_rows)
        + breakdown
        + "\n"
    )


def main() -> None:
    args = parse_args()
    warnings.filterwarnings("ignore", message="No directory at")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result = measure(args)
    (RESULTS_DIR / f"overview-{args.scale}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )
    table = report()
    (RESULTS_DIR / "overview.md").write_text(table)
    print()
    print(table)


if __name__ == "__main__":
    main()
