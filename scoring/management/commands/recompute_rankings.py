"""python manage.py recompute_rankings --quarter 2026Q3 [--finalize] [--county 990101] [--parallel]

Each county has its own ranking. Without --county every county is recomputed, one run each:
in this process one after the other, or with --parallel queued to the scoring queue (each
county's run a task of its own, computed side by side by the scoring workers) and awaited.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from areas.models import County
from core.quarters import format_quarter, parse_quarter
from scoring.models import RankingRun
from scoring.services.runs import current_quarter, request_recompute, run_now

# How long --parallel waits for the workers (longer than a run's time limit).
WAIT_SECONDS = 30 * 60


class Command(BaseCommand):
    help = (
        "Recompute one quarter's scores and ranks of each county (the current quarter by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="e.g. 2026Q3; default: the current quarter")
        parser.add_argument(
            "--finalize", action="store_true", help="freeze the quarter after computing it"
        )
        parser.add_argument("--county", help="the county's 6-digit division code; default: all")
        parser.add_argument(
            "--parallel",
            action="store_true",
            help="queue one run per county to the scoring workers and wait for them",
        )

    def handle(self, *args, quarter=None, finalize=False, county=None, parallel=False, **options):
        key = parse_quarter(quarter) if quarter else current_quarter()
        if key is None:
            raise CommandError(f"季度格式不正确：{quarter!r}，请写成 2026Q3 这样的形式。")
        counties = list(County.objects.order_by("code"))
        if county:
            code = county.strip()
            counties = [row for row in counties if row.code == code]
            if not counties:
                raise CommandError(f"没有代码为 {code} 的县（市、区）。")
        if not counties:
            raise CommandError("还没有任何县（市、区）：请先建立区划。")
        started = time.perf_counter()
        try:
            runs = (
                self._queued(key, counties, finalize)
                if parallel
                else [self._here(key, each, finalize) for each in counties]
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        label = format_quarter(key)
        failed = [run for run in runs if run.status != RankingRun.Status.SUCCEEDED]
        for run in runs:
            self.stdout.write(self._line(label, run, finalize))
        if len(runs) > 1:
            self.stdout.write(
                f"共 {len(runs)} 个县（市、区），总用时 {time.perf_counter() - started:.2f} 秒"
                + ("（并行）。" if parallel else "。")
            )
        if failed:
            names = "、".join(run.county.name for run in failed)
            raise CommandError(f"{label} 计算失败：{names}")

    def _here(self, key, county, finalize) -> RankingRun:
        return run_now(
            year=key[0],
            quarter=key[1],
            county=county,
            trigger=RankingRun.Trigger.COMMAND,
            finalize=finalize,
        )

    def _queued(self, key, counties, finalize) -> list[RankingRun]:
        runs = [
            request_recompute(
                year=key[0],
                quarter=key[1],
                county=county,
                trigger=RankingRun.Trigger.COMMAND,
                finalize=finalize,
            )
            for county in counties
        ]
        ids = [run.pk for run in runs]
        active = [RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
        deadline = time.monotonic() + WAIT_SECONDS
        while RankingRun.objects.filter(pk__in=ids, status__in=active).exists():
            if time.monotonic() > deadline:
                raise CommandError("等待计算超时：请检查 scoring 队列的 Celery worker 是否在运行。")
            time.sleep(0.5)
        by_pk = RankingRun.objects.select_related("county").in_bulk(ids)
        return [by_pk[pk] for pk in ids]

    @staticmethod
    def _line(label: str, run: RankingRun, finalize: bool) -> str:
        if run.status != RankingRun.Status.SUCCEEDED:
            return f"{run.county.name} {label}：计算失败：{run.error}"
        seconds = run.duration.total_seconds() if run.duration else 0
        return (
            f"{run.county.name} {label}：已计算 {run.organizations_scored} 个组织，"
            f"参与排名 {run.organizations_ranked} 个，用时 {seconds:.2f} 秒"
            + ("，本季度已定稿。" if finalize else "。")
        )
