"""Benchmark: the organisation list's first page at county, city or province scale.

Run from the project root (see benchmarks/README.md):

    .venv/bin/python benchmarks/org_list.py --scale province

Each scale gets a fresh SQLite file under benchmarks/results/ (or the DATABASE_URL database,
which must then be empty unless --reuse), is migrated and seeded with `seed_demo` (timed), and
the list is requested as a logged-in user through django.test.Client: the median of --runs
requests and the number of SQL queries of one. Results go to benchmarks/results/org_list-*.json
and, for every scale measured so far, to the table in benchmarks/results/org_list.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
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
PAGE_SIZE = 25
# (label, demo username, query string)
CASES = [
    ("county admin, first page", "admin", {}),
    ("county admin, search 书画", "admin", {"q": "书画"}),
    ("county admin, sorted by members", "admin", {"o": "-members"}),
    ("township staff, first page", "township", {}),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=7, help="requests per case (median)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database as it is when it already holds the demo (no fresh seed)",
    )
    parser.add_argument(
        "--no-county",
        action="store_true",
        help="do not also measure the county scale first (for the ratio)",
    )
    return parser.parse_args()


def list_target():
    """Return (kind, callable(user, params)) for the real page, else the selector or queryset."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("orgs:organization_list")
    except NoReverseMatch:
        url = None
    if url:

        def get_page(user, params):
            client = Client()
            client.force_login(user)

            def request():
                response = client.get(url, params)
                if response.status_code != 200:
                    raise SystemExit(f"GET {url} {params} answered {response.status_code}")
                return response

            return request

        return "page", get_page

    from orgs.models import Organization

    try:
        from orgs.selectors.organizations import organization_list
    except ImportError:
        organization_list = None

    def query_first_page(user, params):
        def request():
            if organization_list is not None:
                queryset = organization_list(user=user)
            else:
                queryset = (
                    Organization.objects.visible_to(user)
                    .with_member_counts()
                    .with_credit_flags()
                    .select_related("community__township", "category")
                )
            return list(queryset[:PAGE_SIZE]), queryset.count()

        return request

    return ("selector" if organization_list else "queryset"), query_first_page


def measure_case(make_request, user, params, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = make_request(user, params)
    request()  # warm-up: imports, template loading, SQLite page cache
    with CaptureQueriesContext(connection) as captured:
        request()
    # Read them now: the next request's request_started signal clears the query log.
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
        "sql": [{"time": query["time"], "sql": query["sql"][:200]} for query in queries],
    }


def measure(args) -> dict:
    """Seed a fresh database at the scale and measure every case; return the result."""
    external = "DATABASE_URL" in os.environ
    path = sqlite_path(f"org_list-{args.scale}")
    if not external and not args.reuse:
        remove_sqlite(path)
    setup_django(f"sqlite:///{path}")

    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from areas.models import Township
    from orgs.models import Membership, Organization, Person

    migrate_seconds = timed(lambda: call_command("migrate", verbosity=0, interactive=False))
    seed_seconds = None
    if Township.objects.exists():
        if not args.reuse:
            raise SystemExit("The database already holds data: empty it or pass --reuse.")
        print(f"[{args.scale}] reusing the seeded database", flush=True)
    else:
        print(f"[{args.scale}] seeding…", flush=True)
        seed_seconds = timed(
            lambda: call_command("seed_demo", scale=args.scale, seed=args.seed, stdout=StringIO())
        )
        print(f"[{args.scale}] seeded in {seed_seconds:.1f} s", flush=True)
    rows = {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "current_memberships": Membership.objects.current().count(),
    }
    kind, make_request = list_target()
    cases = []
    for label, username, params in CASES:
        if kind != "page" and params:
            continue  # filters and sorting exist only on the real page
        user = User.objects.get(username=username)
        result = measure_case(make_request, user, params, args.runs)
        cases.append({"label": label, **result})
        print(
            f"[{args.scale}] {label}: {milliseconds(result['median'])}, "
            f"{result['queries']} queries",
            flush=True,
        )
    return {
        "scale": args.scale,
        "target": kind,
        "database": connection.vendor,
        "runs": args.runs,
        "migrate_seconds": migrate_seconds,
        "seed_seconds": seed_seconds,
        "rows": rows,
        "cases": cases,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def report() -> str:
    """Build the Markdown table of every scale measured so far, with ratios to county."""
    results = {}
    for scale in SCALES:
        path = RESULTS_DIR / f"org_list-{scale}.json"
        if path.exists():
            results[scale] = json.loads(path.read_text())
    county = {case["label"]: case for case in results.get("county", {}).get("cases", [])}
    rows = []
    for scale, result in results.items():
        seed = result["seed_seconds"]
        for case in result["cases"]:
            base = county.get(case["label"])
            ratio = f"{case['median'] / base['median']:.1f}×" if base else "–"
            rows.append(
                [
                    scale,
                    f"{result['rows']['organizations']:,}",
                    f"{result['rows']['people']:,}",
                    f"{result['rows']['memberships']:,}",
                    f"{seed:,.1f} s" if seed is not None else "reused",
                    case["label"],
                    f"{milliseconds(case['median'])} (of {result['runs']})",
                    f"{milliseconds(case['min'])} – {milliseconds(case['max'])}",
                    case["queries"],
                    milliseconds(case["slowest_query"]),
                    ratio,
                ]
            )
    any_result = next(iter(results.values()), {})
    headers = [
        "scale",
        "organisations",
        "people",
        "memberships",
        "seed",
        "case",
        "median",
        "min – max",
        "SQL queries",
        "slowest query",
        "median vs county",
    ]
    return (
        "# Organisation list: first page\n\n"
        f"Measured on {any_result.get('machine', '?')}, database "
        f"{any_result.get('database', '?')}, target: {any_result.get('target', '?')}; "
        "median of the given number of requests, after one warm-up request.\n\n"
        + markdown_table(headers, rows)
        + "\n"
    )


def main() -> None:
    args = parse_args()
    # Whitenoise warns that staticfiles/ was never collected: irrelevant to these timings.
    warnings.filterwarnings("ignore", message="No directory at")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    if args.scale != "county" and not args.no_county and "DATABASE_URL" not in os.environ:
        # A separate process: Django is set up once per database.
        command = [sys.executable, __file__, "--scale", "county", "--runs", str(args.runs)]
        subprocess.run([*command, "--no-county"], check=True)  # noqa: S603
    result = measure(args)
    (RESULTS_DIR / f"org_list-{args.scale}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )
    table = report()
    (RESULTS_DIR / "org_list.md").write_text(table)
    print()
    print(table)


if __name__ == "__main__":
    main()
