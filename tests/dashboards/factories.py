import factory
from django.utils import timezone

from core.quarters import quarter_of
from scoring.models import QuarterScore, RankingRun
from tests.areas.factories import CountyFactory
from tests.orgs.factories import OrganizationFactory


class QuarterScoreFactory(factory.django.DjangoModelFactory):
    """A computed score of the running quarter (scoring's computation is built elsewhere)."""

    class Meta:
        model = QuarterScore

    organization = factory.SubFactory(OrganizationFactory)
    year = factory.LazyFunction(lambda: quarter_of(timezone.localdate())[0])
    quarter = factory.LazyFunction(lambda: quarter_of(timezone.localdate())[1])
    category = factory.LazyAttribute(lambda o: o.organization.category)
    township = factory.LazyAttribute(lambda o: o.organization.community.township)
    county = factory.LazyAttribute(lambda o: o.township.county)
    total = 50
    ranked = True


class RankingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingRun

    county = factory.SubFactory(CountyFactory)
    year = factory.LazyFunction(lambda: quarter_of(timezone.localdate())[0])
    quarter = factory.LazyFunction(lambda: quarter_of(timezone.localdate())[1])
    trigger = RankingRun.Trigger.SCHEDULE
    status = RankingRun.Status.SUCCEEDED
