"""The checks of scripts/scale-out, run against the nodes and workers it started.

    python scripts/scale_out.py prepare          # a token and a free slot, as JSON
    python scripts/scale_out.py race PREPARED    # 50 bookings of one slot across both nodes
    python scripts/scale_out.py recompute        # every county in parallel, an export meanwhile
    python scripts/scale_out.py compare SAVED    # each county's ranking against a sequential run

Django is set up with the environment the script exported (the same database as the nodes).
Every check prints one line of figures and exits 1 when it does not hold.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.production")

import django

django.setup()

from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from accounts.models import User  # noqa: E402
from areas.models import County  # noqa: E402
from core.quarters import quarter_of  # noqa: E402
from exports.models import ExportJob  # noqa: E402
from exports.services import export_job_create  # noqa: E402
from scoring.models import QuarterScore, RankingRun  # noqa: E402
from scoring.services.compute import compute_quarter  # noqa: E402
from scoring.services.runs import request_recompute  # noqa: E402
from venues.models import Booking, Room  # noqa: E402

RACERS = 50
PORTS = [int(port) for port in os.environ.get("SCALE_OUT_PORTS", "8101,8102").split(",")]
WAIT_SECONDS = 600


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def prepare() -> None:
    """A token for the demo administrator and a slot free in a room with opening hours."""
    admin = User.objects.get(username="admin")
    token, _created = Token.objects.get_or_create(user=admin)
    day = timezone.localdate() + datetime.timedelta(days=40)
    weekday = day.weekday()
    for room in Room.objects.filter(is_active=True, center__is_active=True).select_related(
        "center__township"
    ):
        hours = room.center.opening_hours.filter(weekday=weekday).first()
        if hours is None or hours.opens > datetime.time(10) or hours.closes < datetime.time(11):
            continue
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        end = start + datetime.timedelta(hours=1)
        if Booking.objects.overlapping(room, start, end).exists():
            continue
        township = room.center.township
        organization = (
            township.communities.first().organizations.filter(status="normal").first()
            if township.communities.exists()
            else None
        )
        if organization is None:
            continue
        print(
            json.dumps(
                {
                    "token": token.key,
                    "room": room.pk,
                    "organization": organization.pk,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                }
            )
        )
        return
    fail("no room with a free slot at 10:00 in 40 days")


def _post(port: int, token: str, body: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/bookings/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            # As the load balancer in front of the nodes says (production settings redirect
            # plain HTTP otherwise).
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        detail = json.loads(error.read().decode("utf-8", "replace") or "{}").get("detail", "")
        if error.code == 409 and not any("\u4e00" <= char <= "\u9fff" for char in detail):
            return -409  # a 409 without its message in Chinese
        return error.code


def race(prepared: str) -> None:
    """50 requests for one slot at once, alternating between the nodes: 1 booked, 49 refused."""
    slot = json.loads(prepared)
    body = {
        "room": slot["room"],
        "organization": slot["organization"],
        "start": slot["start"],
        "end": slot["end"],
        "purpose": "扩容演练：同一时段并发预约",
        "expected_attendance": 20,
    }
    outcomes: Counter = Counter()
    lock = threading.Lock()
    gate = threading.Barrier(RACERS)

    def racer(index: int) -> None:
        gate.wait()
        status = _post(PORTS[index % len(PORTS)], slot["token"], body)
        with lock:
            outcomes[status] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=racer, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    start = datetime.datetime.fromisoformat(slot["start"])
    end = datetime.datetime.fromisoformat(slot["end"])
    held = Booking.objects.overlapping(Room.objects.get(pk=slot["room"]), start, end).count()
    print(
        f"booking race: {dict(sorted(outcomes.items()))} across ports {PORTS} in "
        f"{seconds:.2f} s; bookings holding the slot: {held}"
    )
    if outcomes != Counter({201: 1, 409: RACERS - 1}) or held != 1:
        fail("the race did not end with exactly one booking and 49 clean conflicts")


def _scores(counties) -> dict[str, dict[int, tuple[str, int | None]]]:
    year, quarter = quarter_of(timezone.localdate())
    return {
        county.code: {
            row.organization_id: (str(row.total), row.rank_county)
            for row in QuarterScore.objects.filter(county=county, year=year, quarter=quarter)
        }
        for county in counties
    }


def recompute() -> None:
    """Queue every county's recompute to the scoring worker, then an export to the other
    worker while they run; both finish, and the export did not wait behind the ranking."""
    year, quarter = quarter_of(timezone.localdate())
    admin = User.objects.get(username="admin")
    counties = list(County.objects.order_by("code"))
    requested = timezone.now()
    runs = [
        request_recompute(
            year=year, quarter=quarter, county=county, trigger=RankingRun.Trigger.COMMAND
        )
        for county in counties
    ]
    job = export_job_create(actor=admin, kind="orgs", params={})
    ids = [run.pk for run in runs]
    deadline = time.monotonic() + WAIT_SECONDS
    active_runs = Q(status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING])
    active_jobs = Q(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
    while (
        RankingRun.objects.filter(active_runs, pk__in=ids).exists()
        or ExportJob.objects.filter(active_jobs, pk=job.pk).exists()
    ):
        if time.monotonic() > deadline:
            fail("the workers did not finish within 10 minutes")
        time.sleep(0.2)
    runs = list(RankingRun.objects.filter(pk__in=ids).order_by("started_at"))
    job.refresh_from_db()
    failed = [run for run in runs if run.status != RankingRun.Status.SUCCEEDED]
    if failed or job.status != ExportJob.Status.SUCCEEDED:
        fail(f"runs failed: {[(run.county_id, run.error) for run in failed]}; export {job.status}")
    last_run = max(run.finished_at for run in runs)
    overlapping = sum(
        1
        for run in runs
        if any(
            other.pk != run.pk
            and other.started_at < run.finished_at
            and run.started_at < other.finished_at
            for other in runs
        )
    )
    scored = sum(run.organizations_scored for run in runs)
    print(
        f"recompute: {len(runs)} counties, {scored} organisations, "
        f"{(last_run - requested).total_seconds():.2f} s from request to the last county "
        f"({overlapping} runs overlapped another); export of {job.row_count} rows: waited "
        f"{(job.started_at - job.created_at).total_seconds():.2f} s, finished "
        f"{(job.finished_at - requested).total_seconds():.2f} s after the request"
    )
    if len(counties) > 1 and overlapping == 0:
        fail("no two counties were computed at the same time")
    if job.started_at > last_run:
        fail("the export waited for the recompute to end")
    Path(os.environ["SCALE_OUT_SAVED"]).write_text(json.dumps(_scores(counties)))


def compare(saved: str) -> None:
    """Each county recomputed in this process, one after the other, equals the workers'."""
    parallel = json.loads(Path(saved).read_text())
    year, quarter = quarter_of(timezone.localdate())
    counties = list(County.objects.order_by("code"))
    started = time.perf_counter()
    for county in counties:
        compute_quarter(year, quarter, county=county)
    seconds = time.perf_counter() - started
    sequential = json.loads(json.dumps(_scores(counties)))
    differing = [code for code in sequential if sequential[code] != parallel.get(code)]
    rows = sum(len(rows) for rows in sequential.values())
    print(
        f"sequential recompute in one process: {len(counties)} counties, {rows} scores, "
        f"{seconds:.2f} s; counties differing from the parallel run: {len(differing)}"
    )
    if differing or not rows:
        fail(f"rankings differ in {differing}" if differing else "no score to compare")


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["?"]
    actions = {
        "prepare": prepare,
        "race": lambda: race(rest[0]),
        "recompute": recompute,
        "compare": lambda: compare(rest[0]),
    }
    if command not in actions:
        fail(f"unknown step {command!r}: prepare, race, recompute or compare")
    actions[command]()
