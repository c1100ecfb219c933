import django_filters
from django.utils.translation import gettext_lazy as _

from areas.models import Township
from orgs.models import Category
from scoring.models import QuarterScore


class RankingFilter(django_filters.FilterSet):
    """Narrow a quarter's ranking; the published ranking lists every township and category."""

    q = django_filters.CharFilter(
        label=_("Search"), field_name="organization__name", lookup_expr="icontains"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        queryset=Township.objects.order_by("code"),
        empty_label=_("All townships"),
    )

    class Meta:
        model = QuarterScore
        fields = ["q", "category", "township"]

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            # The county's townships: its ranking is its own.
            self.filters["township"].queryset = Township.objects.filter(county=county).order_by(
                "code"
            )
            self.form.fields["township"].queryset = self.filters["township"].queryset
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if hasattr(field, "choices")
                else "form-control form-control-sm",
            )
        self.form.fields["q"].widget.attrs.setdefault("placeholder", _("Organisation name"))
