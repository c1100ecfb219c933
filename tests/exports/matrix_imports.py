"""Rows of the role × area matrix for the import pages.

An import job is visible to its uploader only: "own" jobs belong to the persona itself, "other"
jobs to another user. Roles that cannot import get 403 before any job is looked up.
"""

from accounts.models import User
from exports.models import ImportJob
from tests.accounts.factories import UserFactory
from tests.conftest import ROLES


def _job(user=None):
    user = user or UserFactory()
    return ImportJob.objects.create(
        uploaded_by=user, original_name="台账.xlsx", file="2026/01/x.xlsx"
    ).pk


def _persona():
    # each matrix case logs in one persona, the only user with a persona's username
    return User.objects.filter(username__in=ROLES).first()


TARGETS = {
    "imports:job:own": lambda c: _job(_persona()),
    "imports:job:other": lambda c: _job(),
}

IMPORTERS = (200, 200, 403, 403, 403)

MATRIX = {
    ("exports:import_upload", None, "get"): IMPORTERS,
    ("exports:import_upload", None, "post"): IMPORTERS,
    ("exports:import_template", None, "get"): IMPORTERS,
    ("exports:import_template", None, "post"): (405, 405, 405, 403, 405),
    ("exports:import_detail", "imports:job:own", "get"): IMPORTERS,
    ("exports:import_commit", "imports:job:own", "post"): (302, 302, 403, 403, 403),
    ("exports:import_detail", "imports:job:other", "get"): (404, 404, 403, 403, 403),
    ("exports:import_mapping", "imports:job:other", "post"): (404, 404, 403, 403, 403),
    ("exports:import_commit", "imports:job:other", "post"): (404, 404, 403, 403, 403),
}
