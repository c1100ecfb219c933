"""Benchmark: a quarter's recompute against the floor and against a per-organisation ORM loop.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \
        .venv/bin/python benchmarks/scoring.py --scale province

Seeds the database with `seed_demo --scale <scale>` when it is empty (or measures it as it is
with `--reuse`), then, for the last complete quarter, measures:

1. the recompute: `scoring.services.compute.compute_quarter` (median of `--runs`);
2. the floor: one hand-written aggregate of the same quarter's verified activities and ratings
   per organisation with RANK(), written by an INSERT … SELECT of one row per organisation into
   a scratch table (median of `--runs`);
3. the naive implementation: a loop over the organisations with one ORM aggregate per source and
   a save per row, then a second loop saving the ranks (one run; it is slow).

Writes benchmarks/results/scoring-<scale>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import sys
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

NAIVE_YEAR = 1999  # the naive loop writes its rows under a year nobody uses


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["county", "city", "province"], default="city")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure a seeded database as is")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow ORM loop")
    parser.add_argument(
        "--workers", type=int, default=0, help="counties recomputed at a time (default: cores)"
    )
    return parser.parse_args()


FLOOR_SQL = """
INSERT INTO bench_floor (organization_id, activities, ratings, total, rank_county)
SELECT o.id, COALESCE(a.n, 0), COALESCE(f.n, 0),
       COALESCE(a.n, 0) * 5 + COALESCE(f.total, 0),
       RANK() OVER (ORDER BY COALESCE(a.n, 0) * 5 + COALESCE(f.total, 0) DESC)
FROM orgs_organization o
LEFT JOIN (
    SELECT lead_organization_id AS org_id, COUNT(*) AS n
    FROM activities_activity
    WHERE status = 'verified' AND start >= %(start)s AND start < %(end)s
    GROUP BY lead_organization_id
) a ON a.org_id = o.id
LEFT JOIN (
    SELECT organization_id AS org_id, COUNT(*) AS n, SUM(score) AS total
    FROM activities_feedback
    WHERE created_at >= %(start)s AND created_at < %(end)s
    GROUP BY organization_id
) f ON f.org_id = o.id
"""


# The same rows the recompute reads, aggregated by hand in one statement: every source per
# organisation (activities, ratings of verified activities, mediations, members with a grid
# role, credit listings, inspections, no-shows, assessments, the quarter's branch meetings),
# one total and one RANK(), written to the scratch table. No caps, no rules, no explanations.
FULL_FLOOR_SQL = """
INSERT INTO bench_floor (organization_id, activities, ratings, total, rank_county)
WITH
act AS (SELECT lead_organization_id AS org_id, COUNT(*) AS n, SUM(beneficiaries) AS ben
        FROM activities_activity
        WHERE status = 'verified' AND start >= %(start)s AND start < %(end)s
        GROUP BY lead_organization_id),
fb AS (SELECT f.organization_id AS org_id, COUNT(*) AS n, SUM(f.score) AS total
       FROM activities_feedback f LEFT JOIN activities_activity a ON a.id = f.activity_id
       WHERE f.created_at >= %(start)s AND f.created_at < %(end)s
         AND (f.activity_id IS NULL OR a.status = 'verified')
       GROUP BY f.organization_id),
med AS (SELECT organization_id AS org_id, COUNT(*) AS n FROM activities_mediationcase
        WHERE status = 'verified' AND outcome = 'resolved'
          AND occurred_on >= %(first)s AND occurred_on <= %(last)s
        GROUP BY organization_id),
grid AS (SELECT m.organization_id AS org_id, COUNT(*) AS n
         FROM orgs_membership m JOIN orgs_person p ON p.id = m.person_id
         WHERE p.grid_role <> '' AND m.joined_on <= %(last)s
           AND (m.left_on IS NULL OR m.left_on >= %(first)s)
         GROUP BY m.organization_id),
cl AS (SELECT organization_id AS org_id, COUNT(*) AS n FROM orgs_creditlisting
       WHERE listed_on <= %(last)s AND (removed_on IS NULL OR removed_on >= %(first)s)
       GROUP BY organization_id),
insp AS (SELECT organization_id AS org_id, COUNT(*) AS n FROM orgs_annualinspection
         WHERE year = %(year)s AND conclusion = 'failed' GROUP BY organization_id),
ns AS (SELECT organization_id AS org_id, COUNT(*) AS n FROM venues_booking
       WHERE status = 'no_show' AND start >= %(start)s AND start < %(end)s
       GROUP BY organization_id),
