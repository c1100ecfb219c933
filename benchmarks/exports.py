"""Members export: our streaming writer against a bare openpyxl loop and django-import-export.

    .venv/bin/python benchmarks/exports.py                 # 10k and 100k rows, ~3 min
    .venv/bin/python benchmarks/exports.py --rows 10000    # one size

For each size the script seeds a fresh SQLite file `benchmarks/results/exports-<rows>.sqlite3`
with `rows` current memberships (one person each: name, gender, ID number, birth date, mobile,
Party and grid fields; 1 township, 20 communities, 200 organisations) using bulk inserts, then
runs each of three writers in its own subprocess (time, and peak memory as ru_maxrss) on the
same queryset, the members ledger's 15 columns:

- floor: `values_list(...).iterator(chunk_size=2000)` appended as they come to a bare openpyxl
  write-only worksheet (no labels, no masking, no typing, no styles): the least any exporter
  on openpyxl and this database can do;
- ours: `exports.registry.build_ledger("members")` + `exports.services.write_ledger`, as the
  Celery task runs it (county admin, unmasked): labels, typed cells, formula neutralisation,
  title lines, header styles, frozen panes, autofilter;
- import-export: django-import-export's `ModelResource` over the same queryset (with the
  relations it reads joined by `select_related`, else it makes 3 queries a row) and fields,
  `resource.export(queryset)` then tablib's xlsx export (what a developer would pick instead).

`--runs N` (default 3) runs of each, interleaved (floor, ours, import-export, floor, ...); the
median and best times and the largest peak memory are kept.
A fourth subprocess that only sets Django up gives the memory baseline.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import RESULTS_DIR, markdown_table, remove_sqlite, sqlite_path

WRITERS = ("baseline", "floor", "ours", "import_export")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows (default 10000, 100000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", choices=WRITERS, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "registry.settings.local"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("CELERY_BROKER_URL", "")
    import django

    django.setup()


def seed(rows: int) -> Path:
    """A fresh database holding `rows` current memberships."""
    database = sqlite_path(f"exports-{rows}")
    remove_sqlite(database)
    code = f"""
