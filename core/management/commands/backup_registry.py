"""Back up the database and the files into one folder, with a manifest to check a restore by.

manage.py backup_registry --to /backups [--keep 14]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the files (media, exports, uploads) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="folder that holds the backups")
        parser.add_argument("--keep", type=int, default=None, help="keep the newest N backups")

    def handle(self, *args, **options):
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError(_("--keep must be at least 1."))
        try:
            folder = backup(Path(options["to"]), keep=options["keep"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Backup written: %(folder)s") % {"folder": folder})
