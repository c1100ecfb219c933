"""What an organisation is missing, each gap with what to do: the contact's home card.

Built from the rules that score and oversee it, not from rules of its own:

- the quarter's figures the score counts (`quarter_figures`: verified activities led, counted
  ratings, the abnormal list during the quarter, the year's failed inspection, no-show
  bookings) use the source apps' querysets the recompute composes (a test compares them with a
  computed score), and the points at stake come from the year's scheme's rule objects;
- the credit lists in force (`orgs.rules.is_in_force`), the evaluation grade's validity
  (`Organization.grade_is_valid`) and last year's annual inspection, as the organisation's
  oversight section shows them;
- the branches behind on organisational life (`party_branches.compliance.branch_compliance`,
  as the compliance board and the township's home page count them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from activities.models import Activity, Feedback
from core import quarters
from orgs import rules as credit_rules
from orgs.models import AnnualInspection, CreditListing, Organization
from party_branches.compliance import branch_compliance
from party_branches.models import Branch, InstructorAssignment
from scoring.models import Scheme
from scoring.rules import RULES_BY_CODE, ScoringRule
from scoring.services.compute import quarter_datetimes
from venues.models import Booking

GAP_ABNORMAL = gettext_lazy("On the abnormal-activity list this quarter (%(points)s points)")
GAP_ABNORMAL_TODO = gettext_lazy(
    "Put right what the listing names and ask the registration office to remove it."
)
GAP_SERIOUS = gettext_lazy("On the serious violation and dishonesty list: not ranked")
GAP_SERIOUS_TODO = gettext_lazy("Put right what the listing names; ask the registration office.")
GAP_FAILED_INSPECTION = gettext_lazy(
    "Annual inspection %(year)s failed (%(points)s points this year)"
)
GAP_FAILED_INSPECTION_TODO = gettext_lazy(
    "Put right what the inspection found and keep the proof for the next inspection."
)
GAP_NO_SHOWS = gettext_lazy("%(count)s no-show bookings this quarter (%(points)s points)")
GAP_NO_SHOWS_TODO = gettext_lazy("Cancel a booking in time when you cannot come.")
GAP_INSPECTION_MISSING = gettext_lazy("Annual inspection %(year)s: not taken")
GAP_INSPECTION_FAILED = gettext_lazy("Annual inspection %(year)s: failed")
GAP_INSPECTION_TODO = gettext_lazy(
    "Hand in the annual inspection papers to the registration office."
)
GAP_GRADE_EXPIRED = gettext_lazy("Evaluation grade %(grade)s expired on %(date)s")
GAP_GRADE_TODO = gettext_lazy("Apply for a new evaluation.")
GAP_BRANCH_BEHIND = gettext_lazy(
    "Party branch “%(branch)s”: %(count)s meetings missing this quarter"
)
GAP_BRANCH_BEHIND_TODO = gettext_lazy("Hold the missing meetings and record them.")
GAP_NO_BRANCH = gettext_lazy("No temporary Party branch or instructor")
GAP_NO_BRANCH_TODO = gettext_lazy(
    "Ask the township about setting up a branch or appointing an instructor."
)
GAP_NO_ACTIVITY = gettext_lazy("No verified activity yet in %(quarter)s (0 activity points)")
GAP_NO_ACTIVITY_TODO = gettext_lazy("Record an activity and submit it for verification.")
GAP_NO_RATING = gettext_lazy("No residents' rating yet in %(quarter)s (0 satisfaction points)")
GAP_NO_RATING_TODO = gettext_lazy(
    "After an activity, ask residents to rate it with the QR code or by phone."
)


@dataclass(frozen=True)
class Gap:
    key: str
    text: str
    todo: str
    url: str
    points: Decimal | None = None


@dataclass(frozen=True)
class QuarterFigures:
    """The figures the score counts for one organisation in a quarter (so far)."""

    activities: int
    ratings: int
    abnormal_listed: bool
    failed_inspection: bool
    no_shows: int


def quarter_figures(organization: Organization, quarter: tuple[int, int]) -> QuarterFigures:
    """The score's figures for one organisation: the querysets the recompute composes
    (`scoring.services.compute.source_querysets`), so the same records count in both."""
    year, _q = quarter
    start, end = quarter_datetimes(*quarter)
    return QuarterFigures(
        activities=Activity.objects.verified()
        .in_quarter(quarter)
        .filter(lead_organization=organization)
        .count(),
        ratings=Feedback.objects.counted()
        .in_quarter(quarter)
        .filter(organization=organization)
        .count(),
        abnormal_listed=CreditListing.objects.active_during(quarter)
        .filter(organization=organization, list_kind=CreditListing.Kind.ABNORMAL)
        .exists(),
        failed_inspection=AnnualInspection.objects.failed()
        .filter(organization=organization, year=year)
        .exists(),
        no_shows=Booking.objects.filter(
            organization=organization,
            status=Booking.Status.NO_SHOW,
            start__gte=start,
            start__lt=end,
        ).count(),
    )


def year_rules(year: int, county_id: int | None) -> dict[str, ScoringRule]:
    """Each rule of the county's scheme of the year (the defaults without one), as the
    recompute applies it."""
    scheme = Scheme.objects.filter(county_id=county_id, year=year).first()
    rules = {
        code: ScoringRule(code, rule.points, rule.per, rule.cap)
        for code, rule in RULES_BY_CODE.items()
    }
    if scheme is not None:
        for rule in scheme.rules.all():
            rules[rule.code] = ScoringRule(rule.code, rule.points, rule.per, rule.cap, rule.enabled)
    return rules


def _deduction(rules: dict[str, ScoringRule], code: str, figure: int = 1) -> Decimal:
    """The points a deduction rule takes for a figure (a flag: 1), as the score takes them."""
    return rules[code].points_for(figure)


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def organization_gaps(
    *, user, organization: Organization, today: datetime.date | None = None
) -> list[Gap]:
    """Every gap of the organisation today, deductions first, each with what to do."""
    today = today or timezone.localdate()
    quarter = quarters.quarter_of(today)
    figures = quarter_figures(organization, quarter)
    detail = reverse("orgs:organization_detail", kwargs={"pk": organization.pk})
    return [
        *_deduction_gaps(
            figures,
            year_rules(quarter[0], organization.community.township.county_id),
            quarter[0],
            detail,
        ),
        *_oversight_gaps(organization, today, detail),
        *_party_gaps(user, organization, quarter, today, detail),
        *_counting_gaps(organization, figures, quarter),
    ]


def _deduction_gaps(
    figures: QuarterFigures, rules: dict[str, ScoringRule], year: int, detail: str
) -> list[Gap]:
    """What the score deducts this quarter."""
    gaps: list[Gap] = []
    if figures.abnormal_listed:
        points = _deduction(rules, "abnormal_list")
        gaps.append(
            Gap(
                "abnormal_list",
                GAP_ABNORMAL % {"points": _fmt(points)},
                str(GAP_ABNORMAL_TODO),
                f"{detail}#oversight",
                points,
            )
        )
    if figures.failed_inspection:
        points = _deduction(rules, "failed_inspection")
        gaps.append(
            Gap(
                "failed_inspection",
                GAP_FAILED_INSPECTION % {"year": year, "points": _fmt(points)},
                str(GAP_FAILED_INSPECTION_TODO),
                f"{detail}#oversight",
                points,
            )
        )
    if figures.no_shows:
        points = _deduction(rules, "no_show", figures.no_shows)
        gaps.append(
            Gap(
                "no_show",
                GAP_NO_SHOWS % {"count": figures.no_shows, "points": _fmt(points)},
                str(GAP_NO_SHOWS_TODO),
                reverse("venues:my_bookings"),
                points,
            )
        )

    return gaps


def _oversight_gaps(organization: Organization, today: datetime.date, detail: str) -> list[Gap]:
    """The oversight section: credit lists in force today, last year's inspection, the grade."""
    gaps: list[Gap] = []
    listings = list(CreditListing.objects.filter(organization=organization))
    if any(
        listing.list_kind == CreditListing.Kind.SERIOUS and credit_rules.is_in_force(listing, today)
        for listing in listings
    ):
        gaps.append(Gap("serious_list", str(GAP_SERIOUS), str(GAP_SERIOUS_TODO), detail))
    inspection_year = today.year - 1
    started = organization.registered_on or organization.founded_on
    inspection_due = organization.registration_status == (
        Organization.RegistrationStatus.REGISTERED
    ) and (started is None or started.year <= inspection_year)
    if inspection_due:
        conclusion = (
            AnnualInspection.objects.filter(organization=organization, year=inspection_year)
            .values_list("conclusion", flat=True)
            .first()
        )
        if conclusion in (None, AnnualInspection.Conclusion.NOT_INSPECTED):
            text = GAP_INSPECTION_MISSING % {"year": inspection_year}
        elif conclusion == AnnualInspection.Conclusion.FAILED:
            text = GAP_INSPECTION_FAILED % {"year": inspection_year}
        else:
            text = ""
        if text:
            gaps.append(Gap("inspection", text, str(GAP_INSPECTION_TODO), f"{detail}#oversight"))
    if organization.grade and not organization.grade_is_valid(today):
        expires = organization.grade_expires_on()
        gaps.append(
            Gap(
                "grade_expired",
                GAP_GRADE_EXPIRED
                % {
                    "grade": organization.get_grade_display(),
                    "date": expires.isoformat() if expires else "—",
                },
                str(GAP_GRADE_TODO),
                detail,
            )
        )

    return gaps


