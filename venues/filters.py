import django_filters
from django.utils.translation import gettext_lazy as _

from areas.models import Community, Township
from core.forms import CommunitySelect, offer_communities_of_township
from venues.models import ServiceCenter


class ServiceCenterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All townships")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"),
        queryset=Community.objects.none(),
        empty_label=_("All communities"),
        widget=CommunitySelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ServiceCenter.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = ServiceCenter
        fields = ["q", "township", "community", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the areas of the centres the user may see.
        centers = ServiceCenter.objects.visible_to(user)
        self.filters["township"].queryset = Township.objects.filter(
            pk__in=centers.values("township_id")
        ).order_by("code")
        self.filters["community"].queryset = Community.objects.filter(
            pk__in=centers.values("community_id")
        ).order_by("code")
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "choices") else "form-control"
            )
        offer_communities_of_township(self.form.fields["community"], self.data.get("township"))
