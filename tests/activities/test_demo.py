"""The demo year of activities matches the county's figures."""

from django.db.models import Avg, Count, Q, Sum

from activities.demo import seed_activities
from activities.models import Activity, Feedback, MediationCase, VerificationStatus
from core.demo import DemoContext

WELFARE = [
    Activity.Kind.HEALTH_CLINIC,
    Activity.Kind.LEGAL_AID,
    Activity.Kind.LEFT_BEHIND_CHILDREN,
    Activity.Kind.MENTAL_CARE,
    Activity.Kind.ELDERLY_DISABLED,
    Activity.Kind.VOLUNTEERING,
]


def _seed(seed: int = 1) -> DemoContext:
    context = DemoContext(scale="county", seed=seed, password="x")
    seed_activities(context)
    return context


def test_demo_year_matches_the_county_figures(county):
    context = _seed()
    figures = Activity.objects.aggregate(
        welfare=Count("pk", filter=Q(kind__in=WELFARE)),
        culture=Count("pk", filter=Q(kind=Activity.Kind.CULTURE_SPORTS)),
        reached=Sum("beneficiaries"),
        verified=Count("pk", filter=Q(status=VerificationStatus.VERIFIED)),
        total=Count("pk"),
    )
    assert figures["welfare"] >= 240
    assert figures["culture"] >= 150
    assert 40_000 <= figures["reached"] <= 60_000
    assert figures["verified"] / figures["total"] > 0.8
    assert Activity.objects.filter(status=VerificationStatus.RETURNED).exists()
    assert Activity.objects.filter(status=VerificationStatus.SUBMITTED).exists()
    assert MediationCase.objects.count() >= 180
    assert 4.3 <= Feedback.objects.aggregate(mean=Avg("score"))["mean"] <= 4.7
    assert context.summary


def test_demo_is_deterministic(county):
    _seed(seed=5)
    first = list(Activity.objects.order_by("pk").values_list("title", "start", "beneficiaries"))
    Feedback.objects.all().delete()
    Activity.objects.all().delete()
    MediationCase.objects.all().delete()
    _seed(seed=5)
    assert (
        list(Activity.objects.order_by("pk").values_list("title", "start", "beneficiaries"))
        == first
    )
