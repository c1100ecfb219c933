from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.services.oversight import zombie_scan


class Command(BaseCommand):
    help = "Flag active organisations that meet a zombie clean-up criterion (民发〔2021〕63号)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day to judge, YYYY-MM-DD (default: today).")

    def handle(self, *args, on: str | None = None, **options):
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("Write the date as YYYY-MM-DD: %(on)s") % {"on": on}) from error
        created = zombie_scan(on=day)
        self.stdout.write(
            self.style.SUCCESS(
                _("Zombie scan of %(day)s done: %(count)s new flags to review.")
                % {"day": day.isoformat(), "count": created}
            )
        )
