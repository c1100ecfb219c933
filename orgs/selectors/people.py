"""Page-shaped reads of people and memberships, always starting from the user's scope."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Func, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from core.identifiers import (
    birth_date_from_id,
    normalize_id_number,
    normalize_mobile,
)
from core.text import clean_name
from orgs.models import Membership, Organization, Person
from orgs.models.people import TAIL_LENGTH, Tripled, id_number_tail, mobile_tail, tripled
from orgs.permissions import can_see_sensitive
from orgs.selectors.organizations import record_history

LAST_DIGITS = TAIL_LENGTH
FULL_NUMBER_SEARCH_REFUSED = _(
    "You may not search by a full ID number; enter a name or the last 4 digits of the ID number."
)
FULL_MOBILE_SEARCH_REFUSED = _(
    "You may not search by a full mobile number; enter a name or the last 4 digits of the mobile."
)
ROLE_ORDER = {role: rank for rank, role in enumerate(Membership.Role.values)}


def person_list(*, user) -> QuerySet[Person]:
    """People the user may see who have not been merged away, with their current memberships."""
    return (
        Person.objects.visible_to(user)
        .current()
        .select_related("community", "grid_community")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.visible_to(user)
                .current()
                .select_related("organization")
                .order_by("organization__name"),
                to_attr="current_memberships",
            )
        )
        .order_by("name", "pk")
    )


def full_number_refusal(*, user, query: str) -> str:
    """The refusal when the query is a full ID number or mobile the user may not search by."""
    if can_see_sensitive(user):
        return ""
    query = clean_name(query or "")
    if len(normalize_id_number(query)) == 18:
        return str(FULL_NUMBER_SEARCH_REFUSED)
    mobile = normalize_mobile(query)
    if len(mobile) == 11 and mobile.isdigit():
        return str(FULL_MOBILE_SEARCH_REFUSED)
    return ""


def person_search(queryset: QuerySet[Person], query: str, *, user) -> QuerySet[Person]:
    """Narrow people by a name fragment, the last 4 digits of an ID number or mobile, or (for
    roles that may see them) a full ID number or mobile: a full number must not confirm whose
    it is to a role that cannot reveal it, so from them it matches nothing."""
    query = clean_name(query)
    if not query:
        return queryset
    if full_number_refusal(user=user, query=query):
        return queryset.none()
    expressions: dict[str, Func] = {}
    if connection.vendor == "postgresql":
        # The same rows as name__icontains, through the trigram index on the tripled name
        # (orgs.models.people.Tripled), which also serves 1 and 2 character fragments.
        expressions["name_tripled"] = Tripled("name")
        condition = Q(name_tripled__icontains=tripled(query))
    else:
        condition = Q(name__icontains=query)
    # The last digits compare equal to an indexed expression (Meta.indexes of Person): the same
    # rows as ``endswith`` for a 4-character query, without reading every row.
    id_number = normalize_id_number(query)
    if len(id_number) == 18:
        condition |= Q(id_number=id_number)
    elif len(id_number) == LAST_DIGITS and (id_number[-1].isdigit() or id_number[-1] == "X"):
        expressions["id_number_tail"] = id_number_tail()
        condition |= Q(id_number_tail=id_number)
    mobile = normalize_mobile(query)
    if len(mobile) == 11 and mobile.isdigit():
        condition |= Q(mobile=mobile)
    elif len(mobile) == LAST_DIGITS and mobile.isdigit():
        expressions["mobile_tail"] = mobile_tail()
        condition |= Q(mobile_tail=mobile)
    # Sorted as the list is (name, pk), but on an expression the name index cannot walk: the
    # planner would otherwise read that index in order and filter, expecting the matches to be
    # spread along it, while a surname's are bunched in one place (9,400 names holding 谢: the
    # walk read 590,000 rows first). The matches come from the indexes above, then are sorted.
    return queryset.alias(**expressions).filter(condition).order_by(Concat("name", Value("")), "pk")


def person_memberships(*, user, person: Person) -> list[Membership]:
    """The person's memberships in the organisations the user may see, current first."""
    memberships = (
        Membership.objects.visible_to(user)
        .filter(person=person)
        .select_related("organization", "organization__community")
        .order_by("left_on", "-joined_on", "pk")
    )
    # Current memberships (left_on NULL) first, whatever the database sorts NULLs as.
    return sorted(memberships, key=lambda m: (not m.is_current, m.organization.name))


def birth_date_display(value, *, full: bool) -> str:
    """A birth date in full for sensitive roles, else only its year (with the masked ID
    number's first 3 and last 4 characters, the full date would nearly rebuild the number)."""
    if not value:
        return ""
    return value.isoformat() if full else str(value.year)


def person_birth_date(person: Person, *, full: bool) -> str:
    """The person's birth date (derived from a valid ID number when not stored)."""
    value = person.birth_date
    if value is None and person.id_number:
        try:
            value = birth_date_from_id(person.id_number)
        except ValidationError:
            value = None
    return birth_date_display(value, full=full)


def person_history(person: Person, *, full_birth_date: bool = False) -> list[dict[str, Any]]:
    """The person's change history, newest first; ID and mobile always masked (reveal is apart)."""
    return record_history(
        person,
        reveal=False,
        formatters={"birth_date": partial(birth_date_display, full=full_birth_date)},
    )


MEMBERS_PAGE_SIZE = 20


def members_tab_context(*, user, organization, member_query="", member_page=None) -> dict:
    """Context for the organisation page's members section (orgs/partials/_org_members.html).

    `member_query` keeps the current members whose name holds every word typed; `member_page`
    pages them (MEMBERS_PAGE_SIZE a page); None shows them all (the print view).
    """
    memberships = list(
        Membership.objects.filter(organization=organization)
        .select_related("person")
        .order_by("person__name", "-joined_on", "pk")
    )
    current = sorted(
        (m for m in memberships if m.is_current), key=lambda m: ROLE_ORDER.get(m.role, 99)
    )
    past = sorted(
        (m for m in memberships if not m.is_current), key=lambda m: m.left_on, reverse=True
    )
    current_people = {m.person_id for m in current}
    for membership in past:
        # Only someone not back in the organisation already can rejoin it.
        membership.can_rejoin = membership.person_id not in current_people
    can_edit = (
        organization.is_active
        and Organization.objects.editable_by(user).filter(pk=organization.pk).exists()
    )
    member_count = len(current)
    words = clean_name(member_query).split()
    if words:
        current = [m for m in current if all(word in m.person.name for word in words)]
    members_page = None
    if member_page is not None:
        members_page = Paginator(current, MEMBERS_PAGE_SIZE).get_page(member_page)
        current = list(members_page)
    return {
        "current_members": current,
        "members_page": members_page,
        "member_query": member_query,
        "past_members": past,
        "member_count": member_count,
        "can_edit_members": can_edit,
        "can_see_sensitive": can_see_sensitive(user),
    }
