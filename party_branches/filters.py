import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from areas.models import Township
from party_branches.models import Branch, Formation

STATE_CHOICES = (("active", _("Active")), ("dissolved", _("Dissolved")))


class BranchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All townships")
    )
    formation = django_filters.ChoiceFilter(
        label=_("Formation"), choices=Formation.choices, empty_label=_("All formations")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=STATE_CHOICES,
        empty_label=_("Active and dissolved"),
        method="by_state",
    )

    class Meta:
        model = Branch
        fields = ["q", "township", "formation", "state"]

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
        links = Branch.organizations.through.objects.filter(
            branch=OuterRef("pk"), organization__name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Q(Exists(links)))

    def by_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(dissolved_on__isnull=True)
        if value == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset
