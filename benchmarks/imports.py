"""Members import: preview (read + check) and commit against openpyxl and bulk_create floors.

    .venv/bin/python benchmarks/imports.py                    # 1,000 and 10,000 rows
    .venv/bin/python benchmarks/imports.py --city             # and 100,000 (a city; slow)
    .venv/bin/python benchmarks/imports.py --rows 5729        # one size (the demo county)

For each size the script seeds a fresh SQLite file `benchmarks/results/imports.sqlite3` (or
uses the empty database of `DATABASE_URL`, e.g. PostgreSQL) with a county admin, 1 township,
20 communities and 200 organisations, and writes a members ledger of that many rows (the
importer's template columns: organisation, name, ID number as text, mobile, role, joining
date, political status; every resident new) to `benchmarks/results/imports-<rows>.xlsx`.
Then, `--runs` times (default 5), interleaved so a busy neighbour slows each alike:

- read floor: `openpyxl.load_workbook(read_only=True)` and every row's values
  (`iter_rows(values_only=True)`): the least any importer on openpyxl can do;
- preview: `exports.importing.commit.build_plan` as the check task runs it (read the cells,
  recognise the headers, check every row against the rules and the ledger, plan the writes),
  plus the plan's summary and preview;
- insert floor: the same people and memberships made into model instances and written with
  two `bulk_create` calls (no history, no audit, no checks);
- commit (write stage): `execute_plan` on the checked plan: people matched by ID number,
  people, memberships, their "+" history rows and audit rows in bulk, as the commit task does
  after its re-check;
- commit (end to end): `import_job_commit` on a stored job: re-read, re-check, write, in one
  transaction (what the user waits for after clicking "import").

Every write runs inside a transaction that is rolled back, floors included, so each run starts
from the same ledger. Prints the medians, the ratios, the peak RSS of each step (Linux: the
high-water mark is reset before the step; the highest of the runs, with the RSS the step
started from) and of the process, and writes `benchmarks/results/imports.md`.
"""

from __future__ import annotations

import argparse
import datetime
import resource
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import RESULTS_DIR, markdown_table, remove_sqlite, setup_django, sqlite_path

HEADERS = ["所属社会组织", "姓名", "公民身份号码", "手机号码", "职务", "加入日期", "政治面貌"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows (default 1000, 10000)")
    parser.add_argument("--city", action="store_true", help="also 100,000 rows")
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


class Rollback(Exception):
    pass


def seed():
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from areas.models import Community, County, Township
    from orgs.models import Category, Organization

    call_command("migrate", verbosity=0)
    admin = User.objects.create(username="bench_admin", name="县管理员", role=Role.COUNTY_ADMIN)
    county = County.objects.create(name="平安县", code="990101")
    township = Township.objects.create(county=county, name="城关街道", code="990101001")
    communities = Community.objects.bulk_create(
        Community(township=township, name=f"第{i}社区", code=f"990101001{i:03d}") for i in range(20)
    )
    category, _ = Category.objects.get_or_create(name="文体娱乐类")
    Organization.objects.bulk_create(
        Organization(
            name=f"测试社团{i:04d}",
            community=communities[i % 20],
            category=category,
            founded_on=datetime.date(2010, 1, 1),
        )
        for i in range(200)
    )
    return admin


def id_number(n: int) -> str:
    from core.identifiers import id_number_check_char

    birth = datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
    # n // 1000 picks the region code's last digits so that every number is unique
    first17 = f"99{n // 1000 % 10000:04d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


def ledger_rows(rows: int) -> list[list]:
    return [
        [
            f"测试社团{n % 200:04d}",
            f"居民{n}",
            id_number(n),
            f"138{n:08d}",
            "成员",
            datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 1500),
            "中共党员" if n % 7 == 0 else "群众",
        ]
        for n in range(rows)
    ]


def write_ledger(rows: int) -> Path:
    from openpyxl import Workbook

    path = RESULTS_DIR / f"imports-{rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成员")
    sheet.append(HEADERS)
    for row in ledger_rows(rows):
        sheet.append(row)
    workbook.save(path)
    return path


