"""Demo scores: last year's and this year's schemes, some quarter assessments, and the
rankings of the last four quarters (finalised, as the schedule would have left them) and of
the running quarter (open)."""

from __future__ import annotations

from django.utils import translation

from areas.models import County
from core import bulk
from core.quarters import quarter_label, shift_quarter
from orgs.models import Organization
from scoring.models import QuarterAssessment, RankingRun
from scoring.services.runs import current_quarter, run_now
from scoring.services.schemes import ensure_scheme

PAST_QUARTERS = 4


def seed_scores(context) -> None:
    rng = context.rng
    current = current_quarter()
    quarters = [shift_quarter(current, -offset) for offset in range(PAST_QUARTERS, -1, -1)]
    counties = list(County.objects.order_by("code"))
    for county in counties:
        for year in sorted({year for year, _quarter in quarters}):
            ensure_scheme(year, county=county)
    organizations = list(Organization.objects.active().values_list("pk", flat=True))
    assessments = []
    for year, quarter in quarters:
        # Secretaries assess about half of the groups each quarter; a few get commended.
        for pk in organizations:
            if rng.random() < 0.5:
                assessments.append(
                    QuarterAssessment(
                        organization_id=pk,
                        year=year,
                        quarter=quarter,
                        community_score=rng.choice((2, 3, 3, 4, 4, 4, 5)),
                        commendations=1 if rng.random() < 0.05 else 0,
                    )
                )
    QuarterAssessment.objects.bulk_create(assessments, batch_size=5000)
    # The ledger and its records were just written in this transaction: the recomputes below
    # are planned on their statistics, not on empty tables' guesses.
    bulk.analyze()
    for county in counties:
        for year, quarter in quarters:
            run_now(
                year=year,
                quarter=quarter,
                county=county,
                trigger=RankingRun.Trigger.COMMAND,
                finalize=(year, quarter) != current,
            )
    with translation.override("zh-hans"):
        first, last = quarter_label(quarters[0]), quarter_label(current)
    context.summary.append(f"积分排名：{first}至{last}共 {len(quarters)} 个季度（本季度每晚重算）")
