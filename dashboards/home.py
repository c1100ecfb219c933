"""The home page per role: the work waiting for the person, each item linking to its records."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.scoping import scope_for
from activities.selectors import verification_queue
from areas.models import County
from core import quarters
from dashboards.permissions import home_page
from dashboards.selectors import link
from exports.selectors import export_job_list
from orgs.models import Organization
from orgs.selectors.oversight import merge_list, zombie_flag_list
from party_branches.compliance import branch_compliance
from party_branches.models import Branch
from scoring.gaps import organization_gaps
from scoring.models import QuarterScore, RankingRun
from venues.models import Booking
from venues.selectors import approval_queue, my_bookings

PREVIEW = 5
STALE_DAYS = 90
RECENT_MERGE_DAYS = 30
RUNS_SHOWN = 5


def county_admin_home(*, user) -> dict:
    """Zombie flags to confirm, recent merges, the latest ranking runs (and export jobs)."""
    today = timezone.localdate()
    flags = zombie_flag_list(user=user)
    merges = merge_list(user=user).filter(
        merged_on__gte=today - datetime.timedelta(days=RECENT_MERGE_DAYS)
    )
    return {
        "zombie_count": flags.count(),
        "zombie_flags": list(flags[:PREVIEW]),
        "zombie_url": link("orgs:zombie_list", state="open"),
        "merge_count": merges.count(),
        "merges": list(merges[:PREVIEW]),
        "merge_days": RECENT_MERGE_DAYS,
        "ranking_runs": list(
            RankingRun.objects.filter(county__in=County.objects.visible_to(user))
            .select_related("requested_by", "county")
            .order_by("-created_at", "-pk")[:RUNS_SHOWN]
        ),
        "export_jobs": list(export_job_list(user=user)[:RUNS_SHOWN]),
    }


def stale_organizations(*, user, today: datetime.date | None = None):
    """Organisations in normal status whose record was not verified for 90 days (or ever)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=STALE_DAYS)
    return (
        Organization.objects.visible_to(user)
        .filter(status=Organization.Status.NORMAL)
        .filter(Q(last_verified_on__lt=cutoff) | Q(last_verified_on__isnull=True))
        .select_related("community")
        .order_by("last_verified_on", "name", "pk")
    ), cutoff


def township_staff_home(*, user) -> dict:
    """Records not verified for 90 days and branches behind on organisational life."""
    today = timezone.localdate()
    scope = scope_for(user)
    stale, cutoff = stale_organizations(user=user, today=today)
    quarter = quarters.quarter_of(today)
    rows = branch_compliance(
        branches_qs=Branch.objects.visible_to(user), quarter=quarter, today=today
    )
    behind = [row for row in rows if row.behind]
    return {
        "stale_count": stale.count(),
        "stale": list(stale[:PREVIEW]),
        "stale_days": STALE_DAYS,
        "stale_url": link(
            "orgs:organization_list",
            status=Organization.Status.NORMAL,
            verified_before=cutoff.isoformat(),
            township=scope.township_id,
            o="verified",
        ),
        "behind_count": len(behind),
        "behind": behind[:PREVIEW],
        "quarter": quarters.quarter_label(quarter),
        "behind_url": link(
            "party_branches:compliance_board",
            quarter=quarters.format_quarter(quarter),
            township=scope.township_id,
        ),
        "overview_url": reverse("dashboards:township_overview", kwargs={"pk": scope.township_id})
        if scope.township_id
        else "",
    }


def secretary_home(*, user) -> dict:
    """Bookings to approve, records to verify and today's bookings in the community's centres."""
    scope = scope_for(user)
    today = timezone.localdate()
    approvals = approval_queue(user=user)
    activities, cases = verification_queue(user=user)
    start = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    todays = (
        Booking.objects.visible_to(user)
        .filter(
            room__center__community_id=scope.community_id,
            start__gte=start,
            start__lt=start + datetime.timedelta(days=1),
            status__in=[
                Booking.Status.PENDING,
                Booking.Status.CONFIRMED,
                Booking.Status.USED,
            ],
        )
        .select_related("room__center", "organization")
        .order_by("start", "pk")
    )
    todays_list = list(todays)
    centers = {booking.room.center for booking in todays_list}
    return {
        "approval_count": approvals.count(),
        "approvals": list(approvals[:PREVIEW]),
        "verify_activity_count": activities.count(),
        "verify_case_count": cases.count(),
        "verify_activities": list(activities[:PREVIEW]),
        "todays_bookings": todays_list,
        "todays_centers": sorted(centers, key=lambda center: center.name),
    }


def org_contact_home(*, user) -> dict:
    """The group's bookings, its latest score and what it is missing."""
    scope = scope_for(user)
    organization = (
        Organization.objects.visible_to(user)
        .filter(pk=scope.organization_id)
        .select_related("community")
        .first()
    )
    if organization is None:
        return {"organization": None}
    today = timezone.localdate()
    quarter = quarters.quarter_of(today)
    upcoming = my_bookings(user=user).filter(
        end__gte=timezone.now(),
        status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED],
    )
    score = (
        QuarterScore.objects.visible_to(user)
        .filter(organization=organization)
        .order_by("-year", "-quarter")
        .first()
    )
    detail = reverse("orgs:organization_detail", kwargs={"pk": organization.pk})
    # One source: the rules of the score and of the oversight pages (scoring.gaps).
    missing = organization_gaps(user=user, organization=organization, today=today)
    return {
        "organization": organization,
        "organization_url": detail,
        "bookings": list(upcoming[:PREVIEW]),
        "booking_count": upcoming.count(),
        "score": score,
        "score_quarter": quarters.quarter_label((score.year, score.quarter)) if score else "",
        "missing": missing,
        "quarter": quarters.format_quarter(quarter),
    }


HOMES = {
    "county_admin": county_admin_home,
    "township_staff": township_staff_home,
    "secretary": secretary_home,
    "org_contact": org_contact_home,
}


def home_context(*, user) -> dict:
    """The work waiting for the user, by start page (the overview comes from the view)."""
    page = home_page(user)
    builder = HOMES.get(page)
    return {"home_page": page, "work": builder(user=user) if builder else {}}
