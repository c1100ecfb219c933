"""Checks shared by the activity services: who may record for an organisation, in which
area, and the prose fields' trimming."""

from django.core.exceptions import PermissionDenied, ValidationError

from activities.permissions import can_record_for, co_organizer_choices, recordable_communities
from activities.services.messages import CO_ORGANIZER_OUT_OF_AREA, COMMUNITY_OUT_OF_AREA
from core.text import clean_text


def _clean_prose(data: dict, *fields: str) -> None:
    """Trim the prose fields in place; their punctuation stays as typed."""
    for field in fields:
        if isinstance(data.get(field), str):
            data[field] = clean_text(data[field])


def _require_recorder(actor, organization) -> None:
    if not can_record_for(actor, organization):
        raise PermissionDenied


def _require_community_in_area(actor, community, *, field: str, current_id=None) -> None:
    """Refuse a community outside the actor's area (one already on the record may stay)."""
    if community is None or community.pk == current_id:
        return
    if not recordable_communities(actor).filter(pk=community.pk).exists():
        raise ValidationError({field: COMMUNITY_OUT_OF_AREA})


def _require_co_organizers_in_area(actor, co_organizers, *, current_ids=()) -> None:
    """Refuse co-organisers outside the actor's area (those already on the record may stay)."""
    wanted = {org.pk for org in co_organizers} - set(current_ids)
    if wanted and co_organizer_choices(actor).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"co_organizers": CO_ORGANIZER_OUT_OF_AREA})
