"""Restore a backup into an empty database and check every table's rows and every file.

    manage.py restore_registry /backups/registry-20261205-031500 \
        --database-url postgres://postgres@127.0.0.1:5432/registry_restored
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database, put the files back, and check both."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a registry-<stamp> folder written by backup_registry")
        parser.add_argument(
            "--database-url",
            default="",
            help="the empty database to restore into (default: this installation's)",
        )

    def handle(self, *args, **options):
        try:
            url = options["database_url"]
            database = Database.from_url(url) if url else Database.from_settings()
            checked = restore(Path(options["folder"]), database=database)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored and checked: %(tables)s tables, %(rows)s rows, %(files)s files.")
            % {key: checked[key] for key in ("tables", "rows", "files")}
        )
