"""A hand-built quarter ranking for the workbook tests: every rank, tie and change known.

2026 Q3, computed 2026-10-05 02:30 (Shanghai). Two categories, three townships (白云乡 has
no organisation), a tie for second place, one organisation deregistered (not ranked).

    county  org                 category   township  total  previous county rank
    1       幸福社区书画协会     文体娱乐类  城关街道   60     4   (↑3)
    2       和平社区广场舞队     公益慈善类  城关街道   50     1   (↓1)
    2       王家村秧歌队         文体娱乐类  青山镇     50     —   (新)
    4       王家村助老服务队     公益慈善类  青山镇     30     4   (—)
    -       王家村旧篮球队       文体娱乐类  青山镇      0     deregistered
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
from django.utils import timezone

from exports.registry import build_ledger
from exports.services import write_ledger
from scoring.models import QuarterScore
from tests.areas.factories import CommunityFactory, TownshipFactory
from tests.orgs.factories import CategoryFactory, OrganizationFactory
from tests.scoring.factories import QuarterScoreFactory, ScoringQuarterFactory

YEAR, QUARTER = 2026, 3
COMPUTED_AT = datetime.datetime(2026, 10, 5, 2, 30)
COUNTY_NAME = "平安县"
EMPTY = "本季度无参与排名的社会组织"


def _score(org, *, total, county, category, township, previous=None, **fields):
    points = Decimal(total)
    return QuarterScoreFactory(
        organization=org,
        year=YEAR,
        quarter=QUARTER,
        activity_points=points,
        service_points=Decimal(0),
        satisfaction_points=Decimal(0),
        governance_points=Decimal(0),
        bonus_points=Decimal(0),
        rank_county=county,
        rank_category=category,
        rank_township=township,
        previous_rank_county=previous,
        activities=int(total) // 5,
        **fields,
    )


def build_ranked_county(county, *, extra: int = 0) -> SimpleNamespace:
    """The table above on the `county` fixture; `extra` more ranked organisations in 城关街道."""
    culture = CategoryFactory(name="文体娱乐类", sort_order=1)
    charity = CategoryFactory(name="公益慈善类", sort_order=2)
    empty_township = TownshipFactory(name="白云乡", code="990101003", kind="township")
    CommunityFactory(township=empty_township, name="白云村", code="990101003001", kind="village")
    ScoringQuarterFactory(year=YEAR, quarter=QUARTER, computed_at=timezone.make_aware(COMPUTED_AT))
    orgs = county
    for org, category in ((orgs.org_a1, culture), (orgs.org_a2, charity), (orgs.org_b1, culture)):
        org.category = category
        org.save(update_fields=["category"])
    helper = OrganizationFactory(
        name="王家村助老服务队", community=orgs.community_b1, category=charity
    )
    gone = OrganizationFactory(name="王家村旧篮球队", community=orgs.community_b1, category=culture)
    _score(orgs.org_a1, total=60, county=1, category=1, township=1, previous=4)
    _score(orgs.org_a2, total=50, county=2, category=1, township=2, previous=1)
    _score(orgs.org_b1, total=50, county=2, category=2, township=1)
    _score(helper, total=30, county=4, category=2, township=2, previous=4)
    _score(gone, total=0, county=None, category=None, township=None, ranked=False,
           not_ranked_reason="deregistered")  # fmt: skip
    add_volunteer_teams(county, culture, extra)
    return SimpleNamespace(
        culture=culture,
        charity=charity,
        empty_township=empty_township,
        helper=helper,
        gone=gone,
        scores=QuarterScore.objects.filter(year=YEAR, quarter=QUARTER),
    )


def add_volunteer_teams(county, category, count: int) -> None:
    """`count` more ranked organisations in 城关街道, ranked 5th, 6th ... (totals 29.5, 29 ...)."""
    for n in range(count):
        org = OrganizationFactory(
            name=f"城关街道第{n + 1:02d}志愿服务队",
            community=county.community_a2,
            category=category,
        )
        total = Decimal("29.5") - Decimal("0.5") * n
        _score(org, total=total, county=5 + n, category=3 + n, township=3 + n, previous=6 + n)


def ranking_workbook_bytes(user, params=None) -> bytes:
    """The ranking workbook of 2026 Q3 as `user` exports it with the page's `params`."""
    query = {"quarter": ["2026Q3"], **(params or {})}
    ledger = build_ledger("ranking", user=user, params=query, reveal=False)
    target = io.BytesIO()
    write_ledger(ledger, target)
    return target.getvalue()


def open_workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))
