"""Coverage (两个覆盖): organisations with a branch or an instructor, counted and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.scoping import scope_for
from areas.models import Township
from orgs.models import Membership, Organization, Person
from party_branches import rules
from party_branches.models import (
    Branch,
    InstructorAssignment,
)

# --- Coverage (两个覆盖) -------------------------------------------------------------------

COVERAGE_FIGURES = ("total", "with_branch", "with_instructor", "covered", "uncovered", "eligible")


def _active_links(on: date):
    """Links of the organisations to the branches active on the day."""
    return Branch.organizations.through.objects.filter(branch__established_on__lte=on).filter(
        Q(branch__dissolved_on__isnull=True) | Q(branch__dissolved_on__gt=on)
    )


def _formal_memberships(on: date):
    """Memberships in force on the day of people who are formal (full) Party members."""
    return Membership.objects.filter(
        joined_on__lte=on,
        person__is_party_member=True,
        person__party_status=Person.PartyStatus.FULL,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


def _eligible_ids(on: date, formal=None):
    """Ids of the organisations with MIN_FORMAL_MEMBERS or more formal Party members."""
    return (
        (_formal_memberships(on) if formal is None else formal)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("person", distinct=True))
        .filter(n__gte=rules.MIN_FORMAL_MEMBERS)
        .values("organization_id")
    )


def with_coverage(organizations, *, on: date):
    """Annotate an active branch, an active instructor and the formal Party members on the day.

    For a page of organisations: the annotations are subqueries per row. To pick or count
    organisations by a figure, filter with `coverage_filter` (set conditions the database
    answers with one hash join each, not a subquery per organisation).
    """
    formal = (
        _formal_memberships(on)
        .filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return organizations.annotate(
        has_branch=Exists(_active_links(on).filter(organization=OuterRef("pk"))),
        has_instructor=Exists(
            InstructorAssignment.objects.active(on).filter(organization=OuterRef("pk"))
        ),
        formal_party_members=Coalesce(Subquery(formal, output_field=IntegerField()), Value(0)),
    )


def coverage_filter(figure: str, *, on: date, within=None) -> Q:
    """The condition on organisations that picks those of a figure on the day.

    `pk IN (subquery)` conditions: PostgreSQL answers each with one hashed subquery over the
    links, assignments or memberships, where an EXISTS per organisation in an OR (covered) or a
    count per organisation (eligible) was evaluated row by row (2.2 s at province scale).
    `within` (a queryset of organisation ids) narrows each subquery to those organisations, so
    that a township's figures read its own links and memberships, not the county's.
    """
    links = _active_links(on)
    assignments = InstructorAssignment.objects.active(on).order_by()
    formal = _formal_memberships(on)
    if within is not None:
        links = links.filter(organization_id__in=within)
        assignments = assignments.filter(organization_id__in=within)
        formal = formal.filter(organization_id__in=within)
    branch = Q(pk__in=links.values("organization_id"))
    instructor = Q(pk__in=assignments.values("organization_id"))
    eligible = Q(pk__in=_eligible_ids(on, formal))
    return {
        "total": Q(),
        "with_branch": branch,
        "with_instructor": instructor,
        "covered": branch | instructor,
        "uncovered": ~branch & ~instructor,
        "eligible": eligible & ~branch,
    }[figure]


def coverage_sets(organizations, *, on: date) -> tuple[set[int], set[int], dict[int, int]]:
    """(ids with an active branch, ids with an active instructor, {id: formal Party members}).

    Three queries over the links, assignments and memberships of the organisations, each a
    hash join (what a subquery per organisation cost 2.3 s for the province's 20,000).
    """
    ids = organizations.order_by().values("pk")
    with_branch = set(
        _active_links(on)
        .filter(organization_id__in=ids)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
    with_instructor = set(
        InstructorAssignment.objects.active(on)
        .filter(organization_id__in=ids)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
    formal = dict(
        _formal_memberships(on)
        .filter(organization_id__in=ids)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("organization_id", "n")
    )
    return with_branch, with_instructor, formal


def coverage_totals(organizations, *, on: date, narrow: bool = False) -> CoverageRow:
    """The figures of `coverage` for all the organisations together, in one aggregate query.

    What a summary needs (the overview): the set conditions of `coverage_filter` counted by the
    database, without reading every organisation's row into Python. `narrow` reads only these
    organisations' links and memberships (a township's: 27 ms instead of 154 at province
    scale); for a whole county one pass over all of them is cheaper.
    """
    within = organizations.order_by().values("pk") if narrow else None
    conditions = {
        figure: coverage_filter(figure, on=on, within=within) for figure in COVERAGE_FIGURES
    }
    counts = organizations.order_by().aggregate(
        **{
            figure: Count("pk", filter=None if figure == "total" else condition)
            for figure, condition in conditions.items()
        }
    )
    return CoverageRow(None, "", None, "", level="total", **counts)


def coverage_page(*, user, on: date, page_number, page_size: int) -> dict:
    """The coverage page: a page of townships with their categories under the total of all.

    The province's 1,400 townships (10,000 rows of links) on one page took two seconds to
    render, and computing every township's rows to show 25 of them 0.7 s: the total is one
    aggregate query (`coverage_totals`), the rows are computed for the page's townships only.
    """
    organizations = Organization.objects.visible_to(user).active()
    townships = Township.objects.filter(
        pk__in=organizations.order_by().values("community__township_id")
    ).order_by("code", "pk")
    page = Paginator(townships, page_size).get_page(page_number)
    shown = organizations.filter(community__township__in=[township.pk for township in page])
    total = coverage_totals(organizations, on=on, narrow=scope_for(user).narrow)
    return {
        "townships": coverage(organizations_qs=shown, on=on)["townships"],
        "total": total,
        "on": on,
        "page": page,
    }


# The same conditions as coverage_filter, on one organisation's figures (has a branch, has an
# instructor, formal Party members): coverage() counts in Python over one pass of the rows.
COVERAGE_TESTS = {
    "total": lambda branch, instructor, formal: True,
    "with_branch": lambda branch, instructor, formal: branch,
    "with_instructor": lambda branch, instructor, formal: instructor,
    "covered": lambda branch, instructor, formal: branch or instructor,
    "uncovered": lambda branch, instructor, formal: not branch and not instructor,
    "eligible": lambda branch, instructor, formal: (
        formal >= rules.MIN_FORMAL_MEMBERS and not branch
    ),
}


@dataclass
class CoverageRow:
    township_id: int | None
    township_name: str
    category_id: int | None
    category_name: str
    total: int = 0
    with_branch: int = 0
    with_instructor: int = 0
    covered: int = 0
    uncovered: int = 0
    eligible: int = 0
    level: str = "row"  # "row" (township and category), "township" or "total"

    @property
    def filters(self) -> str:
        """The query string that narrows the coverage list to this row."""
        parts = []
        if self.level in ("row", "township") and self.township_id is not None:
            parts.append(f"&township={self.township_id}")
        if self.level == "row":
            parts.append(f"&category={self.category_id if self.category_id else 'none'}")
        return "".join(parts)

    def add(self, other: CoverageRow) -> None:
        for figure in COVERAGE_FIGURES:
            setattr(self, figure, getattr(self, figure) + getattr(other, figure))

    @property
    def covered_percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0


def coverage(*, organizations_qs, on: date) -> dict:
    """Per township and category: organisations with a branch, with an instructor, eligible.

    `eligible` counts organisations with 3+ formal Party members among their members on the
    day but no active branch (a branch could be set up there); `uncovered` those with neither a
    branch nor an instructor. Four queries: the three sets of `coverage_sets` and the rows.
    """
    with_branch, with_instructor, formal_by_id = coverage_sets(organizations_qs, on=on)
    rows = organizations_qs.order_by().values_list(
        "pk",
        "community__township_id",
        "community__township__name",
        "community__township__code",
        "category_id",
        "category__name",
        "category__sort_order",
    )
    counted = _count_by_township_and_category(rows, with_branch, with_instructor, formal_by_id)
    townships: dict = {}
    total = CoverageRow(None, "", None, "", level="total")
    # Township code, then category order and name; organisations without a category last.
    for key in sorted(
        counted,
        key=lambda key: (key[0], key[3] is None, key[3] or 0, key[4] or "", key[5] or 0),
    ):
        _code, township_id, township_name, _sort, category_name, category_id = key
        row = CoverageRow(
            township_id=township_id,
            township_name=township_name,
            category_id=category_id,
            category_name=category_name or "",
            **counted[key],
        )
        entry = townships.setdefault(
            row.township_id,
            {
                "subtotal": CoverageRow(
                    row.township_id, row.township_name, None, "", level="township"
                ),
                "rows": [],
            },
        )
        entry["rows"].append(row)
        entry["subtotal"].add(row)
        total.add(row)
    return {"townships": list(townships.values()), "total": total, "on": on}


def _count_by_township_and_category(rows, with_branch, with_instructor, formal_by_id) -> dict:
    """Each figure counted per (township code, id, name, category order, name, id)."""
    counted: dict[tuple, dict] = {}
    for pk, township_id, township_name, township_code, category_id, category_name, order in rows:
        branch, instructor = pk in with_branch, pk in with_instructor
        formal = formal_by_id.get(pk, 0)
        key = (township_code, township_id, township_name, order, category_name, category_id)
        figures = counted.setdefault(key, dict.fromkeys(COVERAGE_FIGURES, 0))
        for figure in COVERAGE_FIGURES:
            if COVERAGE_TESTS[figure](branch, instructor, formal):
                figures[figure] += 1
    return counted
