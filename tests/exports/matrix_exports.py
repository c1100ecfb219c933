"""Matrix rows of the export pages.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). An export
job is its requester's alone: "mine" is a finished job of the persona walking the matrix (the
user created last, as the persona fixture runs after the county), "other" is a job of another
user, which answers 404 to everyone, like a job that doesn't exist. Officials may POST the
export request (it reads the ledger), nothing else.
"""

from accounts.models import User
from exports.models import ExportJob, export_scope_key
from orgs.permissions import can_see_sensitive
from tests.accounts.factories import UserFactory
from tests.exports.factories import ExportJobFactory


def _finished_job(user) -> int:
    from exports.services import exports_root

    reveal = can_see_sensitive(user)
    relative = f"matrix/{user.pk}.xlsx"
    path = exports_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 matrix")
    return ExportJobFactory(
        requested_by=user,
        status=ExportJob.Status.SUCCEEDED,
        reveal=reveal,
        scope_key=export_scope_key(user, reveal=reveal),
        file_path=relative,
        file_name="社会组织台账.xlsx",
    ).pk


def _mine(county) -> int:
    user = User.objects.order_by("-pk").first() or UserFactory()
    return _finished_job(user)


TARGETS = {
    "exports:job:mine": _mine,
    "exports:job:other": lambda c: _finished_job(UserFactory()),
}

ALL_200 = (200, 200, 200, 200, 200)
ALL_404 = (404, 404, 404, 404, 404)

MATRIX = {
    ("exports:export_list", None, "get"): ALL_200,
    ("exports:export_create", None, "get"): ALL_200,
    # An empty request is answered with the form and its error (no job is made).
    ("exports:export_create", None, "post"): ALL_200,
    ("exports:export_detail", "exports:job:mine", "get"): ALL_200,
    ("exports:export_detail", "exports:job:other", "get"): ALL_404,
    ("exports:export_download", "exports:job:mine", "get"): ALL_200,
    ("exports:export_download", "exports:job:other", "get"): ALL_404,
}
