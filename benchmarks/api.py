"""Benchmark: the booking API under load, against a floor measured in the same run.

Run from the project root (see benchmarks/README.md), with a PostgreSQL database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \\
        .venv/bin/python benchmarks/api.py --scale city

The database is migrated and, when empty, seeded with `seed_demo --scale <scale>` (pass --reuse
to measure a database that already holds the demo). The script then starts gunicorn with the
project's gunicorn.conf.py (4 workers, bound to 127.0.0.1 only) and the settings of
benchmarks/api_settings.py, which add one route: the floor, an authenticated DRF view that
reads one row (benchmarks/api_urls.py). 20 client threads on this machine send requests
with the demo county admin's token, each endpoint for --seconds (30) after a 2 s warm-up,
--rounds times (the medians are reported):

- floor               GET /bench/floor/
- free slots          GET /api/v1/rooms/?date=<a day ahead>   (first page: 50 rooms)
- rooms list          GET /api/v1/rooms/
- bookings, first     GET /api/v1/bookings/
- bookings, later     GET /api/v1/bookings/?cursor=<the middle of all bookings>
- POST a booking      POST /api/v1/bookings/ to a random free slot (201, or 409 when another
                      client took it first)

Printed per endpoint: requests per second, p50, p95, errors (any other status, or a failed
connection) and the ratio of its requests per second to the floor's. After the run the script
counts overlapping pending/confirmed bookings of one room (an SQL self-join) and fails if any.
The API's per-user throttle (600/minute) is raised for the server it starts
(API_THROTTLE_USER), since all clients use one user; the throttle's cache read and write are
still paid on every request. Results go to benchmarks/results/api-<scale>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BASE_DIR, RESULTS_DIR, markdown_table, setup_django

SCALES = ("county", "city", "province")
HOST = "127.0.0.1"
ACCEPTED = {"GET": {200}, "POST": {201, 409}}
OVERLAPS_SQL = """
    SELECT count(*) FROM venues_booking a JOIN venues_booking b
      ON a.room_id = b.room_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
     WHERE a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed')
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="city")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seconds", type=float, default=30.0, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of every endpoint")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--reuse", action="store_true", help="the database holds the demo")
    return parser.parse_args()


# --- the database side: seed, tokens, the requests to send ---


