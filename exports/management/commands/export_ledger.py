from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from exports.registry import KINDS, build_ledger, parse_quarter_param, parse_year
from exports.services import write_ledger


class Command(BaseCommand):
    help = (
        "Write an Excel ledger with the same writer as the export pages: "
        "export_ledger --kind KIND --out FILE.xlsx [--quarter 2026Q3] [--year 2026]."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help=f"One of: {', '.join(KINDS)}.")
        parser.add_argument("--out", required=True, help="The .xlsx file to write.")
        parser.add_argument("--quarter", help="The quarter, e.g. 2026Q3 (ranking, meetings).")
        parser.add_argument("--year", help="The year, e.g. 2026 (awards).")
        parser.add_argument(
            "--user",
            help="Export what this user may see, masked as for them (default: the whole "
            "county, with ID numbers and mobiles masked).",
        )
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help="Write full ID numbers and mobiles (county-wide export only).",
        )

    def handle(self, *args, kind, out, quarter=None, year=None, user=None, unmasked=False, **opts):
        if kind not in KINDS:
            raise CommandError(
                _("Unknown ledger %(kind)s: choose one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(KINDS)}
            )
        if not out.lower().endswith(".xlsx"):
            raise CommandError(_("The output file must end in .xlsx: %(out)s") % {"out": out})
        params = {}
        try:
            if quarter:
                parse_quarter_param(quarter)
                params["quarter"] = [quarter.strip()]
            if year:
                params["year"] = [str(parse_year(year, default=0))]
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if user:
            reader = User.objects.filter(username=user, is_active=True).first()
            if reader is None:
                raise CommandError(_("No active user %(user)s.") % {"user": user})
            from orgs.permissions import can_see_sensitive

            reveal = can_see_sensitive(reader)
        else:
            # Nobody in particular: the county-wide read-only view, never saved.
            reader = User(username="export_ledger", role=Role.OFFICIAL, is_active=True)
            reveal = unmasked
        try:
            ledger = build_ledger(kind, user=reader, params=params, reveal=reveal)
            rows = write_ledger(ledger, out)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(
            self.style.SUCCESS(_("%(rows)s rows written to %(out)s.") % {"rows": rows, "out": out})
        )
