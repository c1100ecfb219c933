"""Benchmark: every county-wide list and search a clerk opens, against the organisation list.

Run from the project root (see benchmarks/README.md), on an already seeded database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_prov \
        .venv/bin/python benchmarks/lists.py --scale province --reuse

Without DATABASE_URL a fresh SQLite file benchmarks/results/lists-<scale>.sqlite3 is migrated and
seeded with `seed_demo` first. Logged in through django.test.Client as the demo county admin (and
the township staff for the first pages), each case is one warm-up request, the queries of one
request, then the median of --runs requests with the cache emptied before each ("cold"). The
target of issue 15: every county-wide list and search within 2x the organisation list's first
page, with a bounded number of queries. The search values (a surname, a 2- and 3-character
name, the last 4 digits of an ID number and of a mobile) are read from the seeded people.
Results go to benchmarks/results/lists-<scale>.json and the table to benchmarks/results/lists.md.
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
BASELINE = "organisation list"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="requests per case (median)")
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database")
    parser.add_argument("--only", default="", help="measure only the cases containing this text")
    parser.add_argument(
        "--no-analyze", action="store_true", help="do not ANALYZE a PostgreSQL database first"
    )
    return parser.parse_args()


def search_values() -> dict[str, str]:
    """A surname, a 2- and a 3-character name, an ID tail and a mobile tail of seeded people."""
    from orgs.models import Person

    people = Person.objects.exclude(id_number="").exclude(mobile="").order_by("pk")
    sample = people.values("name", "id_number", "mobile")[1000:1001].get()
    two = Person.objects.filter(name__regex=r"^.{2}$").order_by("pk").values_list("name", flat=True)
    three = (
        Person.objects.filter(name__regex=r"^.{3}$").order_by("pk").values_list("name", flat=True)
    )
    return {
        "surname": sample["name"][0],
        "name2": two[:1].get() if two.exists() else sample["name"][:2],
        "name3": three[:1].get() if three.exists() else sample["name"],
        "id_tail": sample["id_number"][-4:],
        "mobile_tail": sample["mobile"][-4:],
    }


def cases(values: dict[str, str]) -> list[tuple[str, str, str, dict]]:
    """(label, demo username, url name, query)."""
    admin = [
        (BASELINE, "orgs:organization_list", {}),
        ("organisation search 书画", "orgs:organization_list", {"q": "书画"}),
        ("people", "orgs:person_list", {}),
        (f"people, surname {values['surname']}", "orgs:person_list", {"q": values["surname"]}),
        (f"people, name {values['name2']}", "orgs:person_list", {"q": values["name2"]}),
        (f"people, name {values['name3']}", "orgs:person_list", {"q": values["name3"]}),
        ("people, ID tail", "orgs:person_list", {"q": values["id_tail"]}),
        ("people, mobile tail", "orgs:person_list", {"q": values["mobile_tail"]}),
        ("activities", "activities:activity_list", {}),
        ("verification queue", "activities:verification_queue", {}),
        ("mediation", "activities:mediation_list", {}),
        ("Party branches", "party_branches:branch_list", {}),
        ("Party coverage", "party_branches:coverage", {}),
        (
            "Party coverage, uncovered organisations",
            "party_branches:coverage_organizations",
            {"figure": "uncovered"},
        ),
        ("meeting compliance", "party_branches:compliance_board", {}),
        ("centres", "venues:center_list", {}),
        ("room utilisation", "venues:utilisation", {}),
        ("booking approvals", "venues:approval_queue", {}),
        ("townships", "areas:township_list", {}),
        ("communities", "areas:community_list", {}),
        ("zombie watch", "orgs:zombie_list", {}),
        ("merges", "orgs:merge_list", {}),
        ("ranking", "scoring:ranking", {}),
        ("overview", "dashboards:overview", {}),
    ]
    township = [
        (BASELINE, "orgs:organization_list", {}),
        ("people", "orgs:person_list", {}),
        ("activities", "activities:activity_list", {}),
        ("overview", "dashboards:overview", {}),
    ]
    county_admin = [(label, "countyadmin", url, query) for label, url, query in admin]
    return (
        [(label, "admin", url, query) for label, url, query in admin]
        + [(label, "township", url, query) for label, url, query in township]
        # At city and province scale `admin` serves every county; `countyadmin` one of them.
        + (county_admin if county_admin_exists() else [])
    )


def county_admin_exists() -> bool:
    from accounts.models import User

    return User.objects.filter(username="countyadmin").exists()


def measure_case(client, url, params, runs: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        cache.clear()
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} {params} answered {response.status_code}")
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
        "sql_time": sum(float(query["time"]) for query in queries),
        "slowest_query": float(slowest["time"]),
        "slowest_sql": slowest["sql"][:600],
    }


def measure(args) -> dict:
    path = sqlite_path(f"lists-{args.scale}")
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
    from orgs.models import Organization, Person

    call_command("migrate", verbosity=0, interactive=False)
    seed_seconds = None
    if not Township.objects.exists():
        print(f"[{args.scale}] seeding…", flush=True)
        seed_seconds = timed(
            lambda: call_command("seed_demo", scale=args.scale, seed=args.seed, stdout=StringIO())
        )
        print(f"[{args.scale}] seeded in {seed_seconds:.1f} s", flush=True)
    if connection.vendor == "postgresql" and not args.no_analyze:
        # A reused database may never have been analyzed (autovacuum is off on this machine):
        # measure with the statistics a production server would have.
        analyze_seconds = timed(lambda: connection.cursor().execute("ANALYZE"))
        print(f"[{args.scale}] ANALYZE in {analyze_seconds:.1f} s", flush=True)
    rows = {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "activities": Activity.objects.count(),
    }
    results = []
    for label, username, url_name, params in cases(search_values()):
        if args.only and args.only not in label:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        result = measure_case(client, reverse(url_name), params, args.runs)
        results.append({"label": label, "user": username, "url": url_name, **result})
        print(
            f"[{args.scale}] {username}, {label}: {milliseconds(result['median'])}, "
            f"{result['queries']} queries, slowest {milliseconds(result['slowest_query'])}",
            flush=True,
        )
    return {
        "scale": args.scale,
        "database": connection.vendor,
        "runs": args.runs,
        "seed_seconds": seed_seconds,
        "rows": rows,
        "cases": results,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


USER_LABELS = {
    "admin": "county admin (every county of the demo)",
    "countyadmin": "one county's admin (city and province demos)",
    "township": "township staff",
}


def report(result: dict) -> str:
    """The Markdown table of one run, each case against the same user's organisation list."""
    bases = {case["user"]: case for case in result["cases"] if case["label"] == BASELINE}
    table_rows = []
    for case in result["cases"]:
        base = bases.get(case["user"])
        ratio = case["median"] / base["median"] if base else None
        table_rows.append(
            [
                USER_LABELS.get(case["user"], case["user"]),
                case["label"],
                milliseconds(case["median"]),
                f"{milliseconds(case['min'])} – {milliseconds(case['max'])}",
                case["queries"],
                milliseconds(case["slowest_query"]),
                f"{ratio:.1f}×" if ratio is not None else "–",
                ("yes" if ratio <= 2 else "**no**") if ratio is not None else "–",
            ]
        )
    rows = result["rows"]
    return (
        f"# County-wide lists against the organisation list ({result['scale']}, "
        f"{result['database']})\n\n"
        f"Measured {result['measured_at']} on {result['machine']}: {rows['organizations']:,} "
        f"organisations, {rows['people']:,} people, {rows['activities']:,} activities; "
        f"median of {result['runs']} cold requests after one warm-up.\n\n"
        + markdown_table(
            [
                "user",
                "list",
                "median",
                "min – max",
                "SQL queries",
                "slowest query",
                "vs the list",
                "≤ 2×",
            ],
            table_rows,
        )
        + "\n"
    )


def main() -> None:
    args = parse_args()
    warnings.filterwarnings("ignore", message="No directory at")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result = measure(args)
    (RESULTS_DIR / f"lists-{args.scale}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )
    table = report(result)
    (RESULTS_DIR / "lists.md").write_text(table)
    print()
    print(table)


if __name__ == "__main__":
    main()
