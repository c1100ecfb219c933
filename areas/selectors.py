"""Page-shaped reads of the areas, always starting from the user's scope."""

from django.db.models import Count, Q

from areas.models import Community, Township


def township_list(*, user):
    """Townships the user may see, with their number of communities and villages."""
    return (
        Township.objects.visible_to(user)
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
