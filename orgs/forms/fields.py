"""Organisation pickers: each choice names the township and community beside the name.

Community names repeat across townships, and so do organisation names, so a picker's label is
"幸福社区书画协会（城关街道·幸福社区）". The fields fetch the areas with the organisations
(one query).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedSelect


def organization_label(organization) -> str:
    community = organization.community
    return f"{organization.name}（{community.township.name}·{community.name}）"


class _WithAreas:
    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.select_related("community__township")
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj) -> str:
        return organization_label(obj)


class OrganizationSearchSelect(BoundedSelect):
    """A select with a search box above it: typing replaces its options from the server.

    With more organisations than a page should hold (a county admin at city scale), only the
    chosen one is rendered until something is typed.
    """

    template_name = "orgs/widgets/organization_search_select.html"
    too_many_label = _("Type a name above to search")


class OrganizationChoiceField(_WithAreas, forms.ModelChoiceField):
    widget = OrganizationSearchSelect


class OrganizationMultipleChoiceField(_WithAreas, forms.ModelMultipleChoiceField):
    pass


class OrganizationChoiceFilter(django_filters.ModelChoiceFilter):
    """A list filter whose choices carry the township and community."""

    field_class = OrganizationChoiceField
