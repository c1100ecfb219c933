"""No stored code reaches a user: pages and workbooks show labels, never enum values.

The demo county is seeded (at a fixed moment), then every page reachable from the home page of
each role is opened by following its links (a few of each URL pattern), and every exported
ledger and the overview workbook are written. The visible text (text nodes, titles,
placeholders, labels of the pages; every cell of the workbooks) must not contain any value of
any model's choices, nor a zombie reason code, as a word of its own.
"""

import datetime
import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from exports.registry import KINDS, build_ledger
from exports.services import write_ledger
from orgs.services.oversight import ZOMBIE_REASON_CODES

# A fixed moment (mid-quarter, mid-morning local time): the seed and the pages read the clock.
MOMENT = datetime.datetime(
    2026, 5, 20, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)
PAGES_PER_PATTERN = 2
MAX_PAGES_PER_ROLE = 160
# URL patterns not opened: they change state, stream files already checked below, or log out.
SKIPPED_PATTERNS = {"logout", "set_language"}
# The Django admin is a developer's tool (usernames, permission names): not a user's page.
SKIPPED_PREFIXES = ("/admin/",)
APPS = {
    "accounts",
    "activities",
    "areas",
    "core",
    "dashboards",
    "exports",
    "orgs",
    "party_branches",
    "scoring",
    "venues",
}


def raw_codes() -> set[str]:
    """Every code-like value of every model's choices (and the zombie reason codes)."""
    codes = set(ZOMBIE_REASON_CODES)
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in APPS:
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for value, label in field.flatchoices:
                code_like = isinstance(value, str) and re.fullmatch(r"[a-z_]+", value)
                if code_like and value != str(label):
                    codes.add(value)
    return codes


def code_pattern(codes: set[str]) -> re.Pattern:
    words = "|".join(sorted((re.escape(code) for code in codes), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_\-./@])({words})(?![A-Za-z0-9_\-./@])")


class VisibleText(HTMLParser):
    """The text a user reads: text nodes outside scripts and styles, and a few attributes."""

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in self.ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    travel = time_machine.travel(MOMENT, tick=False)
    with travel, django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _crawl(client) -> dict[str, str]:
    """{url: visible text} of the pages reachable from home, a few per URL pattern."""
    seen_patterns: Counter = Counter()
    queue = deque(["/"])
    visited: set[str] = set()
    texts: dict[str, str] = {}
    while queue and len(texts) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        path = urlsplit(url).path
        if path.startswith(SKIPPED_PREFIXES):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = match.view_name
        if name.split(":")[-1] in SKIPPED_PATTERNS or seen_patterns[name] >= PAGES_PER_PATTERN:
            continue
        seen_patterns[name] += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        if "spreadsheetml" in content_type:
            texts[url] = "\n".join(workbook_text(response.content))
            continue
        if "text/html" not in content_type:
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        texts[url] = "\n".join(parser.parts)
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(href.split("#")[0])
    return texts


def workbook_text(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]


# Four English words in a row: a sentence that was not translated.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){3,}")


def _offending(texts: dict[str, str]) -> dict[str, list[str]]:
    pattern = re.compile(f"{code_pattern(raw_codes()).pattern}|{ENGLISH.pattern}")
    found = {}
    for where, text in texts.items():
        hits = sorted(
            {
                text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
                for m in pattern.finditer(text)
            }
        )
        if hits:
            found[where] = hits[:5]
    return found


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    "role",
    [Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY, Role.ORG_CONTACT, Role.OFFICIAL],
)
def test_no_page_shows_a_raw_code(db, client, role):
    user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
    client.force_login(user)

    with time_machine.travel(MOMENT, tick=False):
        texts = _crawl(client)

    assert len(texts) > (3 if role == Role.OFFICIAL else 15)
    assert _offending(texts) == {}


@pytest.mark.usefixtures("demo")
def test_no_workbook_shows_a_raw_code(db):
    admin = User.objects.filter(role=Role.COUNTY_ADMIN, is_active=True).order_by("pk").first()
    texts = {}
    with time_machine.travel(MOMENT, tick=False):
        for kind in KINDS:
            ledger = build_ledger(kind, user=admin, params={}, reveal=False)
            target = io.BytesIO()
            write_ledger(ledger, target)
            texts[kind] = "\n".join(workbook_text(target.getvalue()))

    assert all(texts.values())
    assert _offending(texts) == {}


def test_the_pattern_finds_a_code_as_a_word_only():
    pattern = code_pattern({"no_show", "zombie"})

    assert pattern.search("原因：no_show")
    assert pattern.search("zombie")
    assert not pattern.search("/orgs/zombie/")
    assert not pattern.search("zombies")
