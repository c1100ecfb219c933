"""Coverage (两个覆盖): the page's figures against counts made independently from the raw rows."""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from orgs.models import Membership, Organization, Person
from party_branches.models import Branch, InstructorAssignment
from party_branches.selectors import (
    COVERAGE_FIGURES,
    COVERAGE_TESTS,
    coverage,
    coverage_filter,
    coverage_totals,
    with_coverage,
)
from tests.orgs.factories import (
    CategoryFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.party_branches.factories import (
    InstructorFactory,
    PartyMemberFactory,
    make_branch,
    party_members,
)

ON = date(2025, 6, 30)


def _build_county(county):
    """A varied county: branches active and dissolved, instructors current and ended."""
    rng = random.Random(7)
    categories = [CategoryFactory(name=name) for name in ("文体娱乐类", "公益慈善类", "居民自治类")]
    communities = [county.community_a1, county.community_a2, county.community_b1]
    organizations = [county.org_a1, county.org_a2, county.org_b1]
    for index in range(24):
        organizations.append(
            OrganizationFactory(
                community=communities[index % 3],
                category=categories[index % 3] if index % 7 else None,
            )
        )
    for index, organization in enumerate(organizations):
        kind = rng.randrange(8)
        if kind == 0:
            make_branch([organization], established_on=date(2024, 3, 1))
        elif kind == 1:
            make_branch(
                [organization],
                established_on=date(2024, 3, 1),
                dissolved_on=date(2025, 1, 1),
                dissolution_reason="结束",
            )
        elif kind == 2:
            make_branch([organization], established_on=date(2025, 7, 1))  # after the day
        elif kind == 3:
            InstructorFactory(organization=organization, started_on=date(2024, 1, 1))
        elif kind == 4:
            InstructorFactory(
                organization=organization, started_on=date(2024, 1, 1), ended_on=date(2025, 6, 30)
            )
        elif kind == 5:
            party_members(organization, 3)
        elif kind == 6:
            party_members(organization, 2)
            party_members(organization, 2, status=Person.PartyStatus.PROBATIONARY)
            party_members(organization, 1, left_on=date(2025, 1, 1))
        else:
            party_members(organization, 4)
            InstructorFactory(organization=organization, started_on=date(2024, 1, 1))
        if index % 5 == 0:
            MembershipFactory(organization=organization)  # a member who is not in the Party
    # A joint branch and an organisation that is no longer active.
    joint = [OrganizationFactory(community=county.community_a1) for _ in range(2)]
    make_branch(joint, established_on=date(2024, 5, 1))
    merged = OrganizationFactory(
        community=county.community_a1, status="merged", merged_into=county.org_a1
    )
    party_members(merged, 3)


def _independent_counts(on: date) -> dict:
    """Count the figures from plain rows, one Python loop per table."""
    active_branch_orgs = set()
    for branch in Branch.objects.all():
        active = branch.established_on <= on and (
            branch.dissolved_on is None or branch.dissolved_on > on
        )
        if active:
            for organization in branch.organizations.all():
                active_branch_orgs.add(organization.pk)
    instructed = set()
    for assignment in InstructorAssignment.objects.all():
        if assignment.started_on <= on and (
            assignment.ended_on is None or assignment.ended_on > on
        ):
            instructed.add(assignment.organization_id)
    formal = defaultdict(set)
    for membership in Membership.objects.select_related("person"):
        current = membership.joined_on <= on and (
            membership.left_on is None or membership.left_on > on
        )
        person = membership.person
        if current and person.is_party_member and person.party_status == "full":
            formal[membership.organization_id].add(person.pk)

    counts = defaultdict(lambda: defaultdict(int))
    for organization in Organization.objects.select_related("community"):
        if organization.status in ("merged", "deregistered", "revoked"):
            continue
        has_branch = organization.pk in active_branch_orgs
        has_instructor = organization.pk in instructed
        eligible = len(formal[organization.pk]) >= 3
        for key in (
            (organization.community.township_id, organization.category_id),
            (organization.community.township_id, "all"),
            ("all", "all"),
        ):
            row = counts[key]
            row["total"] += 1
            row["with_branch"] += has_branch
            row["with_instructor"] += has_instructor
            row["covered"] += has_branch or has_instructor
            row["uncovered"] += not (has_branch or has_instructor)
            row["eligible"] += eligible and not has_branch
    return {key: dict(value) for key, value in counts.items()}


def _page_counts(result) -> dict:
    figures = ("total", "with_branch", "with_instructor", "covered", "uncovered", "eligible")
    counts = {}
    for entry in result["townships"]:
        for row in entry["rows"]:
            counts[(row.township_id, row.category_id)] = {f: getattr(row, f) for f in figures}
        subtotal = entry["subtotal"]
        counts[(subtotal.township_id, "all")] = {f: getattr(subtotal, f) for f in figures}
    counts[("all", "all")] = {f: getattr(result["total"], f) for f in figures}
    return counts


def test_coverage_figures_match_an_independent_count_from_raw_rows(
    county, django_assert_max_num_queries
):
    _build_county(county)

    # The three sets (branches, instructors, formal members) and the organisations' rows.
    with django_assert_max_num_queries(4):
        result = coverage(organizations_qs=Organization.objects.active(), on=ON)

    assert _page_counts(result) == _independent_counts(ON)
    assert result["total"].with_branch > 0
    assert result["total"].with_instructor > 0
    assert result["total"].eligible > 0


def test_coverage_for_township_staff_counts_only_their_township(county, township_staff):
    _build_county(county)

    result = coverage(
        organizations_qs=Organization.objects.visible_to(township_staff).active(), on=ON
    )

    assert {entry["subtotal"].township_id for entry in result["townships"]} == {
        county.township_a.pk
    }
    expected = _independent_counts(ON)[(county.township_a.pk, "all")]
    assert _page_counts(result)[("all", "all")] == expected


def test_each_figure_equals_the_list_its_filter_selects(county):
    # coverage() counts in Python; the coverage list filters with coverage_filter (SQL): the two
    # encodings of each figure must agree, and the page's per-row figures (with_coverage) too.
    _build_county(county)
    organizations = Organization.objects.active()
    total = coverage(organizations_qs=organizations, on=ON)["total"]

    for figure in COVERAGE_FIGURES:
        listed = organizations.filter(coverage_filter(figure, on=ON))
        assert getattr(total, figure) == listed.count(), figure
        annotated = with_coverage(organizations, on=ON).values_list(
            "pk", "has_branch", "has_instructor", "formal_party_members"
        )
        by_row = {
            pk
            for pk, branch, instructor, formal in annotated
            if COVERAGE_TESTS[figure](branch, instructor, formal)
        }
        assert set(listed.values_list("pk", flat=True)) == by_row, figure
    # The overview's one aggregate query (coverage_totals) counts the same figures.
    totals = coverage_totals(organizations, on=ON)
    assert [getattr(totals, figure) for figure in COVERAGE_FIGURES] == [
        getattr(total, figure) for figure in COVERAGE_FIGURES
    ]
    assert totals.covered_percent == total.covered_percent


def _random_county(county, rng):
    """Organisations with random branches, instructors and memberships around a year."""
    organizations = [county.org_a1, county.org_a2, county.org_b1]
    communities = [county.community_a1, county.community_a2, county.community_b1]
    organizations += [OrganizationFactory(community=rng.choice(communities)) for _ in range(12)]
    people = [
        PartyMemberFactory(party_status=rng.choice(["full", "full", "full", "probationary"]))
        for _ in range(12)
    ]
    people += [PersonFactory() for _ in range(3)]

    def span():
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 365))
        end = None if rng.random() < 0.5 else start + timedelta(days=rng.randrange(0, 200))
        return start, end

    for _ in range(8):
        start, end = span()
        make_branch(
            rng.sample(organizations, rng.choice([1, 1, 2])),
            formal=0,
            established_on=start,
            dissolved_on=end,
            dissolution_reason="结束" if end else "",
        )
    for _ in range(10):
        start, end = span()
        InstructorFactory(organization=rng.choice(organizations), started_on=start, ended_on=end)
    for organization in organizations:
        for person in rng.sample(people, rng.randrange(0, 9)):
            start, end = span()
            MembershipFactory(
                organization=organization, person=person, joined_on=start, left_on=end
            )
            if end and rng.random() < 0.3:
                # the same person again later, possibly overlapping the first membership
                MembershipFactory(
                    organization=organization,
                    person=person,
                    joined_on=end - timedelta(days=rng.randrange(0, 30)),
                    left_on=None,
                )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coverage_equals_the_raw_rows_on_random_days_of_random_records(county, seed):
    # given random branches, instructors and memberships starting and ending over a year
    rng = random.Random(seed)
    _random_county(county, rng)
    organizations = Organization.objects.active()
    seen = defaultdict(int)

    # the days a span starts or ends (where an off-by-one shows), and random days around them
    edges = sorted(
        {
            *Branch.objects.values_list("established_on", flat=True),
            *Branch.objects.exclude(dissolved_on=None).values_list("dissolved_on", flat=True),
            *InstructorAssignment.objects.exclude(ended_on=None).values_list("ended_on", flat=True),
            *Membership.objects.exclude(left_on=None).values_list("left_on", flat=True),
        }
    )
    days = edges + [date(2024, 12, 1) + timedelta(days=rng.randrange(0, 620)) for _ in range(3)]
    for on in days:
        # when the coverage is counted on the day (before, within or after the spans)
        result = coverage(organizations_qs=organizations, on=on)

        # then every figure equals the raw rows' count, and each list equals its figure
        assert _page_counts(result) == _independent_counts(on), on
        totals = coverage_totals(organizations, on=on)
        for figure in COVERAGE_FIGURES:
            assert getattr(totals, figure) == getattr(result["total"], figure), (on, figure)
        annotated = with_coverage(organizations, on=on).values_list(
            "pk", "has_branch", "has_instructor", "formal_party_members"
        )
        for figure in COVERAGE_FIGURES:
            listed = set(
                organizations.filter(coverage_filter(figure, on=on)).values_list("pk", flat=True)
            )
            assert len(listed) == getattr(result["total"], figure), (on, figure)
            seen[figure] += len(listed)
            assert listed == {pk for pk, *row in annotated if COVERAGE_TESTS[figure](*row)}, (
                on,
                figure,
            )
    assert seen["with_branch"] and seen["with_instructor"] and seen["eligible"]