import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from benchmarks.exports import setup, _seed
from pathlib import Path
setup(Path({str(database)!r}))
_seed({rows})
"""
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
    return database


def _seed(rows: int) -> None:
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from areas.models import Community, County, Township
    from core.identifiers import id_number_check_char
    from orgs.models import Category, Membership, Organization, Person

    call_command("migrate", verbosity=0)
    User.objects.create(username="bench_admin", name="县管理员", role=Role.COUNTY_ADMIN)
    county = County.objects.create(name="平安县", code="990101")
    township = Township.objects.create(county=county, name="城关街道", code="990101001")
    communities = Community.objects.bulk_create(
        Community(township=township, name=f"第{i}社区", code=f"990101001{i:03d}") for i in range(20)
    )
    category, _ = Category.objects.get_or_create(name="文体娱乐类")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"测试社团{i:04d}", community=communities[i % 20], category=category)
        for i in range(200)
    )
    batch = 5000
    for start in range(0, rows, batch):
        people = []
        for n in range(start, min(rows, start + batch)):
            birth = datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
            first17 = f"990101{birth:%Y%m%d}{n % 1000:03d}"
            people.append(
                Person(
                    name=f"居民{n}",
                    gender="female" if n % 2 else "male",
                    id_number=f"{first17}{id_number_check_char(first17)}" if n < 1000 else "",
                    birth_date=birth,
                    mobile=f"138{n:08d}",
                    community=communities[n % 20],
                    is_party_member=n % 7 == 0,
                    party_status="full" if n % 7 == 0 else "",
                    party_relation_place="城关街道机关党支部" if n % 7 == 0 else "",
                    grid_role="building_head" if n % 11 == 0 else "",
                    grid_community=communities[n % 20] if n % 11 == 0 else None,
                )
            )
        people = Person.objects.bulk_create(people)
        Membership.objects.bulk_create(
            Membership(
                organization=organizations[person.pk % 200],
                person=person,
                role="member",
                joined_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=person.pk % 900),
            )
            for person in people
        )


def measure(writer: str, database: Path) -> dict:
    """Run one writer in this (fresh) process; return seconds and peak memory."""
    setup(database)
    from accounts.models import User
    from exports.registry import build_ledger
    from exports.services import write_ledger
    from orgs.sheets import MEMBER_FIELDS, members_queryset

    user = User.objects.get(username="bench_admin")
    out = RESULTS_DIR / f"exports-{writer}.xlsx"
    start = time.perf_counter()
    rows = 0
    if writer == "floor":
        from openpyxl import Workbook

        queryset, _ = members_queryset(user=user, params={})
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("members")
        for row in queryset.values_list(*MEMBER_FIELDS).iterator(chunk_size=2000):
            sheet.append(row)
            rows += 1
        workbook.save(out)
    elif writer == "ours":
        from exports.registry import as_querydict

        ledger = build_ledger("members", user=user, params=as_querydict({}), reveal=True)
        rows = write_ledger(ledger, out)
    elif writer == "import_export":
        from import_export import resources

        from orgs.models import Membership

        class MembershipResource(resources.ModelResource):
            class Meta:
                model = Membership
                fields = MEMBER_FIELDS
                export_order = MEMBER_FIELDS

        queryset, _ = members_queryset(user=user, params={})
        # Its fields read relations row by row: join them up front (fair to it).
        queryset = queryset.select_related("person__community", "organization__community__township")
        dataset = MembershipResource().export(queryset=queryset)
        out.write_bytes(dataset.export("xlsx"))
        rows = len(dataset)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"writer": writer, "rows": rows, "seconds": seconds, "peak_mb": peak_mb}


def run_one(writer: str, database: Path) -> dict:
    completed = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--measure", writer, "--database", str(database)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.database))))
        return
    sizes = args.rows or [10_000, 100_000]
    results = {}
    for rows in sizes:
        started = time.perf_counter()
        database = seed(rows)
        print(f"seeded {rows:,} memberships in {time.perf_counter() - started:.1f} s", flush=True)
        samples: dict[str, list[dict]] = {writer: [] for writer in WRITERS}
        samples["baseline"].append(run_one("baseline", database))
        # Interleaved, so that a busy neighbour on the machine slows every writer alike.
        for _ in range(args.runs):
            for writer in WRITERS[1:]:
                samples[writer].append(run_one(writer, database))
        for writer, runs in samples.items():
            results[(rows, writer)] = {
                "seconds": statistics.median(run["seconds"] for run in runs),
                "best": min(run["seconds"] for run in runs),
                "peak_mb": max(run["peak_mb"] for run in runs),
                "rows": runs[0]["rows"],
            }
            print(rows, writer, results[(rows, writer)], flush=True)
    table = []
    for rows in sizes:
        floor = results[(rows, "floor")]["seconds"]
        ours = results[(rows, "ours")]["seconds"]
        for writer in WRITERS[1:]:
            result = results[(rows, writer)]
            table.append(
                [
                    f"{rows:,}",
                    writer,
                    f"{result['seconds']:.2f} s",
                    f"{result['best']:.2f} s",
                    f"{result['seconds'] / floor:.2f}×",
                    f"{result['seconds'] / ours:.2f}×",
                    f"{result['peak_mb']:.0f} MB",
                    f"{results[(rows, 'baseline')]['peak_mb']:.0f} MB",
                ]
            )
    markdown = markdown_table(
        ["rows", "writer", "median", "best", "vs floor", "vs ours", "peak RSS", "Django only"],
        table,
    )
    (RESULTS_DIR / "exports.md").write_text(markdown + "\n")
    print(markdown)


if __name__ == "__main__":
    main()
