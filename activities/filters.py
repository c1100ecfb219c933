import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, MediationCase, VerificationStatus
from areas.models import Community, Township
from core.forms import CommunitySelect, offer_communities_of_township
from orgs.forms.fields import OrganizationChoiceFilter
from orgs.models import Organization


class _ScopedChoicesMixin:
    def _style(self):
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if hasattr(field, "choices")
                else "form-control form-control-sm",
            )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    """The instant the local day begins."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ActivityFilter(_ScopedChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    organization = OrganizationChoiceFilter(
        label=_("Organisation"),
        field_name="lead_organization",
        queryset=Organization.objects.none(),
        empty_label=_("All organisations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Activity.Kind.choices, empty_label=_("All kinds")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"),
        field_name="community_served",
        queryset=Community.objects.none(),
        empty_label=_("All communities"),
        widget=CommunitySelect,
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        field_name="community_served__township",
        queryset=Township.objects.none(),
        empty_label=_("All townships"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VerificationStatus.choices, empty_label=_("Any status")
    )
    # Dates of the local calendar compared as instants (start >= the first day's midnight, start <
    # the midnight after the last day), so the (start, id) index serves them: `start__date`
    # would convert every row's start to a local date first.
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="start",
        method="filter_date_from",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="start",
        method="filter_date_to",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Activity
        fields = [
            "q",
            "organization",
            "kind",
            "community",
            "township",
            "status",
            "date_from",
            "date_to",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].queryset = (
            Organization.objects.visible_to(user).pickable().order_by("name")
        )
        self.filters["community"].queryset = Community.objects.visible_to(user).order_by("code")
        self.filters["township"].queryset = Township.objects.visible_to(user).order_by("code")
        self._style()
        offer_communities_of_township(self.form.fields["community"], self.data.get("township"))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(start__gte=_local_midnight(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(start__lt=_local_midnight(value + datetime.timedelta(days=1)))


class MediationFilter(_ScopedChoicesMixin, django_filters.FilterSet):
    organization = OrganizationChoiceFilter(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        empty_label=_("All organisations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MediationCase.Kind.choices, empty_label=_("All kinds")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=MediationCase.Outcome.choices, empty_label=_("Any outcome")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VerificationStatus.choices, empty_label=_("Any status")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        field_name="community__township",
        queryset=Township.objects.none(),
        empty_label=_("All townships"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="occurred_on",
        lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="occurred_on",
        lookup_expr="lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = MediationCase
        fields = ["organization", "kind", "outcome", "status", "township", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].queryset = (
            Organization.objects.visible_to(user).pickable().order_by("name")
        )
        self.filters["township"].queryset = Township.objects.visible_to(user).order_by("code")
        self._style()