meet AS (SELECT bo.organization_id AS org_id, COUNT(*) AS n
         FROM party_branches_meeting mt
         JOIN party_branches_branch_organizations bo ON bo.branch_id = mt.branch_id
         WHERE mt.held_on >= %(first)s AND mt.held_on <= %(last)s
         GROUP BY bo.organization_id),
figures AS (
    SELECT o.id AS org_id, COALESCE(act.n, 0) AS activities, COALESCE(fb.n, 0) AS ratings,
           COALESCE(act.n, 0) * 5 + COALESCE(act.ben, 0) / 20 + COALESCE(fb.total, 0)
             + COALESCE(med.n, 0) * 2 + COALESCE(grid.n, 0) + COALESCE(qa.community_score, 0)
             + COALESCE(meet.n, 0) - COALESCE(cl.n, 0) * 20 - COALESCE(insp.n, 0) * 10
             - COALESCE(ns.n, 0) * 2 AS total
    FROM orgs_organization o
    LEFT JOIN act ON act.org_id = o.id LEFT JOIN fb ON fb.org_id = o.id
    LEFT JOIN med ON med.org_id = o.id LEFT JOIN grid ON grid.org_id = o.id
    LEFT JOIN cl ON cl.org_id = o.id LEFT JOIN insp ON insp.org_id = o.id
    LEFT JOIN ns ON ns.org_id = o.id LEFT JOIN meet ON meet.org_id = o.id
    LEFT JOIN scoring_quarterassessment qa
           ON qa.organization_id = o.id AND qa.year = %(year)s AND qa.quarter = %(quarter)s
)
SELECT org_id, activities, ratings, total, RANK() OVER (ORDER BY total DESC) FROM figures
"""


# One county's floor: the same statement over the county's organisations only (each source
# joined to them, as the recompute reads only its county's rows).
COUNTY_FLOOR_SQL = (
    FULL_FLOOR_SQL.replace(
        "WITH\n",
        "WITH\nmine AS (SELECT o.id FROM orgs_organization o\n"
        "        JOIN areas_community c ON c.id = o.community_id\n"
        "        JOIN areas_township t ON t.id = c.township_id\n"
        "        WHERE t.county_id = %(county)s),\n",
        1,
    )
    .replace(
        "GROUP BY lead_organization_id",
        "AND lead_organization_id IN (SELECT id FROM mine)\n        GROUP BY lead_organization_id",
    )
    .replace(
        "GROUP BY f.organization_id",
        "AND f.organization_id IN (SELECT id FROM mine)\n       GROUP BY f.organization_id",
    )
    .replace(
        "GROUP BY m.organization_id",
        "AND m.organization_id IN (SELECT id FROM mine)\n         GROUP BY m.organization_id",
    )
    .replace(
        "GROUP BY bo.organization_id",
        "AND bo.organization_id IN (SELECT id FROM mine)\n         GROUP BY bo.organization_id",
    )
    .replace(
        "GROUP BY organization_id)",
        "AND organization_id IN (SELECT id FROM mine)\n        GROUP BY organization_id)",
    )
    .replace(
        "    FROM orgs_organization o\n    LEFT JOIN act",
        "    FROM orgs_organization o JOIN mine ON mine.id = o.id\n    LEFT JOIN act",
    )
)


def full_floor(year: int, quarter: int, county_id: int | None = None) -> None:
    from django.db import connection, transaction

    from core.quarters import quarter_bounds
    from scoring.services.compute import quarter_db_datetimes

    start, end = quarter_db_datetimes(year, quarter)
    first, last = quarter_bounds((year, quarter))
    params = {
        "start": start,
        "end": end,
        "first": first,
        "last": last,
        "year": year,
        "quarter": quarter,
        "county": county_id,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_floor")
        cursor.execute(FULL_FLOOR_SQL if county_id is None else COUNTY_FLOOR_SQL, params)


def floor(year: int, quarter: int) -> None:
    from django.db import connection, transaction

    from scoring.services.compute import quarter_db_datetimes

    start, end = quarter_db_datetimes(year, quarter)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_floor")
        cursor.execute(FLOOR_SQL, {"start": start, "end": end})


def naive(year: int, quarter: int) -> int:
    """What a straightforward implementation does: per organisation, per source, per row."""
    from django.db import transaction
    from django.db.models import Count, Sum

    from activities.models import Activity, Feedback, MediationCase
    from core.quarters import quarter_bounds
    from orgs.models import AnnualInspection, CreditListing, Membership, Organization
    from scoring.models import QuarterAssessment, QuarterScore
    from scoring.services.compute import quarter_db_datetimes
    from venues.models import Booking

    start, end = quarter_db_datetimes(year, quarter)
    first, last = quarter_bounds((year, quarter))
    rows = []
    with transaction.atomic():
        QuarterScore.objects.filter(year=NAIVE_YEAR).delete()
        for organization in Organization.objects.select_related("community"):
            figures = Activity.objects.filter(
                lead_organization=organization, status="verified", start__gte=start, start__lt=end
            ).aggregate(n=Count("pk"), ben=Sum("beneficiaries"), hours=Sum("volunteer_hours"))
            ratings = Feedback.objects.filter(
                organization=organization, created_at__gte=start, created_at__lt=end
            ).aggregate(n=Count("pk"), total=Sum("score"))
            mediations = MediationCase.objects.filter(
                organization=organization,
                status="verified",
                outcome="resolved",
                occurred_on__range=(first, last),
            ).count()
            grid = (
                Membership.objects.filter(organization=organization, left_on__isnull=True)
                .exclude(person__grid_role="")
                .count()
            )
            listed = CreditListing.objects.filter(
                organization=organization, listed_on__lte=last, removed_on__isnull=True
            ).exists()
            failed = AnnualInspection.objects.filter(
                organization=organization, year=year, conclusion="failed"
            ).exists()
            no_shows = Booking.objects.filter(
                organization=organization, status="no_show", start__gte=start, start__lt=end
            ).count()
            assessment = QuarterAssessment.objects.filter(
                organization=organization, year=year, quarter=quarter
            ).first()
            activity_points = min(25, 5 * figures["n"])
            service = min(30, (figures["ben"] or 0) // 20 + int(figures["hours"] or 0) // 10)
            satisfaction = (
                25 * ((ratings["total"] or 0) / ratings["n"] - 1) / 4 if ratings["n"] else 0
            )
            governance = min(
                20, 2 * mediations + grid + (assessment.community_score if assessment else 0)
            )
            deduction = (-20 if listed else 0) + (-10 if failed else 0) - min(10, 2 * no_shows)
            total = activity_points + service + satisfaction + governance + deduction
            row = QuarterScore.objects.create(
                organization=organization,
                year=NAIVE_YEAR,
                quarter=quarter,
                township_id=organization.community.township_id,
                category_id=organization.category_id,
                activities=figures["n"],
                total=round(total, 2),
            )
            rows.append(row)
        rows.sort(key=lambda row: -row.total)
        rank = 0
        for index, row in enumerate(rows):
            if index == 0 or row.total != rows[index - 1].total:
                rank = index + 1
            row.rank_county = rank
            row.save(update_fields=["rank_county"])
        QuarterScore.objects.filter(year=NAIVE_YEAR).delete()
    return len(rows)


def _close_inherited() -> None:
    from django.db import connections

    for alias in connections:
        connections[alias].close()


def _recompute_county(job: tuple[int, int, int]) -> None:
    from scoring.services.compute import compute_quarter

    year, quarter, county_id = job
    compute_quarter(year, quarter, county=county_id)


def measure(args) -> dict:
    external = "DATABASE_URL" in os.environ
    path = sqlite_path(f"scoring-{args.scale}")
    if not external and not args.reuse:
        remove_sqlite(path)
    setup_django(f"sqlite:///{path}")

    from django.core.management import call_command
    from django.db import connection

    from activities.models import Activity, Feedback
    from areas.models import County, Township
    from core.quarters import shift_quarter
    from orgs.models import Organization
    from scoring.models import ScoringQuarter
    from scoring.services.compute import compute_quarter
    from scoring.services.runs import current_quarter

    call_command("migrate", verbosity=0, interactive=False)
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
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(
            "CREATE TABLE bench_floor (organization_id integer, activities integer, "
            "ratings integer, total integer, rank_county integer)"
        )
    year, quarter = shift_quarter(current_quarter(), -1)
    # The seeder finalised the quarter; a benchmark database may re-open it.
    ScoringQuarter.objects.filter(year=year, quarter=quarter).update(state="open")
    rows = {
        "organizations": Organization.objects.count(),
        "activities": Activity.objects.count(),
        "feedback": Feedback.objects.count(),
    }
    counties = list(County.objects.order_by("code"))

    def every_county() -> None:
        # The whole installation: each county's recompute, one after the other (the workers
        # of the scoring queue run them side by side; this is their sum).
        for county in counties:
            compute_quarter(year, quarter, county=county)

    every_county()  # warm-up
    recompute = median_time(every_county, args.runs)
    print(
        f"[{args.scale}] recompute of {len(counties)} counties: {milliseconds(recompute[0])}",
        flush=True,
    )
    one_county = median_time(lambda: compute_quarter(year, quarter, county=counties[0]), args.runs)
    print(f"[{args.scale}] recompute of one county: {milliseconds(one_county[0])}", flush=True)
    workers = args.workers or os.cpu_count() or 1

    # As the scoring queue's workers do: each county's recompute in its own process, connection
    # and transaction, `workers` at a time (forked after closing this process's connection).
    connection.close()
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_close_inherited)

    def in_parallel() -> None:
        pool.map(_recompute_county, [(year, quarter, county.pk) for county in counties])

    parallel = median_time(in_parallel, args.runs)
    pool.close()
    pool.join()
    print(
        f"[{args.scale}] recompute of {len(counties)} counties, {workers} at a time: "
        f"{milliseconds(parallel[0])}",
        flush=True,
    )
    county_floor = median_time(lambda: full_floor(year, quarter, counties[0].pk), args.runs)
    print(f"[{args.scale}] floor of one county: {milliseconds(county_floor[0])}", flush=True)

    def every_county_floor() -> None:
        for county in counties:
            full_floor(year, quarter, county.pk)

    county_floors = median_time(every_county_floor, args.runs)
    print(
        f"[{args.scale}] floors of {len(counties)} counties, one after the other: "
        f"{milliseconds(county_floors[0])}",
        flush=True,
    )
    floor(year, quarter)
    floor_times = median_time(lambda: floor(year, quarter), args.runs)
    print(f"[{args.scale}] floor (activities and ratings): {milliseconds(floor_times[0])}")
    full_floor(year, quarter)
    full_floor_times = median_time(lambda: full_floor(year, quarter), args.runs)
    print(f"[{args.scale}] floor (every source): {milliseconds(full_floor_times[0])}", flush=True)
    naive_seconds = None
    if not args.skip_naive:
        naive_seconds = timed(lambda: naive(year, quarter))
        print(f"[{args.scale}] naive ORM loop: {naive_seconds:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return {
        "scale": args.scale,
        "database": connection.vendor,
        "quarter": f"{year}Q{quarter}",
        "rows": rows,
        "seed_seconds": seed_seconds,
        "recompute": recompute,
        "counties": len(counties),
        "one_county": one_county,
        "parallel": parallel,
        "workers": workers,
        "county_floor": county_floor,
        "county_floors": county_floors,
        "floor": floor_times,
        "full_floor": full_floor_times,
        "naive_seconds": naive_seconds,
        "runs": args.runs,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def main() -> None:
    args = parse_args()
    result = measure(args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"scoring-{args.scale}.json").write_text(json.dumps(result, indent=2))
    recompute, floor_median = result["recompute"][0], result["floor"][0]
    full_floor_median = result["full_floor"][0]
    naive_seconds = result["naive_seconds"]
    counties = result["counties"]
    print(
        markdown_table(
            ["figure", "median", "its floor", "÷ floor"],
            [
                [
                    "one county",
                    milliseconds(result["one_county"][0]),
                    milliseconds(result["county_floor"][0]),
                    f"{result['one_county'][0] / result['county_floor'][0]:.2f}×",
                ],
                [
                    f"{counties} counties, one after the other",
                    milliseconds(recompute),
                    milliseconds(result["county_floors"][0]),
                    f"{recompute / result['county_floors'][0]:.2f}×",
                ],
                [
                    f"{counties} counties, {result['workers']} at a time",
                    milliseconds(result["parallel"][0]),
                    milliseconds(full_floor_median) + " (whole installation, one statement)",
                    f"{result['parallel'][0] / full_floor_median:.2f}×",
                ],
            ],
        )
    )
    print(
        markdown_table(
            [
                "scale",
                "database",
                "organisations",
                "activities",
                "ratings",
                "recompute (median)",
                "floor: activities and ratings",
                "recompute ÷ floor",
                "floor: every source",
                "recompute ÷ every-source floor",
                "naive ORM loop",
                "naive ÷ recompute",
            ],
            [
                [
                    result["scale"],
                    result["database"],
                    f"{result['rows']['organizations']:,}",
                    f"{result['rows']['activities']:,}",
                    f"{result['rows']['feedback']:,}",
                    milliseconds(recompute),
                    milliseconds(floor_median),
                    f"{recompute / floor_median:.2f}×",
                    milliseconds(full_floor_median),
                    f"{recompute / full_floor_median:.2f}×",
                    "—" if naive_seconds is None else f"{naive_seconds:.1f} s",
                    "—" if naive_seconds is None else f"{naive_seconds / recompute:.0f}×",
                ]
            ],
        )
    )


if __name__ == "__main__":
    main()
