#!/usr/bin/env python
"""Run docker-compose.yml's start order natively, as Docker would on an empty database.

Docker cannot run on the development machine, so this script plays the stack's first start:
it creates a fresh PostgreSQL database, runs the one-shot `migrate` service's command and checks
it exits 0, then starts `beat` with its command and checks it stays up (before the migrate
service existed, beat crashed on the missing django_celery_beat tables). The commands are read
from docker-compose.yml, so the file and this check cannot drift apart.

    scripts/compose_order.py [--postgres postgres://postgres@127.0.0.1:5432]
                             [--broker redis://127.0.0.1:6379/9] [--seconds 6]
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import yaml

BASE_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def service_command(name: str) -> list[str]:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    command = compose["services"][name]["command"]
    assert isinstance(command, list), f"{name}: command must be an exec list"
    # `python`, `celery`, `gunicorn` are on the image's PATH; natively they are the venv's.
    program = BIN / command[0]
    return [str(program) if program.exists() else command[0], *command[1:]]


def run(postgres: str, broker: str, seconds: float) -> None:
    database = f"registry_compose_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    workdir = Path(tempfile.mkdtemp(prefix="compose-order-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{postgres}/{database}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "REDIS_URL": broker,
        "PYTHONUNBUFFERED": "1",
    }
    try:
        print(f"== migrate: {' '.join(service_command('migrate'))} on {database}")
        migrate = subprocess.run(  # noqa: S603 (commands of docker-compose.yml)
            service_command("migrate"),
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if migrate.returncode != 0:
            raise SystemExit(f"migrate exited {migrate.returncode}:\n{migrate.stderr}")

        print(f"== beat: {' '.join(service_command('beat'))}, up for {seconds} s")
        log_path = workdir / "beat.log"
        with log_path.open("w") as log:
            beat = subprocess.Popen(  # noqa: S603 (commands of docker-compose.yml)
                [*service_command("beat"), "--schedule", str(workdir / "beat-schedule")],
                cwd=workdir,
                env={**env, "PYTHONPATH": str(BASE_DIR)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        time.sleep(seconds)
        exited = beat.poll()
        if exited is None:
            os.killpg(beat.pid, signal.SIGTERM)
            beat.wait(timeout=30)
        output = log_path.read_text()
        if exited is not None:
            raise SystemExit(f"beat exited {exited} after migrate:\n{output}")
        if "Traceback" in output or "does not exist" in output:
            raise SystemExit(f"beat logged an error:\n{output}")
        print("== beat stayed up; the stack starts in order")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--seconds", type=float, default=6)
    args = parser.parse_args()
    run(args.postgres, args.broker, args.seconds)


if __name__ == "__main__":
    main()
