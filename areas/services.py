"""Every change to the county's map: checked, saved and audited in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from areas.models import Community, County, Township
from areas.permissions import can_manage_areas
from core.services import audit_record, model_update

TOWNSHIP_FIELDS = ("county", "name", "kind", "code", "is_active")
COMMUNITY_FIELDS = ("township", "name", "kind", "code", "address", "is_active")


def _require_area_manager(actor) -> None:
    if not can_manage_areas(actor):
        raise PermissionDenied


def _require_in_scope(actor, visible, area) -> None:
    """The county or township an area is put under must be one the actor serves."""
    if actor is not None and not visible.filter(pk=area.pk).exists():
        raise PermissionDenied


@transaction.atomic
def township_create(
    *, actor, county: County, name: str, kind: str, code: str, is_active: bool = True
) -> Township:
    """Add a township or street to a county the actor serves."""
    _require_area_manager(actor)
    _require_in_scope(actor, County.objects.visible_to(actor), county)
    township = Township(county=county, name=name, kind=kind, code=code, is_active=is_active)
    township.full_clean()
    township.save()
    audit_record(actor=actor, action="township.create", obj=township, summary=name)
    return township


@transaction.atomic
def township_update(*, actor, township: Township, **data) -> Township:
    """Change a township's name, kind, code or whether it is in use."""
    _require_area_manager(actor)
    if "county" in data:
        _require_in_scope(actor, County.objects.visible_to(actor), data["county"])
    data = {key: value for key, value in data.items() if key in TOWNSHIP_FIELDS}
    model_update(township, data, actor=actor, action="township.update", summary=township.name)
    return township


@transaction.atomic
def community_create(
    *,
    actor,
    township: Township,
    name: str,
    kind: str,
    code: str,
    address: str = "",
    is_active: bool = True,
) -> Community:
    """Add a community or village to a township."""
    _require_area_manager(actor)
    _require_in_scope(actor, Township.objects.visible_to(actor), township)
    community = Community(
        township=township, name=name, kind=kind, code=code, address=address, is_active=is_active
    )
    community.full_clean()
    community.save()
    audit_record(actor=actor, action="community.create", obj=community, summary=name)
    return community


@transaction.atomic
def community_update(*, actor, community: Community, **data) -> Community:
    """Change a community's details or move it to another township."""
    _require_area_manager(actor)
    if "township" in data:
        _require_in_scope(actor, Township.objects.visible_to(actor), data["township"])
    data = {key: value for key, value in data.items() if key in COMMUNITY_FIELDS}
    model_update(community, data, actor=actor, action="community.update", summary=community.name)
    return community
