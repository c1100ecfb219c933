"""Annual awards (评选表彰): proposed from the year's quarter totals, decided by the county admin.

The annual total of an organisation is the sum of its ranked quarter totals of the year. In
each category the organisations are ranked by it (competition ranking: equal totals share a
rank) and those ranked within `Scheme.awards_per_category` are proposed, ties included.
Organisations left out of any quarter's ranking that year (serious list, merged) and
organisations that no longer exist are not proposed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import County
from areas.selectors import county_or_sole
from core.services import audit_record
from orgs.models import Category, Organization
from scoring.models import Award, QuarterScore, Scheme
from scoring.permissions import is_county_admin

DECISION_INVALID = gettext_lazy("Choose whether to confirm or reject the award.")
REJECTION_NEEDS_NOTE = gettext_lazy("Say why the award is not confirmed.")
DEFAULT_AWARDS_PER_CATEGORY = 1


def award_title(*, year: int, category: Category) -> str:
    return _("Outstanding %(category)s social organisation of %(year)s") % {
        "year": year,
        "category": category.name,
    }


def award_candidates(*, year: int, per_category: int, county) -> list[dict]:
    """Per category, the county's organisations ranked within `per_category` by their annual
    total (each county awards its own)."""
    unranked = QuarterScore.objects.filter(
        year=year, ranked=False, organization=OuterRef("organization")
    )
    rows = (
        QuarterScore.objects.filter(
            county=county,
            year=year,
            ranked=True,
            organization__in=Organization.objects.active(),
            organization__category__isnull=False,
        )
        .exclude(Exists(unranked))
        .values("organization", award_category=F("organization__category"))
        .annotate(annual_total=Sum("total"), quarters=Count("pk"))
        .annotate(
            rank=Window(
                Rank(),
                partition_by=F("organization__category"),
                order_by=F("annual_total").desc(),
            )
        )
        .order_by()
    )
    return list(rows.filter(rank__lte=per_category))


@transaction.atomic
def propose_awards(year: int, user, county=None) -> list[Award]:
    """Replace the county's proposals of the year by the current candidates; decided awards
    stay as they are."""
    if not is_county_admin(user):
        raise PermissionDenied
    county = county_or_sole(county)
    if not County.objects.visible_to(user).filter(pk=county.pk).exists():
        raise PermissionDenied
    scheme = Scheme.objects.filter(county=county, year=year).first()
    per_category = scheme.awards_per_category if scheme else DEFAULT_AWARDS_PER_CATEGORY
    existing = {
        award.organization_id: award
        for award in Award.objects.select_for_update().in_county(county).filter(year=year)
    }
    categories = Category.objects.in_bulk()
    proposed = []
    kept = set()
    for row in award_candidates(year=year, per_category=per_category, county=county):
        organization_id = row["organization"]
        award = existing.get(organization_id)
        if award is not None and award.status != Award.Status.PROPOSED:
            continue
        category = categories[row["award_category"]]
        values = {
            "category": category,
            "title": award_title(year=year, category=category),
            "annual_total": row["annual_total"],
            "quarters_counted": row["quarters"],
            "rank_in_category": row["rank"],
        }
        if award is None:
            award = Award(year=year, organization_id=organization_id, **values)
            award.full_clean()
            award.save()
        else:
            for field, value in values.items():
                setattr(award, field, value)
            award.full_clean()
            award.save(update_fields=list(values))
        kept.add(organization_id)
        proposed.append(award)
    for organization_id, award in existing.items():
        if award.status == Award.Status.PROPOSED and organization_id not in kept:
            award.delete()
    target = scheme if scheme is not None else (proposed[0] if proposed else None)
    if target is not None:
        audit_record(
            actor=user,
            action="scoring.awards_propose",
            obj=target,
            summary=f"{county} {year}: {len(proposed)}",
            changes={
                "year": year,
                "proposed": sorted(award.organization_id for award in proposed),
            },
        )
    return proposed


@transaction.atomic
def decide_award(award: Award, user, status: str, note: str = "") -> Award:
    """Confirm or reject one award (a rejection says why); audited."""
    if not is_county_admin(user):
        raise PermissionDenied
    if status not in (Award.Status.CONFIRMED, Award.Status.REJECTED):
        raise ValidationError({"status": DECISION_INVALID})
    note = (note or "").strip()
    if status == Award.Status.REJECTED and not note:
        raise ValidationError({"note": REJECTION_NEEDS_NOTE})
    award = Award.objects.select_for_update().get(pk=award.pk)
    changes = {"status": [award.status, status], "note": [award.note, note]}
    award.status = status
    award.note = note
    award.decided_by = user
    award.decided_at = timezone.now()
    award.full_clean()
    award.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_record(
        actor=user,
        action="scoring.award_decide",
        obj=award,
        summary=f"{award.year} {award.organization_id} {status}",
        changes=changes,
    )
    return award
