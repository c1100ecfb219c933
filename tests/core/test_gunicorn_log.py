"""The web server's access log holds no full ID number or mobile (issue 13 item 12).

Starts gunicorn with the production command of the Dockerfile and docker-compose.yml, searches
people by a full ID number and a mobile, and reads what the server wrote.
"""

import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


def dockerfile_command() -> list[str]:
    text = (BASE_DIR / "Dockerfile").read_text()
    return json.loads(re.search(r"^CMD (\[.*\])$", text, re.MULTILINE).group(1))


def compose_web_command() -> list[str]:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    return shlex.split(command) if isinstance(command, str) else command


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_commands_use_the_masking_gunicorn_config():
    assert dockerfile_command() == ["gunicorn", "-c", "gunicorn.conf.py", "registry.wsgi"]
    assert compose_web_command() == dockerfile_command()
    readme = (BASE_DIR / "README.md").read_text()
    assert ".venv/bin/gunicorn -c gunicorn.conf.py registry.wsgi" in readme
    for command in (dockerfile_command(), compose_web_command()):
        assert "--access-logfile" not in command


def test_gunicorn_access_log_masks_id_numbers_and_mobiles(tmp_path):
    port = free_port()
    command = dockerfile_command()
    executable = Path(sys.executable).parent / command[0]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "SECRET_KEY": "test-" + "k7Qz9" * 12,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(executable), *command[1:]],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (http, built here)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        # Not following redirects: the login page needs collected static files.
        opener = urllib.request.build_opener(NoRedirect)
        paths = []
        for query in (ID_NUMBER, MOBILE, f"{ID_NUMBER.lower()} {MOBILE}"):
            path = f"/orgs/people/?q={urllib.parse.quote(query)}"
            # The login redirect quotes the search once more in `next`.
            paths += [path, f"/accounts/login/?next={urllib.parse.quote(path)}"]
        for path in paths:
            request = urllib.request.Request(  # noqa: S310 (http, built here)
                base + path, headers={"X-Forwarded-Proto": "https"}
            )
            # A redirect to the login page is logged the same way.
            with contextlib.suppress(urllib.error.HTTPError):
                opener.open(request, timeout=10)
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    output = log_path.read_text()
    access_lines = [line for line in output.splitlines() if '"logger": "gunicorn.access"' in line]
    assert sum("people/" in line for line in access_lines) == 6, output
    assert ID_NUMBER not in output
    assert ID_NUMBER.lower() not in output
    assert MOBILE not in output
    assert "q=110***********002X" in output
    assert "q=138****5678" in output
    assert "%3Fq%3D110***********002x%2520138****5678" in output
