"""Organisational-life compliance per branch and quarter (what scoring's bonus asks about).

For scoring: `is_fully_compliant(branch, quarter)` answers for one branch;
`compliant_branch_ids(branches_qs=..., quarter=...)` and
`compliant_organization_ids(quarter=...)` answer for many at once in a few queries. A quarter is
`(year, q)`. What counts as required is defined in `party_branches.rules` (monthly kinds per
month active, quarterly kinds once, yearly kinds due in Q4 with the year's meetings counted);
a quarter that is still running is judged up to today.

Every figure comes from one aggregate query over the meetings (grouped by branch and kind), one
over the branches and one over the required frequencies, whatever the number of branches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from core import quarters
from core.quarters import Quarter
from party_branches import rules
from party_branches.models import Branch, Meeting, MeetingKind, RequiredFrequency


@dataclass(frozen=True)
class KindCompliance:
    kind: str
    label: str
    period: str
    required: int
    held: int

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)


@dataclass
class BranchCompliance:
    branch: Branch
    quarter: Quarter
    items: list[KindCompliance] = field(default_factory=list)

    @property
    def required(self) -> int:
        return sum(item.required for item in self.items)

    @property
    def held(self) -> int:
        return sum(min(item.held, item.required) for item in self.items)

    @property
    def missing(self) -> int:
        return sum(item.missing for item in self.items)

    @property
    def fully_compliant(self) -> bool:
        return self.missing == 0

    @property
    def behind(self) -> bool:
        return self.missing > 0


# A pure function of its arguments: most branches share them (established before the quarter,
# not dissolved), so the province's 3,000 branches × 7 kinds reduce to a handful of calls.
_required_count = functools.lru_cache(maxsize=4096)(rules.required_count)


def _kind_order(frequency: RequiredFrequency) -> int:
    """Columns follow the order of the kinds (三会一课, then 主题党日 and the yearly ones)."""
    kinds = list(MeetingKind.values)
    return kinds.index(frequency.kind) if frequency.kind in kinds else len(kinds)


def _as_of(quarter: Quarter, today: date | None) -> date:
    return min(quarters.quarter_bounds(quarter)[1], today or timezone.localdate())


def branch_compliance(
    *, branches_qs, quarter: Quarter, today: date | None = None
) -> list[BranchCompliance]:
    """Rows for each branch active in the quarter: required, held, missing; behind first."""
    start, _end = quarters.quarter_bounds(quarter)
    as_of = _as_of(quarter, today)
    if as_of < start:
        return []
    branches = list(
        branches_qs.active_between(start, as_of).select_related("township").order_by("name", "pk")
    )
    if not branches:
        return []
    frequencies = sorted(RequiredFrequency.objects.all(), key=_kind_order)
    held = _meetings_held([branch.pk for branch in branches], quarter=quarter, as_of=as_of)
    # Translated once, not once per branch and kind (21,000 gettext calls at province scale).
    labels = {kind: str(label) for kind, label in MeetingKind.choices}
    result = []
    for branch in branches:
        row = BranchCompliance(branch=branch, quarter=quarter)
        for frequency in frequencies:
            found = held.get((branch.pk, frequency.kind), {})
            count_key = "in_year" if frequency.period == rules.YEARLY else "in_quarter"
            row.items.append(
                KindCompliance(
                    kind=frequency.kind,
                    label=labels.get(frequency.kind, frequency.kind),
                    period=frequency.period,
                    required=_required_count(
                        period=frequency.period,
                        count=frequency.count,
                        quarter=quarter,
                        established_on=branch.established_on,
                        dissolved_on=branch.dissolved_on,
                        as_of=as_of,
                    ),
                    held=found.get(count_key, 0),
                )
            )
        result.append(row)
    result.sort(key=lambda row: (-row.missing, row.branch.name, row.branch.pk))
    return result


def _meetings_held(branch_ids: list[int], *, quarter: Quarter, as_of: date) -> dict:
    """{(branch id, kind): {"in_quarter": n, "in_year": n}} up to as_of, in one query."""
    start, _end = quarters.quarter_bounds(quarter)
    counts = (
        Meeting.objects.filter(
            branch__in=branch_ids, held_on__gte=date(quarter[0], 1, 1), held_on__lte=as_of
        )
        .order_by()
        .values("branch_id", "kind")
        .annotate(
            in_quarter=Count("pk", filter=Q(held_on__gte=start)),
            in_year=Count("pk"),
        )
        .values_list("branch_id", "kind", "in_quarter", "in_year")
    )
    return {
        (branch_id, kind): {"in_quarter": in_quarter, "in_year": in_year}
        for branch_id, kind, in_quarter, in_year in counts
    }


def compliant_branch_ids(*, branches_qs, quarter: Quarter, today: date | None = None) -> set[int]:
    """The ids of the branches fully compliant in the quarter.

    The same rule as `branch_compliance(...)[i].fully_compliant` (every kind held at least as
    often as required), on plain values: scoring asks it for every branch of the province.
    """
    start, _end = quarters.quarter_bounds(quarter)
    as_of = _as_of(quarter, today)
    if as_of < start:
        return set()
    branches = list(
        branches_qs.active_between(start, as_of).values_list("pk", "established_on", "dissolved_on")
    )
    if not branches:
        return set()
    frequencies = list(RequiredFrequency.objects.values_list("kind", "period", "count"))
    held = _meetings_held(
        [pk for pk, _established, _dissolved in branches], quarter=quarter, as_of=as_of
    )
    compliant = set()
    for pk, established_on, dissolved_on in branches:
        if all(
            held.get((pk, kind), {}).get("in_year" if period == rules.YEARLY else "in_quarter", 0)
            >= _required_count(
                period=period,
                count=count,
                quarter=quarter,
                established_on=established_on,
                dissolved_on=dissolved_on,
                as_of=as_of,
            )
            for kind, period, count in frequencies
        ):
            compliant.add(pk)
    return compliant


def is_fully_compliant(branch: Branch, quarter: Quarter, today: date | None = None) -> bool:
    """Whether the branch was active in the quarter and held every required meeting."""
    return branch.pk in compliant_branch_ids(
        branches_qs=Branch.objects.filter(pk=branch.pk), quarter=quarter, today=today
    )


def compliant_organization_ids(
    *, quarter: Quarter, branches_qs=None, today: date | None = None
) -> set[int]:
    """Organisations with a fully compliant branch in the quarter (scoring's +3 bonus)."""
    branches_qs = branches_qs if branches_qs is not None else Branch.objects.all()
    ids = compliant_branch_ids(branches_qs=branches_qs, quarter=quarter, today=today)
    links = Branch.organizations.through.objects.filter(branch_id__in=ids)
    return set(links.values_list("organization_id", flat=True))
