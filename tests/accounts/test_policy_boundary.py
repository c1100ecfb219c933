"""Who may do what is decided in the policy modules only (issue 16).

The policy modules are `accounts.roles` (the roles and what an account's role means),
`accounts.policies` (the one role table), `accounts.scoping` (which rows a scope sees) and
each app's `permissions.py`. Everywhere else code asks them; it never compares a role itself.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from accounts.policies import GRANTS, may
from accounts.roles import Role
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
POLICY_MODULES = {"accounts/roles.py", "accounts/policies.py", "accounts/scoping.py"}
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "staticfiles", "benchmarks"}

# A role compared (`user.role == ...`, `scope.role in {...}`, `role != ...`), a superuser
# tested (`user.is_superuser or ...`, `if user.is_superuser`), or a role named in a template's
# condition. A query for the accounts of a role (`filter(role=Role.X)`) compares nothing.
PYTHON_CHECKS = (
    re.compile(r"\brole\s*(==|!=|\bin\b|\bnot\s+in\b)"),
    re.compile(r"(==|!=|\bin\b)\s*Role\.[A-Z_]+"),
    re.compile(r"Role\.[A-Z_]+\s*(==|!=|\bin\b)"),
    re.compile(r"\b(if|elif|or|and|not|return)\s+(\w+\.)*is_superuser\b"),
    re.compile(r"\bis_superuser\s+(or|and)\b"),
)
# A member's role in an organisation (Membership.Role) is not an account's role; a loop over
# roles compares nothing.
NOT_ACCOUNT_ROLES = re.compile(r"Membership\.Role|\bfor\s+[\w, ]*\brole\b[\w, ]*\s+in\b")
TEMPLATE_CHECKS = (re.compile(r"\{%[^%]*role\b[^%]*(==|!=|\bin\b)[^%]*%\}"),)


def _sources(suffix: str):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts):
            continue
        yield relative.as_posix(), path


def _is_policy_module(relative: str) -> bool:
    return relative in POLICY_MODULES or relative.endswith("/permissions.py")


def _code_lines(text: str) -> dict[int, str]:
    """Each line of a Python module with its strings and comments blanked out."""
    lines = [list(line) for line in text.splitlines()]
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in (tokenize.STRING, tokenize.COMMENT):
            continue
        (first, start), (last, end) = token.start, token.end
        for row in range(first, last + 1):
            line = lines[row - 1]
            left = start if row == first else 0
            right = end if row == last else len(line)
            line[left:right] = " " * (right - left)
    return {number: "".join(line) for number, line in enumerate(lines, 1)}


def _offences(suffix: str, checks) -> list[str]:
    found = []
    for relative, path in _sources(suffix):
        if _is_policy_module(relative):
            continue
        text = path.read_text(encoding="utf-8")
        lines = _code_lines(text) if suffix == ".py" else dict(enumerate(text.splitlines(), 1))
        for number, code in sorted(lines.items()):
            if NOT_ACCOUNT_ROLES.search(code):
                continue
            if any(check.search(code) for check in checks):
                found.append(f"{relative}:{number}: {code.strip()}")
    return found


def test_no_role_is_compared_outside_the_policy_modules():
    assert _offences(".py", PYTHON_CHECKS) == []


def test_no_template_compares_a_role():
    assert _offences(".html", TEMPLATE_CHECKS) == []


def test_the_checks_catch_what_they_are_for():
    """The patterns above are not vacuous: each flags the kind of line it is meant for."""
    offending = [
        "if scope.role == Role.TOWNSHIP_STAFF:",
        "return user.is_superuser or scope.role in OVERSEER_ROLES",
        "if Role.SECRETARY != role:",
        "allowed = user.role not in READ_ONLY",
        "x = y in Role.COUNTY_ADMIN",
    ]
    harmless = [
        "User.objects.filter(role=Role.COUNTY_ADMIN).first()",
        "User.objects.filter(is_superuser=True)",
        '("is_active", "is_staff", "is_superuser")',
        "role=membership.role,",
        "return roles.effective_role(self.role, is_superuser=self.is_superuser)",
        "if role in {Membership.Role.LEADER, Membership.Role.DEPUTY}:",
        "ORDER = {role: rank for rank, role in enumerate(Membership.Role.values)}",
    ]

    def flagged(line: str) -> bool:
        code = _code_lines(line + "\n").get(1, "")
        if NOT_ACCOUNT_ROLES.search(code):
            return False
        return any(check.search(code) for check in PYTHON_CHECKS)

    assert all(flagged(line) for line in offending)
    assert not any(flagged(line) for line in harmless)
    assert not flagged('"""Create a user of every role in the first street."""')
    assert TEMPLATE_CHECKS[0].search('{% if home_role == "official" %}')


def test_every_action_grants_known_roles():
    for action, grant in GRANTS.items():
        assert grant.roles, action
        assert grant.roles <= set(Role), action


@pytest.mark.django_db
def test_write_actions_are_refused_to_read_only_accounts():
    official = UserFactory(role=Role.OFFICIAL)
    for action, grant in GRANTS.items():
        if Role.OFFICIAL in grant.roles:
            assert may(official, action) is (not grant.writes), action
        else:
            assert may(official, action) is False, action


@pytest.mark.django_db
def test_an_account_without_a_role_may_nothing_and_a_superuser_everything():
    nobody = UserFactory(role="")
    root = UserFactory(role="", is_superuser=True)
    assert not any(may(nobody, action) for action in GRANTS)
    assert all(may(root, action) for action in GRANTS)


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        may(None, "venues.fly")