def _party_gaps(user, organization: Organization, quarter, today, detail: str) -> list[Gap]:
    """Party organisation: branches behind this quarter, or neither branch nor instructor."""
    gaps: list[Gap] = []
    branches = Branch.objects.visible_to(user).filter(organizations=organization)
    for row in branch_compliance(branches_qs=branches, quarter=quarter, today=today):
        if row.behind:
            gaps.append(
                Gap(
                    "branch_behind",
                    GAP_BRANCH_BEHIND % {"branch": row.branch.name, "count": row.missing},
                    str(GAP_BRANCH_BEHIND_TODO),
                    reverse("party_branches:branch_detail", kwargs={"pk": row.branch.pk}),
                )
            )
    has_branch = branches.active(today).exists()
    has_instructor = (
        InstructorAssignment.objects.visible_to(user)
        .active(today)
        .filter(organization=organization)
        .exists()
    )
    if not has_branch and not has_instructor:
        gaps.append(Gap("branch", str(GAP_NO_BRANCH), str(GAP_NO_BRANCH_TODO), f"{detail}#party"))

    return gaps


def _counting_gaps(organization: Organization, figures: QuarterFigures, quarter) -> list[Gap]:
    """What the score counts and has nothing of yet this quarter."""
    label = quarters.quarter_label(quarter)
    gaps: list[Gap] = []
    if not figures.activities:
        gaps.append(
            Gap(
                "activity",
                GAP_NO_ACTIVITY % {"quarter": label},
                str(GAP_NO_ACTIVITY_TODO),
                reverse("activities:activity_create"),
            )
        )
    if not figures.ratings:
        gaps.append(
            Gap(
                "rating",
                GAP_NO_RATING % {"quarter": label},
                str(GAP_NO_RATING_TODO),
                reverse("activities:organization_feedback", kwargs={"org_pk": organization.pk}),
            )
        )
    return gaps
