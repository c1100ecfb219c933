"""Page-shaped reads of the areas, always starting from the user's scope."""

from django.db.models import Count, Q

from areas.models import Community, County, Township

COUNTY_REQUIRED = (
    "This installation has several counties: name the county (its 6-digit division code)."
)


class CountyRequired(ValueError):
    """A county's act (a recompute, a scheme) asked for without naming one of several."""


def sole_county() -> County | None:
    """The county of a single-county installation (None when there are none or several)."""
    counties = list(County.objects.order_by("pk")[:2])
    return counties[0] if len(counties) == 1 else None


def county_or_sole(county: County | int | None) -> County:
    """The county given (a row or its id), or the installation's only county."""
    if isinstance(county, County):
        return county
    if county is not None:
        return County.objects.get(pk=county)
    only = sole_county()
    if only is None:
        raise CountyRequired(COUNTY_REQUIRED)
    return only


def county_named(user, requested=None) -> tuple[County | None, list[County]]:
    """The county the request names (`?county=<id>`) among the user's, None when it names none
    of theirs, and the counties the user may switch between (by division code, one query)."""
    counties = list(County.objects.visible_to(user).order_by("code"))
    wanted = str(requested or "")
    chosen = next((c for c in counties if wanted.isdigit() and c.pk == int(wanted)), None)
    return chosen, counties


def county_narrowing(user, requested=None) -> tuple[County | None, list[County]]:
    """For a page the staff of several counties may narrow to one county (the overview, the
    township list): the county named among theirs (None: all of them) and the counties to pick
    from. A user who serves one county gets (None, []): no picker, their scope as it is."""
    county, counties = county_named(user, requested)
    return (county, counties) if len(counties) > 1 else (None, [])


def counties_and_choice(user, requested=None) -> tuple[County | None, list[County]]:
    """The counties the user may switch between and the one whose programme (scheme, ranking,
    awards) a page shows: their own county, or for a city's or a province's staff the one
    chosen among theirs (`county_named`), else the first."""
    chosen, counties = county_named(user, requested)
    return chosen or (counties[0] if counties else None), counties


def county_for_user(user, requested=None) -> County | None:
    """The county a page shows the user (`counties_and_choice`)."""
    return counties_and_choice(user, requested)[0]


def township_list(*, user):
    """Townships the user may see, with their number of communities and villages."""
    return (
        Township.objects.visible_to(user)
        .select_related("county")
        .annotate(
            community_count=Count("communities", distinct=True),
            village_count=Count(
                "communities", filter=Q(communities__kind=Community.Kind.VILLAGE), distinct=True
            ),
        )
        .order_by("code")
    )


def community_list(*, user):
    """Communities and villages the user may see, with their township."""
    return (
        Community.objects.visible_to(user)
        .select_related("township")
        .annotate(organization_count=Count("organizations", distinct=True))
        .order_by("code")
    )