def prepare(args) -> dict:
    """Migrate and seed; return the token, the GET paths and a pool of free slots to POST."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (gunicorn + PostgreSQL).")
    setup_django("")

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from areas.models import Township
    from orgs.models import Organization
    from venues import rules, selectors
    from venues.api.views import BookingCursorPagination, CursorKey
    from venues.models import Booking, Room

    call_command("migrate", verbosity=0, interactive=False)
    seed_seconds = None
    if Township.objects.exists():
        if not args.reuse:
            raise SystemExit("The database already holds data: empty it or pass --reuse.")
    else:
        print(f"[{args.scale}] seeding…", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, seed=args.seed, stdout=StringIO())
        seed_seconds = time.perf_counter() - started
        print(f"[{args.scale}] seeded in {seed_seconds:.0f} s", flush=True)

    admin = User.objects.get(username="admin")
    token = Token.objects.get_or_create(user=admin)[0].key
    today = rules.to_local(timezone.now()).date()
    day = today + timedelta(days=3)
    ordered = Booking.objects.order_by("start", "pk")
    middle = ordered.values("start", "pk")[ordered.count() // 2]
    cursor = BookingCursorPagination.token(CursorKey(middle["start"], middle["pk"], False))

    # Free hour slots of random rooms over the coming weeks, for random organisations.
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible sample, not a secret
    rooms = list(Room.objects.active().select_related("center"))
    sample = rng.sample(rooms, min(300, len(rooms)))
    organizations = list(Organization.objects.active().values_list("pk", flat=True))
    slots = []
    for ahead in range(2, 40):
        when = today + timedelta(days=ahead)
        for room_id, free in selectors.free_slots_for_rooms(rooms=sample, day=when).items():
            slots += [(room_id, start, end) for start, end in free]
    rng.shuffle(slots)
    # A pool small enough that clients sometimes race for one slot (the 409 path).
    pool = [
        {
            "room": room_id,
            "organization": rng.choice(organizations),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "purpose": "压力测试",
            "expected_attendance": 1,
        }
        for room_id, start, end in slots[:20000]
    ]
    rows = {
        "rooms": len(rooms),
        "bookings": Booking.objects.count(),
        "organizations": Organization.objects.count(),
    }
    connection.close()
    return {
        "token": token,
        "paths": {
            "floor": "/bench/floor/",
            "free slots": f"/api/v1/rooms/?date={day.isoformat()}",
            "rooms list": "/api/v1/rooms/",
            "bookings, first page": "/api/v1/bookings/",
            "bookings, later page": f"/api/v1/bookings/?cursor={cursor}",
        },
        "pool": pool,
        "rows": rows,
        "seed_seconds": seed_seconds,
    }


def overlapping_bookings() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        return cursor.fetchone()[0]


# --- the server ---


def start_gunicorn(args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api_settings",
        "GUNICORN_BIND": f"{HOST}:{args.port}",
        "WEB_CONCURRENCY": str(args.workers),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "API_THROTTLE_USER": "1000000/minute",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = (RESULTS_DIR / f"api-{args.scale}-gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "registry.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {log.name}")
        try:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=2)
            connection.request("GET", "/bench/floor/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the load ---


def load(args, token: str, method: str, path: str | None, pool: list | None, seconds: float):
    """`args.clients` threads sending requests for `seconds`; return the latencies and statuses."""
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    # Not seeded: the warm-up must not replay the measured POSTs.
    rng = random.Random()  # noqa: S311

    def client():
        mine, seen = [], {}
        connection = None
        while time.perf_counter() < stop_at:
            body = None
            if pool is not None:
                with lock:
                    body = json.dumps(rng.choice(pool))
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, args.port, timeout=60)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            mine.append(time.perf_counter() - started)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def measure(args, token, label, method, path, pool) -> dict:
    load(args, token, method, path, pool, 2.0)  # warm-up: connections, caches
    latencies, statuses, elapsed = load(args, token, method, path, pool, args.seconds)
    accepted = ACCEPTED[method]
    errors = sum(count for status, count in statuses.items() if not _ok(status, accepted))
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    result = {
        "label": label,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": quantiles[49],
        "p95": quantiles[94],
        "errors": errors,
        "statuses": statuses,
    }
    print(
        f"  {label}: {result['rps']:.1f} req/s, p50 {result['p50'] * 1000:.0f} ms, "
        f"p95 {result['p95'] * 1000:.0f} ms, statuses {statuses}",
        flush=True,
    )
    return result


def _ok(status: str, accepted: set[int]) -> bool:
    return status.isdigit() and int(status) in accepted


def main() -> None:
    args = parse_args()
    prepared = prepare(args)
    print(f"[{args.scale}] {prepared['rows']}; starting gunicorn ({args.workers} workers)")
    cases = [(label, "GET", path, None) for label, path in prepared["paths"].items()]
    cases.append(("POST a booking", "POST", "/api/v1/bookings/", prepared["pool"]))
    server = start_gunicorn(args)
    rounds = []
    try:
        for number in range(args.rounds):
            print(f"round {number + 1} of {args.rounds}", flush=True)
            rounds.append(
                [measure(args, prepared["token"], *case) for case in cases],
            )
    finally:
        stop_gunicorn(server)
    overlaps = overlapping_bookings()

    summary = []
    for index, (label, *_rest) in enumerate(cases):
        runs = [round_[index] for round_ in rounds]
        summary.append(
            {
                "label": label,
                "rps": statistics.median(run["rps"] for run in runs),
                "p50": statistics.median(run["p50"] for run in runs),
                "p95": statistics.median(run["p95"] for run in runs),
                "errors": sum(run["errors"] for run in runs),
                "statuses": [run["statuses"] for run in runs],
            }
        )
    floor = summary[0]["rps"]
    table = markdown_table(
        ["endpoint", "req/s", "p50", "p95", "errors", "statuses", "× floor"],
        [
            [
                row["label"],
                f"{row['rps']:.1f}",
                f"{row['p50'] * 1000:.0f} ms",
                f"{row['p95'] * 1000:.0f} ms",
                row["errors"],
                " ".join(
                    f"{status}: {count}"
                    for status, count in sorted(_merge(row["statuses"]).items())
                ),
                f"{row['rps'] / floor:.2f}×",
            ]
            for row in summary
        ],
    )
    print()
    print(table)
    print(f"\noverlapping pending/confirmed bookings after the run: {overlaps}")
    result = {
        "scale": args.scale,
        "rows": prepared["rows"],
        "seed_seconds": prepared["seed_seconds"],
        "seconds": args.seconds,
        "rounds": args.rounds,
        "clients": args.clients,
        "workers": args.workers,
        "summary": summary,
        "per_round": rounds,
        "overlapping_bookings": overlaps,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }
    (RESULTS_DIR / f"api-{args.scale}.json").write_text(json.dumps(result, indent=2))
    below = [row["label"] for row in summary if row["rps"] < 0.5 * floor]
    errors = sum(row["errors"] for row in summary)
    if overlaps or errors or below:
        print(f"targets missed: errors {errors}, overlaps {overlaps}, below 0.5× floor {below}")
        sys.exit(1)


def _merge(per_round: list[dict]) -> dict:
    merged: dict[str, int] = {}
    for statuses in per_round:
        for status, count in statuses.items():
            merged[status] = merged.get(status, 0) + count
    return merged


if __name__ == "__main__":
    main()
