from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import bulk, demo


class Command(BaseCommand):
    help = "Load the deterministic demo county (townships, communities, users of every role)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(demo.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) when the database already holds areas.",
        )

    def handle(self, *args, scale, seed: int, if_empty: bool, **options):
        password = settings.DEMO_PASSWORD
        if demo.database_is_seeded():
            if if_empty:
                self.stdout.write("数据库中已有数据，跳过演示数据加载。")
                self._print_logins(password)
                return
            raise CommandError(
                "数据库中已有街道/乡镇数据，演示数据只能加载到空数据库。"
                "请换一个空数据库（或删除 db.sqlite3）后重试。"
            )
        with transaction.atomic():
            context = demo.seed(scale=scale, seed=seed, password=password)
        # Thousands to millions of rows were just loaded: give PostgreSQL's planner their
        # statistics now, rather than whenever autovacuum (off on some servers) gets to them.
        # Without them a township's people list at province scale chose a scan of every
        # person, and one check of the county's bookings took 94 s instead of 0.1 s. Inside a
        # caller's transaction (the tests' fixtures) ANALYZE samples the rows not committed yet.
        bulk.analyze()
        self.stdout.write(self.style.SUCCESS(f"已加载演示数据（规模 {scale}，种子 {seed}）："))
        for line in context.summary:
            self.stdout.write(f"  {line}")
        self._print_logins(password)

    def _print_logins(self, password: str) -> None:
        for line in demo.login_lines(password):
            self.stdout.write(line)
