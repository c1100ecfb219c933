"""Where an import may write: the actor's communities and the categories."""

from __future__ import annotations

from accounts.scoping import scope_for
from areas.models import Community
from core.text import match_key
from exports.importing import values
from exports.importing.rows.messages import (
    CATEGORY_UNKNOWN_MESSAGE,
    COMMUNITY_AMBIGUOUS_MESSAGE,
    COMMUNITY_OUTSIDE_MESSAGE,
    COMMUNITY_TOWNSHIP_MESSAGE,
    COMMUNITY_UNKNOWN_MESSAGE,
    category_key,
)
from exports.permissions import may_import_into
from orgs.models import Category


class _Areas:
    """Communities, townships and categories, loaded once per validation."""

    def __init__(self, actor):
        self.scope = scope_for(actor)
        # The communities of the actor's counties (names repeat from county to county).
        communities = Community.objects.select_related("township")
        if self.scope.county_ids is not None:
            communities = communities.filter(township__county_id__in=self.scope.county_ids)
        self.communities = list(communities)
        self.by_code = {c.code: c for c in self.communities}
        self.by_name: dict[str, list[Community]] = {}
        for community in self.communities:
            self.by_name.setdefault(match_key(community.name), []).append(community)
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.category_keys = {category_key(name): c for name, c in self.categories.items()}

    def in_scope(self, community: Community) -> bool:
        return may_import_into(self.scope, community)

    def community(self, text: str, township_text: str = "", *, scoped: bool) -> Community:
        value = match_key(text).replace(" ", "")
        if value.isdigit() and len(value) == 12:
            found = [self.by_code[value]] if value in self.by_code else []
        else:
            found = list(self.by_name.get(value, []))
        if not found:
            raise values.CellProblem(str(COMMUNITY_UNKNOWN_MESSAGE) % {"value": text[:30]})
        if township_text:
            township = match_key(township_text)
            matching = [c for c in found if township in (c.township.name, c.township.code)]
            if not matching:
                raise values.CellProblem(
                    str(COMMUNITY_TOWNSHIP_MESSAGE) % {"value": text[:30], "township": township}
                )
            found = matching
        if len(found) > 1 and scoped:
            own = [c for c in found if self.in_scope(c)]
            found = own or found
        if len(found) > 1:
            townships = "、".join(c.township.name for c in found)
            raise values.CellProblem(
                str(COMMUNITY_AMBIGUOUS_MESSAGE) % {"value": text[:30], "townships": townships}
            )
        community = found[0]
        if scoped and not self.in_scope(community):
            township = next(
                (
                    c.township.name
                    for c in self.communities
                    if c.township_id == self.scope.township_id
                ),
                "",
            )
            raise values.CellProblem(
                str(COMMUNITY_OUTSIDE_MESSAGE) % {"value": text[:30], "township": township}
            )
        return community

    def category(self, text: str) -> Category:
        found = self.category_keys.get(category_key(text))
        if found is None:
            raise values.CellProblem(
                str(CATEGORY_UNKNOWN_MESSAGE)
                % {"value": text[:30], "allowed": "、".join(self.categories)}
            )
        return found
