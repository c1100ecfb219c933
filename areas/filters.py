import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Community, Township


class CommunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All townships")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Community.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Community
        fields = ["q", "township", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the townships the user may see.
        self.filters["township"].queryset = Township.objects.visible_to(user)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "choices") else "form-control"
            )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
