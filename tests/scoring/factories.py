import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from scoring.models import Award, QuarterAssessment, QuarterScore, RankingRun, ScoringQuarter
from scoring.rules import snapshot
from scoring.services.schemes import ensure_scheme
from tests.areas.factories import CountyFactory
from tests.orgs.factories import CategoryFactory, OrganizationFactory


def scheme_of(year: int, county=None):
    """The county's scheme of the year with the default rules (created when missing; the
    tests' county, 平安县, by default)."""
    return ensure_scheme(year, county=county or CountyFactory())


class ScoringQuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringQuarter
        django_get_or_create = ("county", "year", "quarter")

    county = factory.SubFactory(CountyFactory)
    year = 2026
    quarter = 1
    computed_at = factory.LazyFunction(timezone.now)
    rules = factory.LazyAttribute(lambda o: snapshot(scheme_of(o.year, o.county)))
    county_mean = Decimal("4.200")


class QuarterScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterScore

    organization = factory.SubFactory(OrganizationFactory)
    year = 2026
    quarter = 1
    category = factory.LazyAttribute(lambda o: o.organization.category)
    township = factory.LazyAttribute(lambda o: o.organization.community.township)
    county = factory.LazyAttribute(lambda o: o.township.county)
    activities = 3
    activity_points = Decimal(15)
    service_points = Decimal(10)
    satisfaction_points = Decimal(20)
    governance_points = Decimal(8)
    bonus_points = Decimal(2)
    deduction_points = Decimal(0)
    total = factory.LazyAttribute(
        lambda o: (
            o.activity_points
            + o.service_points
            + o.satisfaction_points
            + o.governance_points
            + o.bonus_points
            + o.deduction_points
        )
    )
    ranked = True
    rank_county = 1
    rank_category = 1
    rank_township = 1


class RankingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingRun

    county = factory.SubFactory(CountyFactory)
    year = 2026
    quarter = 1
    trigger = RankingRun.Trigger.MANUAL
    status = RankingRun.Status.SUCCEEDED
    progress = 100


class QuarterAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterAssessment

    organization = factory.SubFactory(OrganizationFactory)
    year = 2026
    quarter = 1
    community_score = 3


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    year = 2026
    organization = factory.SubFactory(OrganizationFactory)
    category = factory.LazyAttribute(lambda o: o.organization.category or CategoryFactory())
    title = "2026年度优秀社会组织"
    annual_total = Decimal(200)
    quarters_counted = 4
    rank_in_category = 1


def past_quarter(by: int = 1) -> tuple[int, int]:
    """A quarter `by` quarters before today's."""
    from core.quarters import quarter_of, shift_quarter

    return shift_quarter(quarter_of(timezone.localdate()), -by)


def today() -> datetime.date:
    return timezone.localdate()
