"""The role × area matrix: every page of the registry, walked by every role.

One table says what each persona gets for each URL; a test checks the table covers every
URL that exists, so a new page cannot ship without its row. Apps add their rows in
`tests/<app>/matrix*.py` modules, each with a `TARGETS` and a `MATRIX` dict like the ones here.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

# Objects each URL can be opened on: "own" is inside every local persona's area,
# "near" is in township staff's township but another community, "far" is elsewhere.
TARGETS = {
    "township:own": lambda c: c.township_a.pk,
    "township:far": lambda c: c.township_b.pk,
    "community:own": lambda c: c.community_a1.pk,
    "community:near": lambda c: c.community_a2.pk,
    "community:far": lambda c: c.community_b1.pk,
}

# (url name, target or None, method) -> statuses for
# (county_admin, township_staff, secretary, official, org_contact).
MATRIX = {
    ("home", None, "get"): (200, 200, 200, 200, 200),
    ("healthz", None, "get"): (200, 200, 200, 200, 200),
    ("accounts:login", None, "get"): (302, 302, 302, 302, 302),
    ("accounts:logout", None, "post"): (302, 302, 302, 302, 302),
    ("accounts:password_change", None, "get"): (200, 200, 200, 200, 200),
    ("areas:township_list", None, "get"): (200, 200, 200, 200, 200),
    ("areas:township_create", None, "get"): (200, 403, 403, 403, 403),
    ("areas:township_create", None, "post"): (200, 403, 403, 403, 403),
    ("areas:township_detail", "township:own", "get"): (200, 200, 200, 200, 200),
    ("areas:township_detail", "township:far", "get"): (200, 404, 404, 200, 404),
    ("areas:township_update", "township:own", "get"): (200, 403, 403, 403, 403),
    ("areas:township_update", "township:far", "get"): (200, 404, 404, 403, 404),
    ("areas:township_update", "township:far", "post"): (200, 404, 404, 403, 404),
    ("areas:community_list", None, "get"): (200, 200, 200, 200, 200),
    ("areas:community_create", None, "get"): (200, 403, 403, 403, 403),
    ("areas:community_create", None, "post"): (200, 403, 403, 403, 403),
    ("areas:community_detail", "community:own", "get"): (200, 200, 200, 200, 200),
    ("areas:community_detail", "community:near", "get"): (200, 200, 404, 200, 404),
    ("areas:community_detail", "community:far", "get"): (200, 404, 404, 200, 404),
    ("areas:community_update", "community:own", "get"): (200, 403, 403, 403, 403),
    ("areas:community_update", "community:far", "get"): (200, 404, 404, 403, 404),
    ("areas:community_update", "community:far", "post"): (200, 404, 404, 403, 404),
    ("api_schema", None, "get"): (200, 200, 200, 200, 200),
    ("api_docs", None, "get"): (200, 200, 200, 200, 200),
}

# Writes whose form names an area, an organisation, a room or a community, posted with an
# out-of-area choice: (url name, target, payload) -> statuses, as MATRIX. A payload names
# (data(county), written(county)): the form data, and a count of rows holding what it asked
# for. 302 means saved (the count grew by one); any other status means refused, with nothing
# written: a choice out of the user's area is refused by the form and by the service.
WRITES = {}
PAYLOADS = {}

TESTS_ROOT = Path(__file__).resolve().parents[1]
for module_path in sorted(TESTS_ROOT.glob("*/matrix*.py")):
    module = importlib.import_module(".".join(("tests", module_path.parent.name, module_path.stem)))
    TARGETS.update(module.TARGETS)
    MATRIX.update(module.MATRIX)
    WRITES.update(getattr(module, "WRITES", {}))
    PAYLOADS.update(getattr(module, "PAYLOADS", {}))

# URLs that answer without login; everything else redirects anonymous users to the login page,
# except the JSON API, which answers 401 or 403.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "healthz",
    "activities:feedback_public",
    "activities:feedback_thanks",
}
# Django's admin has its own staff check (tested separately).
NOT_IN_MATRIX_NAMESPACES = {"admin"}


def all_url_names(resolver=None, namespace=""):
    """List the names of every URL pattern of the project, with namespaces."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in NOT_IN_MATRIX_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def url_for(name, target, county):
    """Reverse the URL; a target gives a pk, or a dict of URL kwargs."""
    if target is None:
        return reverse(name)
    value = TARGETS[target](county)
    kwargs = value if isinstance(value, dict) else {"pk": value}
    return reverse(name, kwargs=kwargs)


def test_matrix_covers_every_url():
    covered = {name for name, _target, _method in MATRIX}
    assert all_url_names() == covered


CASES = [
    pytest.param(role, name, target, method, statuses[index], id=f"{role}-{method}-{name}-{target}")
    for (name, target, method), statuses in MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(
    ("persona", "name", "target", "method", "expected"), CASES, indirect=["persona"]
)
def test_role_gets_expected_status(persona, name, target, method, expected, county, client):
    client.force_login(persona)
    response = getattr(client, method)(url_for(name, target, county))
    assert response.status_code == expected


WRITE_CASES = [
    pytest.param(role, name, target, payload, statuses[index], id=f"{role}-{name}-{payload}")
    for (name, target, payload), statuses in WRITES.items()
    for index, role in enumerate(ROLES)
]


def test_every_write_row_has_its_payload_and_a_matrix_row():
    assert {payload for _name, _target, payload in WRITES} <= set(PAYLOADS)
    assert {(name, target, "post") for name, target, _payload in WRITES} <= set(MATRIX)


@pytest.mark.parametrize(
    ("persona", "name", "target", "payload", "expected"), WRITE_CASES, indirect=["persona"]
)
def test_role_writes_only_within_its_area(persona, name, target, payload, expected, county, client):
    data, written = PAYLOADS[payload]
    url = url_for(name, target, county)
    posted = data(county)
    before = written(county)
    client.force_login(persona)

    response = client.post(url, posted)

    assert response.status_code == expected
    assert written(county) == before + (1 if expected == 302 else 0)


@pytest.mark.parametrize(("name", "target", "method"), sorted(set(MATRIX), key=str))
def test_anonymous_is_sent_to_login_except_public_urls(name, target, method, county, client):
    response = getattr(client, method)(url_for(name, target, county))
    if name in PUBLIC_URL_NAMES:
        assert response.status_code == 200
    elif response.request["PATH_INFO"].startswith("/api/"):
        assert response.status_code in (401, 403)
    elif name == "accounts:logout":
        assert response.status_code == 302
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_official_gets_403_on_every_unsafe_method_of_every_page(official, county, client):
    client.force_login(official)
    allowed = {"accounts:logout", "accounts:password_change"}
    # Requesting an export reads the ledger: officials may POST it (and nothing else there).
    allowed_post = {"exports:export_create"}
    for name, target, _method in MATRIX:
        if name in allowed:
            continue
        url = url_for(name, target, county)
        for method in ("post", "put", "patch", "delete"):
            if method == "post" and name in allowed_post:
                continue
            response = getattr(client, method)(url)
            assert response.status_code == 403, (method, url)


def test_403_and_404_pages_are_in_chinese(secretary, county, client):
    client.force_login(secretary)
    not_found = client.get(reverse("areas:community_detail", kwargs={"pk": county.community_b1.pk}))
    forbidden = client.get(reverse("areas:township_create"))
    assert "页面不存在" in not_found.content.decode()
    assert "没有权限" in forbidden.content.decode()


def test_admin_site_refuses_non_staff(secretary, client):
    client.force_login(secretary)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
