"""python manage.py recompute_rankings --quarter 2026Q3 [--finalize]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.quarters import format_quarter, parse_quarter
from scoring.models import RankingRun
from scoring.services.runs import current_quarter, run_now


class Command(BaseCommand):
    help = "Recompute one quarter's scores and ranks (the current quarter by default)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="e.g. 2026Q3; default: the current quarter")
        parser.add_argument(
            "--finalize", action="store_true", help="freeze the quarter after computing it"
        )

    def handle(self, *args, quarter=None, finalize=False, **options):
        key = parse_quarter(quarter) if quarter else current_quarter()
        if key is None:
            raise CommandError(f"季度格式不正确：{quarter!r}，请写成 2026Q3 这样的形式。")
        try:
            run = run_now(
                year=key[0], quarter=key[1], trigger=RankingRun.Trigger.COMMAND, finalize=finalize
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        label = format_quarter(key)
        if run.status != RankingRun.Status.SUCCEEDED:
            raise CommandError(f"{label} 计算失败：{run.error}")
        seconds = run.duration.total_seconds() if run.duration else 0
        self.stdout.write(
            f"{label}：已计算 {run.organizations_scored} 个组织，"
            f"参与排名 {run.organizations_ranked} 个，用时 {seconds:.2f} 秒"
            + ("，本季度已定稿。" if finalize else "。")
        )
