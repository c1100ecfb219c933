from django.core.management.base import BaseCommand

from rollups.services import rebuild


class Command(BaseCommand):
    help = "Recompute the monthly roll-ups (activities, mediation, room bookings) from the records."

    def handle(self, *args, **options):
        for label, count in rebuild().items():
            self.stdout.write(f"{label}: {count}")
