import datetime

import factory
from django.utils import timezone

from activities.models import Activity, Feedback, MediationCase, VerificationStatus
from activities.rollups import activity_shares, mediation_shares
from rollups.services import apply_shares
from tests.orgs.factories import OrganizationFactory


def days_ago(days: int, hour: int = 9) -> datetime.datetime:
    """An aware datetime `days` before today at `hour` o'clock, local time."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A record made here counts in the monthly roll-ups as one made by a service does.
        record = super()._create(model_class, *args, **kwargs)
        apply_shares(after=activity_shares(record))
        return record

    lead_organization = factory.SubFactory(OrganizationFactory)
    kind = Activity.Kind.CULTURE_SPORTS
    title = factory.Sequence(lambda n: f"广场文艺演出{n}")
    start = factory.LazyFunction(lambda: days_ago(2))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    place = "社区广场"
    community_served = factory.LazyAttribute(lambda o: o.lead_organization.community)
    participants = 30
    beneficiaries = 60
    description = "居民自编自演文艺节目，社区志愿者维持秩序。"
    status = VerificationStatus.SUBMITTED
    feedback_closes_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.end) + datetime.timedelta(days=14)
    )


class MediationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationCase

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A record made here counts in the monthly roll-ups as one made by a service does.
        record = super()._create(model_class, *args, **kwargs)
        apply_shares(after=mediation_shares(record))
        return record

    organization = factory.SubFactory(OrganizationFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    kind = MediationCase.Kind.NEIGHBOUR
    parties_summary = "楼上楼下漏水纠纷"
    outcome = MediationCase.Outcome.RESOLVED
    community = factory.LazyAttribute(lambda o: o.organization.community)
    status = VerificationStatus.SUBMITTED


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.LazyAttribute(lambda o: o.activity.lead_organization)
    score = 5
    source = Feedback.Source.RESIDENT_FORM
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
