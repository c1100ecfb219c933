"""The demo year of activities matches the county's figures."""

import datetime
from collections import Counter

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from activities import demo
from activities.demo import seed_activities
from activities.models import (
    FEEDBACK_WINDOW_DAYS,
    Activity,
    Feedback,
    MediationCase,
    VerificationStatus,
)
from core.demo import DemoContext
from tests.clock import frozen_clock

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


# The province's two years, at a small count: on PostgreSQL the database generates them
# (activities.demo._province_activities_in_sql), elsewhere the Python path does. Both must keep
# the same rules.
PROVINCE_COUNT = 4_000
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def _seed_province(monkeypatch, seed: int = 3) -> DemoContext:
    monkeypatch.setitem(demo.PROVINCE, "activities", PROVINCE_COUNT)
    context = DemoContext(scale="province", seed=seed, password="x")
    with frozen_clock(NOW):
        seed_activities(context)
    return context


def test_province_activities_keep_the_demo_rules(county, county_admin, monkeypatch):
    context = _seed_province(monkeypatch)
    today = timezone.localdate(NOW)
    activities = list(Activity.objects.all())

    assert len(activities) == PROVINCE_COUNT
    assert f"{PROVINCE_COUNT} 场活动" in context.summary[-1]
    organizations = {county.org_a1.pk, county.org_a2.pk, county.org_b1.pk}
    communities = {
        org.pk: org.community_id for org in (county.org_a1, county.org_a2, county.org_b1)
    }
    places = {"社区活动室", "社区广场", "党群服务中心", "村文化大院"}
    for activity in activities:
        start, end = timezone.localtime(activity.start), timezone.localtime(activity.end)
        assert activity.lead_organization_id in organizations
        assert activity.community_served_id == communities[activity.lead_organization_id]
        assert today - datetime.timedelta(days=730) <= start.date() < today
        assert 8 <= start.hour <= 19 and start.minute == 0
        assert end - start in {datetime.timedelta(hours=hours) for hours in (1, 2, 3)}
        assert activity.title in demo.TITLES[activity.kind]
        assert activity.place in places
        low, high = demo.BENEFICIARIES.get(activity.kind, demo.DEFAULT_BENEFICIARIES)
        assert low <= activity.beneficiaries <= high
        assert 8 <= activity.participants <= 40
        assert 4 <= activity.volunteer_hours <= 40
        if activity.kind in demo.HELP_KINDS:
            assert 1 <= activity.help_cases <= 6
        else:
            assert activity.help_cases == 0
        assert activity.feedback_closes_on == end.date() + datetime.timedelta(
            days=FEEDBACK_WINDOW_DAYS
        )
        if NOW - activity.start < datetime.timedelta(days=10):
            assert activity.status == VerificationStatus.SUBMITTED
        if activity.status == VerificationStatus.VERIFIED:
            assert activity.verified_by == county_admin
            assert activity.verified_at == activity.end + datetime.timedelta(days=3)
        else:
            assert activity.verified_by is None and activity.verified_at is None
        assert bool(activity.return_reason) == (activity.status == VerificationStatus.RETURNED)

    tokens = [activity.feedback_token for activity in activities]
    assert len(set(tokens)) == len(tokens)
    kinds = Counter(activity.kind for activity in activities)
    assert set(kinds) == set(demo.ACTIVITY_PLAN)
    # 160 of the plan's 520 are cultural events: about 31 %.
    assert 0.26 <= kinds[Activity.Kind.CULTURE_SPORTS] / PROVINCE_COUNT <= 0.36
    statuses = Counter(activity.status for activity in activities)
    assert 0.88 <= statuses[VerificationStatus.VERIFIED] / PROVINCE_COUNT <= 0.96
    assert statuses[VerificationStatus.RETURNED] > 0
    # The showcase group (the first one) leads at least one activity in 2,000 on top of its
    # share of the draw.
    assert Activity.objects.filter(lead_organization=county.org_a1).count() >= PROVINCE_COUNT / 4

    feedback = list(Feedback.objects.select_related("activity"))
    assert 0.12 <= len(feedback) / PROVINCE_COUNT <= 0.18
    assert all(item.organization_id == item.activity.lead_organization_id for item in feedback)
    assert all(
        item.activity.end + datetime.timedelta(hours=1) <= item.created_at <= NOW
        or item.created_at == NOW
        for item in feedback
    )
    assert {item.source for item in feedback} == {
        Feedback.Source.RESIDENT_FORM,
        Feedback.Source.PHONE_SURVEY,
    }
    assert 4.3 <= sum(item.score for item in feedback) / len(feedback) <= 4.7
    assert all(len(item.fingerprint) == 64 for item in feedback)


def test_province_activities_are_deterministic_for_a_seed(county, county_admin, monkeypatch):
    def seeded(seed):
        _seed_province(monkeypatch, seed)
        rows = list(
            Activity.objects.order_by("pk").values_list(
                "kind", "start", "lead_organization", "beneficiaries", "status"
            )
        )
        scores = list(Feedback.objects.order_by("pk").values_list("score", flat=True))
        Feedback.objects.all().delete()
        Activity.objects.all().delete()
        MediationCase.objects.all().delete()
        return rows, scores

    first = seeded(7)
    assert seeded(7) == first
    assert seeded(8) != first
