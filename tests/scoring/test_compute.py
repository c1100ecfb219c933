"""A small county built by hand where every point is known (2025 Q1, default rules).

Ratings counted in the quarter: A1 5,5,4,4 · A2 5 · B1 3,2 · C 3,2 · serious 4 · merged none
→ 37 over 10, county mean C = 3.7; R = (Σ + 5 × 3.7) / (n + 5); points = 25 × (R − 1) / 4.

Per organisation (activity / service / satisfaction / governance / bonus / deduction = total):
- A1 (文体, A): 6×5=30→25 / 18+5+12→15+5+5=25 / R=36.5/9→19.10 / 4+2+4=10 / 3+2+2=7 / 0
  = 86.10, ranks county 1, category 1, township 1
- A2 (文体, A): 10 / 3 / R=23.5/6→18.23 / 0 / 0 / −20−10−(12→10) = −8.77, ranks 4, 3, 2
- B1 (文体, B): 15 / 6+3=9 / R=23.5/7→14.73 / 0 / 0 / 0 = 38.73, ranks 2, 2, 1
- C (生活, B): the same figures as B1 = 38.73, ranks 2 (tie), 1, 1 (tie)
- serious (A): 5 / 3 / R=22.5/6→17.19 = 25.19, not ranked
- merged in February (A), led one activity before, no rating: 5 / 0 / 0 (本季度无群众评价)
  = 5, not ranked
- deregistered in 2024: no row
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import VerificationStatus
from orgs.models import AnnualInspection, CreditListing, Organization
from scoring.explain import explain, explain_text
from scoring.models import QuarterAssessment, QuarterScore, ScoringQuarter
from scoring.services.compute import QuarterFrozen, compute_quarter
from tests.activities.factories import ActivityFactory, FeedbackFactory, MediationCaseFactory
from tests.orgs.factories import (
    CategoryFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.party_branches.factories import MeetingFactory, make_branch
from tests.venues.factories import BookingFactory
from venues.models import Booking

VERIFIED = VerificationStatus.VERIFIED


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def activities(org, count, *, day=datetime.date(2025, 2, 10), **fields):
    fields.setdefault("status", VERIFIED)
    return [ActivityFactory(lead_organization=org, start=at(day), **fields) for _ in range(count)]


def ratings(activity, *scores, day=datetime.date(2025, 3, 1)):
    for score in scores:
        FeedbackFactory(activity=activity, score=score, created_at=at(day))


@pytest.fixture
def hand_county(county):
    services = CategoryFactory(name="生活服务类")
    a1, a2, b1 = county.org_a1, county.org_a2, county.org_b1
    a1.in_party_alliance = True
    a1.save()
    c = OrganizationFactory(
        name="王家村便民服务队", community=county.community_b1, category=services
    )
    serious = OrganizationFactory(name="失信社团", community=county.community_a1)
    merged = OrganizationFactory(
        name="已合并社团",
        community=county.community_a1,
        status=Organization.Status.MERGED,
        merged_into=a1,
        status_changed_on=datetime.date(2025, 2, 15),
    )
    OrganizationFactory(
        name="已注销社团",
        community=county.community_a2,
        status=Organization.Status.DEREGISTERED,
        status_changed_on=datetime.date(2024, 10, 1),
    )

    # A1: 6 verified activities (60 beneficiaries, 8.5 volunteer hours, 2 help cases each).
    led = activities(a1, 6, beneficiaries=60, volunteer_hours=Decimal("8.5"), help_cases=2)
    ratings(led[0], 5, 5)
    ratings(led[1], 4, 4)
    # Not counted: awaiting verification (and its rating), verified but in Q2, a rating in Q2.
    [pending] = activities(a1, 1, status=VerificationStatus.SUBMITTED, beneficiaries=999)
    ratings(pending, 1)
    activities(a1, 1, day=datetime.date(2025, 4, 1), beneficiaries=999)
    ratings(led[2], 1, day=datetime.date(2025, 4, 2))
    # Co-organising does not count as leading.
    activities(merged, 1, day=datetime.date(2025, 1, 5), beneficiaries=0)[0].co_organizers.add(a1)
    for outcome, status in (
        ("resolved", VERIFIED),
        ("resolved", VERIFIED),
        ("unresolved", VERIFIED),
        ("resolved", VerificationStatus.SUBMITTED),
    ):
        MediationCaseFactory(
            organization=a1,
            outcome=outcome,
            status=status,
            occurred_on=datetime.date(2025, 3, 3),
        )
    for role in ("building_head", "grid_worker"):
        MembershipFactory(
            organization=a1,
            person=PersonFactory(grid_role=role, grid_community=county.community_a1),
        )
    MembershipFactory(  # left before the quarter
        organization=a1,
        person=PersonFactory(grid_role="informant", grid_community=county.community_a1),
        left_on=datetime.date(2024, 12, 31),
    )
    QuarterAssessment.objects.create(
        organization=a1, year=2025, quarter=1, community_score=4, commendations=1
    )
    branch = make_branch([a1], established_on=datetime.date(2024, 1, 10))
    for month in (1, 2, 3):
        for kind in ("committee", "group", "theme_day"):
            MeetingFactory(branch=branch, kind=kind, held_on=datetime.date(2025, month, 10))
    for kind in ("general_meeting", "lecture"):
        MeetingFactory(branch=branch, kind=kind, held_on=datetime.date(2025, 3, 20))

    # A2: 2 activities, one rating; abnormal list overlapping the quarter, failed inspection,
    # six no-shows (−12, capped at −10).
    ratings(activities(a2, 2, beneficiaries=30)[0], 5)
    CreditListing.objects.create(
        organization=a2,
        list_kind=CreditListing.Kind.ABNORMAL,
        reason="未按时年报",
        listed_on=datetime.date(2024, 12, 1),
        removed_on=datetime.date(2025, 2, 1),
        removal_reason="已整改",
    )
    AnnualInspection.objects.create(
        organization=a2, year=2025, conclusion=AnnualInspection.Conclusion.FAILED
    )
    for day in range(1, 7):
        start = at(datetime.date(2025, 3, day), 9)
        BookingFactory(
            organization=a2,
            start=start,
            end=start + datetime.timedelta(hours=1),
            status=Booking.Status.NO_SHOW,
        )

    # B1 and C tie: 3 activities of 40 beneficiaries and 10 hours, ratings 3 and 2.
    for org in (b1, c):
        led = activities(org, 3, beneficiaries=40, volunteer_hours=Decimal(10))
        ratings(led[0], 3, 2)

    # Serious list: scored but not ranked.
    ratings(activities(serious, 1, beneficiaries=60)[0], 4)
    CreditListing.objects.create(
        organization=serious,
        list_kind=CreditListing.Kind.SERIOUS,
        reason="严重违法",
        listed_on=datetime.date(2024, 6, 1),
    )
    return {"a1": a1, "a2": a2, "b1": b1, "c": c, "serious": serious, "merged": merged}


def _row(org) -> QuarterScore:
    return QuarterScore.objects.get(organization=org, year=2025, quarter=1)


EXPECTED = {
    # total, (activity, service, satisfaction, governance, bonus, deduction), ranks
    "a1": ("86.10", ("25", "25", "19.10", "10", "7", "0"), (1, 1, 1)),
    "a2": ("-8.77", ("10", "3", "18.23", "0", "0", "-40"), (4, 3, 2)),
    "b1": ("38.73", ("15", "9", "14.73", "0", "0", "0"), (2, 2, 1)),
    "c": ("38.73", ("15", "9", "14.73", "0", "0", "0"), (2, 1, 1)),
    "serious": ("25.19", ("5", "3", "17.19", "0", "0", "0"), (None, None, None)),
    "merged": ("5", ("5", "0", "0", "0", "0", "0"), (None, None, None)),
}


def test_hand_computed_county_totals_ranks_and_ties(hand_county):
    result = compute_quarter(2025, 1)

    assert result.scored == 6  # the organisation deregistered in 2024 is not scored
    assert result.ranked == 4
    assert result.county_mean == Decimal("3.700")
    for key, (total, points, ranks) in EXPECTED.items():
        row = _row(hand_county[key])
        assert row.total == Decimal(total), key
        assert (
            row.activity_points,
            row.service_points,
            row.satisfaction_points,
            row.governance_points,
            row.bonus_points,
            row.deduction_points,
        ) == tuple(Decimal(value) for value in points), key
        assert (row.rank_county, row.rank_category, row.rank_township) == ranks, key
    assert _row(hand_county["serious"]).not_ranked_reason == "serious"
    assert _row(hand_county["merged"]).not_ranked_reason == "merged"
    assert not _row(hand_county["merged"]).ranked


def test_figures_counted_only_from_verified_records_of_the_quarter(hand_county):
    compute_quarter(2025, 1)
    a1 = _row(hand_county["a1"])

    assert (a1.activities, a1.beneficiaries, a1.volunteer_hours, a1.help_cases) == (
        6,
        360,
        Decimal("51.0"),
        12,
    )
    assert (a1.feedback_count, a1.feedback_sum, a1.satisfaction_mean) == (4, 18, Decimal("4.056"))
    assert (a1.mediations, a1.grid_members, a1.community_assessment) == (2, 2, 4)
    assert (a1.branch_compliant, a1.commendations, a1.in_alliance) == (True, 1, True)
    a2 = _row(hand_county["a2"])
    assert (a2.abnormal_listed, a2.failed_inspection, a2.no_shows) == (True, True, 6)


def test_explanations_say_how_each_figure_came_about(hand_county):
    compute_quarter(2025, 1)
    rules = ScoringQuarter.objects.get(year=2025, quarter=1).rules
    a1 = {item.indicator: item for item in explain(_row(hand_county["a1"]), rules)}

    assert a1["activity"].lines == ["6 项已核实的主办活动 × 5 = 30（超过上限 25，计 25）"]
    assert a1["service"].lines == [
        "360 名受益群众，每 20 计 1 分：18 × 1 = 18（超过上限 15，计 15）",
        "51 小时志愿服务，每 10 计 1 分：5 × 1 = 5",
        "12 件关爱困难群体个案 × 1 = 12（超过上限 5，计 5）",
    ]
    assert a1["satisfaction"].lines == [
        "4 条评价，合计 18 分（平均 4.5）",
        "贝叶斯平均 R = (18 + 5 × 3.7) ÷ (4 + 5) = 4.056",
        "25 × (R − 1) ÷ 4 = 19.1",
    ]
    assert a1["governance"].lines == [
        "2 件已核实且已化解的调解 × 2 = 4",
        "2 名担任网格职务的成员 × 1 = 2",
        "4 分社区评定 × 1 = 4",
    ]
    assert a1["bonus"].lines == [
        "党支部组织生活全部达标：+3",
        "1 次表彰 × 2 = 2",
        "加入党建联盟：+2",
    ]
    a2 = {item.indicator: item for item in explain(_row(hand_county["a2"]), rules)}
    assert a2["deduction"].lines == [
        "本季度列入活动异常名录：−20",
        "本年度年检不合格：−10",
        "6 次预约未到场 × -2 = -12（超过上限 10，计 -10）",
    ]
    text = explain_text(_row(hand_county["serious"]), rules)
    assert text.endswith("不参与排名：列入严重违法失信名单")


def test_no_rating_in_the_quarter_gives_no_satisfaction_points(hand_county):
    # The merged organisation led an activity but nobody rated it: no opinion, no points (not
    # the county mean); B1 with two low ratings still gets the steadied mean.
    compute_quarter(2025, 1)
    rules = ScoringQuarter.objects.get(year=2025, quarter=1).rules
    merged = _row(hand_county["merged"])

    assert (merged.feedback_count, merged.satisfaction_mean) == (0, None)
    assert merged.satisfaction_points == Decimal(0)
    explained = {item.indicator: item for item in explain(merged, rules)}
    assert explained["satisfaction"].lines == ["本季度无群众评价"]
    assert "群众满意度 0：本季度无群众评价" in explain_text(merged, rules)
    assert _row(hand_county["b1"]).satisfaction_points == Decimal("14.73")


def test_recompute_of_unchanged_data_gives_identical_rows(hand_county):
    compute_quarter(2025, 1)
    fields = [f.name for f in QuarterScore._meta.concrete_fields if f.name != "id"]
    first = list(QuarterScore.objects.order_by("organization_id").values(*fields))

    compute_quarter(2025, 1)

    assert list(QuarterScore.objects.order_by("organization_id").values(*fields)) == first


def test_rank_change_against_the_previous_quarter(hand_county):
    # 2024 Q4: B1 led one activity (5), A1 is in an alliance (+2), C nothing, A2 on the
    # abnormal list from December (−20): ranks B1 1, A1 2, C 3, A2 4.
    activities(hand_county["b1"], 1, day=datetime.date(2024, 11, 10))
    compute_quarter(2024, 4)
    compute_quarter(2025, 1)

    changes = {
        key: (_row(hand_county[key]).previous_rank_county, _row(hand_county[key]).rank_change)
        for key in ("a1", "b1", "c", "a2", "serious")
    }
    assert changes == {
        "a1": (2, 1),
        "b1": (1, -1),
        "c": (3, 1),
        "a2": (4, 0),
        "serious": (None, None),
    }
    assert _row(hand_county["serious"]).rank_change is None


def test_rules_are_data_and_a_finalised_quarter_keeps_its_rules(hand_county):
    from scoring.services.schemes import ensure_scheme

    compute_quarter(2025, 1, finalize=True)
    scheme = ensure_scheme(2025)
    scheme.rules.filter(code="activity_led").update(points=Decimal(1))

    with pytest.raises(QuarterFrozen):
        compute_quarter(2025, 1)

    state = ScoringQuarter.objects.get(year=2025, quarter=1)
    assert state.rules["rules"]["activity_led"]["points"] == "5.00"
    assert _row(hand_county["a1"]).activity_points == Decimal(25)

    state.state = ScoringQuarter.State.OPEN
    state.save()
    compute_quarter(2025, 1)
    assert _row(hand_county["a1"]).activity_points == Decimal(6)


def test_a_recompute_failing_half_way_leaves_the_previous_ranking(hand_county, monkeypatch):
    from scoring.services import compute

    compute_quarter(2025, 1)
    before = list(QuarterScore.objects.order_by("pk").values_list("pk", "total", "rank_county"))
    activities(hand_county["b1"], 5)  # B1 would climb to first place

    def explode(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(compute, "_finish_quarter", explode)
    with pytest.raises(RuntimeError):
        compute_quarter(2025, 1)

    after = list(QuarterScore.objects.order_by("pk").values_list("pk", "total", "rank_county"))
    assert after == before


def test_the_contacts_gaps_count_what_the_score_counts(hand_county):
    # The home card's figures (scoring.gaps) follow the score's rules: the same records count.
    from scoring.gaps import quarter_figures

    compute_quarter(2025, 1)

    for key, organization in hand_county.items():
        row = _row(organization)
        figures = quarter_figures(organization, (2025, 1))
        assert (
            figures.activities,
            figures.ratings,
            figures.abnormal_listed,
            figures.failed_inspection,
            figures.no_shows,
        ) == (
            row.activities,
            row.feedback_count,
            row.abnormal_listed,
            row.failed_inspection,
            row.no_shows,
        ), key


def test_each_county_ranks_its_own_organisations_with_its_own_mean(hand_county, county):
    # Township B (B1 and C) becomes a second county of its own.
    from areas.models import Township
    from areas.selectors import CountyRequired
    from tests.areas.factories import CountyFactory

    other = CountyFactory(name="永宁县", code="990102")
    Township.objects.filter(pk=county.township_b.pk).update(county=other)

    with pytest.raises(CountyRequired):
        compute_quarter(2025, 1)
    first = compute_quarter(2025, 1, county=county.county)
    second = compute_quarter(2025, 1, county=other)

    # Each county's mean of its own ratings: A 5,5,4,4,5,4 → 4.5; B 3,2,3,2 → 2.5.
    assert (first.county_mean, second.county_mean) == (Decimal("4.500"), Decimal("2.500"))
    assert (first.scored, first.ranked, second.scored, second.ranked) == (4, 2, 2, 2)
    assert _row(hand_county["a1"]).rank_county == 1
    assert _row(hand_county["a2"]).rank_county == 2
    assert (_row(hand_county["b1"]).rank_county, _row(hand_county["c"]).rank_county) == (1, 1)
    assert _row(hand_county["c"]).county_id == other.pk
    # A county's recompute and finalisation leave the other county's rows and state alone.
    untouched = QuarterScore.objects.get(organization=hand_county["b1"]).pk
    compute_quarter(2025, 1, county=county.county, finalize=True)
    assert QuarterScore.objects.get(organization=hand_county["b1"]).pk == untouched
    assert ScoringQuarter.objects.get(county=county.county, year=2025, quarter=1).is_finalized
    assert not ScoringQuarter.objects.get(county=other, year=2025, quarter=1).is_finalized
    compute_quarter(2025, 1, county=other)  # not frozen by the first county's finalisation