def read_floor(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    count = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def preview(admin, path: Path):
    from exports.importing.commit import build_plan

    with path.open("rb") as stream:
        _sheets, plan = build_plan(actor=admin, stream=stream)
    assert not plan.errors, plan.errors[:3]
    plan.summary()
    plan.preview()
    return plan


def rolled_back(function) -> float:
    from django.db import transaction

    start = time.perf_counter()
    try:
        with transaction.atomic():
            function()
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return elapsed


def insert_floor(plan) -> float:
    from orgs.models import Membership, Person

    def write():
        people = [Person(**member.person_data) for member in plan.members]
        Person.objects.bulk_create(people)
        Membership.objects.bulk_create(
            Membership(
                organization=member.organization,
                person=person,
                role=member.role,
                joined_on=member.joined_on,
            )
            for member, person in zip(plan.members, people, strict=True)
        )

    return rolled_back(write)


def commit_write(admin, plan) -> float:
    from exports.importing.commit import execute_plan

    return rolled_back(lambda: execute_plan(actor=admin, plan=plan))


def commit_end_to_end(admin, job) -> float:
    from exports.importing.commit import import_job_commit
    from exports.models import ImportJob

    def run():
        committed = import_job_commit(actor=admin, job=job)
        assert committed.status == ImportJob.Status.COMMITTED, committed.errors[:3]

    elapsed = rolled_back(run)
    job.refresh_from_db()
    return elapsed


def stored_job(admin, path: Path):
    from django.core.files import File

    from exports.importing.commit import import_job_validate
    from exports.models import ImportJob

    job = ImportJob(uploaded_by=admin, original_name=path.name)
    with path.open("rb") as stream:
        job.file.save(path.name, File(stream), save=False)
    job.save()
    return import_job_validate(actor=admin, job=job)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return 0.0


def step_memory(function):
    """Run `function`; return its result, the RSS before it and the peak RSS during it (MB).

    Linux only: the peak ("VmHWM") is reset first through /proc/self/clear_refs, so it is the
    step's own. Memory freed by earlier steps that Python keeps is in both figures.
    """
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return function(), 0.0, 0.0
    before = _status_mb("VmRSS:")
    result = function()
    return result, before, _status_mb("VmHWM:")


def measured(memory: dict, key: str, function):
    """Run a step; keep in `memory[key]` the (RSS before, peak) of its most hungry run."""
    result, before, peak = step_memory(function)
    if peak >= memory.get(key, (0.0, 0.0))[1]:
        memory[key] = (before, peak)
    return result


def main() -> None:
    import os

    args = parse_args()
    sizes = args.rows or [1_000, 10_000]
    if args.city:
        sizes.append(100_000)
    database = sqlite_path("imports")
    if not os.environ.get("DATABASE_URL"):
        remove_sqlite(database)
    os.environ.setdefault("CELERY_BROKER_URL", "")
    os.environ.setdefault("IMPORTS_ROOT", str(RESULTS_DIR / "imports-uploads"))
    setup_django(f"sqlite:///{database}")
    from django.conf import settings
    from django.db import connection

    settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, max(sizes))
    admin = seed()
    table = []
    for rows in sizes:
        path = write_ledger(rows)
        size_mb = path.stat().st_size / 1024 / 1024
        job = stored_job(admin, path)
        samples: dict[str, list[float]] = {
            key: [] for key in ("read", "preview", "insert", "write", "commit")
        }
        memory: dict[str, tuple[float, float]] = {}  # step: (RSS before, peak during), MB

        for _ in range(args.runs):
            start = time.perf_counter()
            assert measured(memory, "read", partial(read_floor, path)) == rows + 1
            samples["read"].append(time.perf_counter() - start)
            start = time.perf_counter()
            plan = measured(memory, "preview", partial(preview, admin, path))
            samples["preview"].append(time.perf_counter() - start)
            samples["insert"].append(measured(memory, "insert", partial(insert_floor, plan)))
            samples["write"].append(measured(memory, "write", partial(commit_write, admin, plan)))
            samples["commit"].append(
                measured(memory, "commit", partial(commit_end_to_end, admin, job))
            )
            print(rows, {key: f"{values[-1]:.2f}" for key, values in samples.items()}, flush=True)
        median = {key: statistics.median(values) for key, values in samples.items()}
        best = {key: min(values) for key, values in samples.items()}
        floors = {
            "read": median["read"],
            "preview": median["read"],
            "insert": median["insert"],
            "write": median["insert"],
            "commit": median["read"] + median["insert"],
        }
        labels = {
            "read": "floor: openpyxl read-only, values",
            "preview": "preview (read + check + plan)",
            "insert": "floor: bulk_create people + memberships",
            "write": "commit, write stage (execute_plan)",
            "commit": "commit end to end (re-read, re-check, write)",
        }
        for key, label in labels.items():
            table.append(
                [
                    f"{rows:,}",
                    label,
                    f"{median[key]:.2f} s",
                    f"{best[key]:.2f} s",
                    f"{median[key] / floors[key]:.2f}×",
                    f"{median[key] * 1000 / rows:.2f} ms",
                    f"{memory[key][1]:.0f} MB (from {memory[key][0]:.0f})",
                ]
            )
        print(f"{rows:,} rows: file {size_mb:.1f} MB, peak RSS so far {peak_mb():.0f} MB")
    markdown = markdown_table(
        [
            "rows",
            "step",
            f"median of {args.runs}",
            "best",
            "vs its floor",
            "per row",
            "peak RSS in the step",
        ],
        table,
    )
    header = (
        f"{datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC, {connection.vendor}, "
        f"{args.runs} runs, peak RSS {peak_mb():.0f} MB"
    )
    (RESULTS_DIR / "imports.md").write_text(header + "\n\n" + markdown + "\n")
    print(header)
    print(markdown)


if __name__ == "__main__":
    main()
