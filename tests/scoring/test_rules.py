"""The rule objects (`scoring.rules`): what each gives for a figure, and that the recompute's SQL
(built from them) and the explanation (applying them in Python) agree on a random county."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import VerificationStatus
from orgs.models import AnnualInspection, CreditListing
from scoring.explain import explain
from scoring.models import Indicator, QuarterAssessment, QuarterScore, ScoringQuarter
from scoring.rules import (
    DEFAULT_CAPS,
    DEFAULT_RULES,
    INDICATOR_RULES,
    INDICATOR_RULES_BY_INDICATOR,
    RULES_BY_CODE,
    SatisfactionRule,
    ScoringRule,
)
from scoring.services.compute import compute_quarter
from tests.activities.factories import ActivityFactory, FeedbackFactory, MediationCaseFactory
from tests.orgs.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.scoring.factories import scheme_of
from tests.venues.factories import BookingFactory
from venues.models import Booking


def default(code: str) -> ScoringRule:
    rule = RULES_BY_CODE[code]
    return ScoringRule(code, rule.points, rule.per, rule.cap)


@pytest.mark.parametrize(
    ("code", "figure", "points"),
    [
        ("activity_led", 0, "0"),
        ("activity_led", 3, "15"),
        ("activity_led", 6, "25"),  # 30, capped at 25
        ("beneficiaries", 19, "0"),
        ("beneficiaries", 61, "3"),  # 1 per 20
        ("beneficiaries", 1000, "15"),
        ("volunteer_hours", Decimal("29.5"), "2"),  # 1 per 10, whole units
        ("volunteer_hours", Decimal("250"), "10"),
        ("help_cases", 4, "4"),
        ("help_cases", 9, "5"),
        ("mediation", 3, "6"),
        ("mediation", 8, "10"),
        ("grid_members", 2, "2"),
        ("grid_members", 7, "5"),
        ("community_assessment", 4, "4"),
        ("commendation", 3, "6"),  # no cap of its own
        ("branch_compliant", True, "3"),
        ("branch_compliant", False, "0"),
        ("alliance", True, "2"),
        ("abnormal_list", True, "-20"),
        ("failed_inspection", True, "-10"),
        ("failed_inspection", False, "0"),
        ("no_show", 2, "-4"),
        ("no_show", 6, "-10"),  # −12, capped at −10
    ],
)
def test_each_default_rule_gives_its_points(code, figure, points):
    assert default(code).points_for(figure) == Decimal(points)


def test_a_disabled_or_missing_rule_gives_nothing():
    assert ScoringRule("activity_led", Decimal(5), enabled=False).points_for(4) == 0
    assert ScoringRule.from_snapshot({}, "activity_led").points_for(4) == 0
    assert ScoringRule.from_snapshot(None, "alliance").points_for(True) == 0


def test_a_flag_rule_counts_once_whatever_its_per_and_cap():
    rule = ScoringRule("abnormal_list", Decimal(-20), per=3, cap=Decimal(5))
    assert rule.points_for(True) == Decimal(-20)
    assert not rule.is_capped(True)


def test_a_rule_read_from_a_snapshot():
    rules = {"no_show": {"points": "-3.00", "per": 2, "cap": "5.00", "enabled": True}}
    rule = ScoringRule.from_snapshot(rules, "no_show")
    assert (rule.units(5), rule.raw_points(5), rule.points_for(5)) == (2, Decimal(-6), -5)
    assert rule.is_capped(5)


def snap_of_defaults(**caps) -> dict:
    return {
        "prior_weight": 5,
        "caps": {field: str(value) for field, value in {**DEFAULT_CAPS, **caps}.items()},
        "rules": {
            rule.code: {
                "points": str(rule.points),
                "per": rule.per,
                "cap": None if rule.cap is None else str(rule.cap),
                "enabled": True,
            }
            for rule in DEFAULT_RULES
        },
    }


class Figures:
    def __init__(self, **values):
        self.__dict__.update(values)


def test_an_indicator_sums_its_rules_under_its_cap():
    service = INDICATOR_RULES_BY_INDICATOR[Indicator.SERVICE]
    row = Figures(beneficiaries=360, volunteer_hours=Decimal(51), help_cases=9)
    snap = snap_of_defaults()
    # 15 (18 capped) + 5 + 5 = 25, under the cap of 30
    assert (service.subtotal(snap["rules"], row), service.points_for(snap, row)) == (25, 25)
    snap = snap_of_defaults(service_cap=20)
    assert service.points_for(snap, row) == 20
    assert service.is_capped(snap, row)


def test_deductions_have_no_indicator_cap():
    deduction = INDICATOR_RULES_BY_INDICATOR[Indicator.DEDUCTION]
    row = Figures(abnormal_listed=True, failed_inspection=True, no_shows=6)
    assert deduction.points_for(snap_of_defaults(), row) == Decimal(-40)


@pytest.mark.parametrize(
    ("count", "total", "mean", "points"),
    [
        (0, 0, "3.700", "0"),  # no rating this quarter
        (3, 12, None, "0"),  # no county mean
        (4, 18, "3.700", "19.10"),  # R = 36.5 / 9
        (1, 5, "3.700", "18.23"),  # R = 23.5 / 6
        (10, 10, "1.000", "0"),  # R = 1
    ],
)
def test_satisfaction_points(count, total, mean, points):
    rule = SatisfactionRule(Decimal(25), prior_weight=5)
    assert rule.points_for(count, total, mean) == Decimal(points)


def test_satisfaction_disabled_gives_nothing():
    rule = SatisfactionRule(Decimal(25), prior_weight=5, enabled=False)
    assert rule.points_for(4, 18, "3.7") == 0


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def random_day(rng: random.Random) -> datetime.date:
    # Mostly the quarter (2025 Q1), sometimes just outside it.
    return datetime.date(2024, 12, 20) + datetime.timedelta(days=rng.randrange(0, 115))


@pytest.mark.parametrize("seed", [1, 2])
def test_compute_and_explain_agree_on_a_random_county(county, seed):
    rng = random.Random(seed)
    scheme = scheme_of(2025)
    # Rules that bite: a per of 3 and small caps, so caps and whole units both show.
    scheme.rules.filter(code="activity_led").update(per=3, points=Decimal(4), cap=Decimal(6))
    scheme.rules.filter(code="no_show").update(cap=Decimal(3))
    scheme.rules.filter(code="alliance").update(enabled=False)
    scheme.service_cap = Decimal(7)
    scheme.save()
    communities = [county.community_a1, county.community_a2, county.community_b1]
    organizations = [county.org_a1, county.org_a2, county.org_b1] + [
        OrganizationFactory(community=rng.choice(communities), in_party_alliance=rng.random() < 0.5)
        for _ in range(5)
    ]
    statuses = [VerificationStatus.VERIFIED] * 3 + [VerificationStatus.SUBMITTED]
    for org in organizations:
        for _ in range(rng.randrange(0, 9)):
            activity = ActivityFactory(
                lead_organization=org,
                start=at(random_day(rng)),
                status=rng.choice(statuses),
                beneficiaries=rng.randrange(0, 80),
                volunteer_hours=Decimal(rng.randrange(0, 250)) / 10,
                help_cases=rng.randrange(0, 4),
            )
            for _ in range(rng.randrange(0, 3)):
                FeedbackFactory(
                    activity=activity, score=rng.randrange(1, 6), created_at=at(random_day(rng))
                )
        for _ in range(rng.randrange(0, 3)):
            MediationCaseFactory(
                organization=org,
                outcome=rng.choice(["resolved", "unresolved"]),
                status=rng.choice(statuses),
                occurred_on=random_day(rng),
            )
        for _ in range(rng.randrange(0, 4)):
            MembershipFactory(
                organization=org,
                person=PersonFactory(
                    grid_role=rng.choice(["", "grid_worker", "building_head"]),
                    grid_community=org.community,
                ),
            )
        for _ in range(rng.randrange(0, 5)):
            start = at(random_day(rng), 9)
            BookingFactory(
                organization=org,
                start=start,
                end=start + datetime.timedelta(hours=1),
                status=rng.choice([Booking.Status.NO_SHOW, Booking.Status.CONFIRMED]),
            )
        if rng.random() < 0.3:
            CreditListing.objects.create(
                organization=org,
                list_kind=CreditListing.Kind.ABNORMAL,
                reason="未按时年报",
                listed_on=random_day(rng),
            )
        if rng.random() < 0.3:
            AnnualInspection.objects.create(
                organization=org, year=2025, conclusion=AnnualInspection.Conclusion.FAILED
            )
        if rng.random() < 0.6:
            QuarterAssessment.objects.create(
                organization=org,
                year=2025,
                quarter=1,
                community_score=rng.randrange(0, 6),
                commendations=rng.randrange(0, 3),
            )

    compute_quarter(2025, 1)

    snap = ScoringQuarter.objects.get(year=2025, quarter=1).rules
    satisfaction = SatisfactionRule.from_snapshot(snap)
    rows = list(QuarterScore.objects.filter(year=2025, quarter=1))
    assert len(rows) == len(organizations)
    for row in rows:
        for indicator in INDICATOR_RULES:
            field = f"{indicator.indicator}_points"
            assert indicator.points_for(snap, row) == getattr(row, field), (row, field)
        assert satisfaction.points_for(
            row.feedback_count, row.feedback_sum, snap["county_mean"]
        ) == Decimal(row.satisfaction_points)
        explained = explain(row, snap)
        assert sum(item.points for item in explained) == row.total
        assert all(item.lines for item in explained)
