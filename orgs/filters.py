"""Filters of the organisation list; they only narrow the selector's queryset."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from areas.models import Community, Township
from core.collation import pinyin_order
from core.identifiers import normalize_credit_code
from core.text import clean_name
from orgs import contributions
from orgs.models import Category, Organization
from orgs.selectors.organizations import ledger_keepers_in_view

CREDIT_LIST_ABNORMAL = "abnormal"
CREDIT_LIST_SERIOUS = "serious"
CREDIT_LIST_ANY = "any"
GRADE_EXPIRED = "expired"
PARTY_HAS_BRANCH = "branch"
PARTY_NO_BRANCH = "no_branch"
WATCH_ZOMBIE = "zombie"
WATCH_CLEAR = "clear"
STATUS_ACTIVE = "active"

# Text columns sort in pinyin order (阿 < 北 < 长 < 张).
PINYIN_COLUMNS = {"name", "community__name", "category__name"}

# URL value of each sortable column -> the field it orders by.
SORTABLE_COLUMNS = {
    "name": "name",
    "community": "community__name",
    "category": "category__name",
    "members": "member_count",
    "verified": "last_verified_on",
}


COMMUNITY_CHOICES_LIMIT = 400


class LedgerOrderingFilter(django_filters.OrderingFilter):
    """Ordering with empty values last and a stable tie-break, so pages never overlap."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            field = name.removeprefix("-")
            expression = pinyin_order(field) if field in PINYIN_COLUMNS else F(field)
            descending = name.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, pinyin_order("name"), "pk")


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        field_name="community__township",
        queryset=Township.objects.none(),
        empty_label=_("All townships"),
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.none(), empty_label=_("All communities")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=Organization.LegalForm.choices,
        empty_label=_("All legal forms"),
    )
    registration_status = django_filters.ChoiceFilter(
        label=_("Registration"),
        choices=Organization.RegistrationStatus.choices,
        empty_label=_("Any registration"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (STATUS_ACTIVE, _("Active (not merged, deregistered or revoked)")),
            *Organization.Status.choices,
        ],
        empty_label=_("Any status"),
        method="filter_status",
    )
    credit_list = django_filters.ChoiceFilter(
        label=_("Credit lists"),
        choices=[
            (CREDIT_LIST_ABNORMAL, _("On the abnormal activity list")),
            (CREDIT_LIST_SERIOUS, _("On the serious violation list")),
            (CREDIT_LIST_ANY, _("On either list")),
        ],
        empty_label=_("Credit lists: all"),
        method="filter_credit_list",
    )
    grade = django_filters.ChoiceFilter(
        label=_("Evaluation grade"),
        choices=[*Organization.Grade.choices, (GRADE_EXPIRED, _("Expired grade"))],
        empty_label=_("Any grade"),
        method="filter_grade",
    )
    party_coverage = django_filters.ChoiceFilter(
        label=_("Party organisation"),
        choices=[
            (PARTY_HAS_BRANCH, _("Has a temporary Party branch")),
            (PARTY_NO_BRANCH, _("No temporary Party branch")),
        ],
        empty_label=_("Party branch: all"),
        method="filter_party_coverage",
    )
    watch = django_filters.ChoiceFilter(
        label=_("Zombie watch"),
        choices=[
            (WATCH_ZOMBIE, _("Suspected zombie or flagged for review")),
            (WATCH_CLEAR, _("Not on the zombie watch")),
        ],
        empty_label=_("Zombie watch: all"),
        method="filter_watch",
    )
    verified_before = django_filters.DateFilter(
        label=_("Not verified since"),
        method="filter_verified_before",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date", "lang": "zh-CN"}),
    )
    ledger_keeper = django_filters.ModelChoiceFilter(
        label=_("Ledger keeper"), queryset=Organization.objects.none(), empty_label=_("Any keeper")
    )
    o = LedgerOrderingFilter(
        label=_("Sort by"),
        fields=[(field, param) for param, field in SORTABLE_COLUMNS.items()],
        field_labels={
            "name": _("Name"),
            "community__name": _("Community"),
            "category__name": _("Category"),
            "member_count": _("Members"),
            "last_verified_on": _("Last verified"),
        },
    )

    class Meta:
        model = Organization
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the areas and keepers the user may see.
        self.filters["township"].queryset = Township.objects.visible_to(user)
        self.filters["community"].queryset = Community.objects.visible_to(user)
        self.filters["ledger_keeper"].queryset = ledger_keepers_in_view(user=user)
        # Builds the form: every filter's queryset must be set before this.
        self._limit_community_choices(user)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "choices") else "form-control"
            )
            field.widget.attrs.setdefault("aria-label", str(field.label))
            field.widget.attrs.setdefault("data-testid", f"filter-{name}")
        self.form.fields["q"].widget.attrs.setdefault(
            "placeholder", _("Name, short name, credit code or leader")
        )

    def more_fields(self):
        """The filters shown after search, township and community (the sort is a link)."""
        first = {"q", "township", "community", "o"}
        return [self.form[name] for name in self.form.fields if name not in first]

    def _limit_community_choices(self, user) -> None:
        """Offer the communities of the chosen township, or all when there are few.

        At city or province scale a county-wide list would be tens of thousands of options;
        validation still accepts any visible community.
        """
        field = self.form.fields["community"]
        communities = Community.objects.visible_to(user)
        township = self.data.get("township") if self.data else None
        if township and str(township).isdigit():
            offered = list(communities.filter(township_id=int(township)))
        else:
            # One query: fetch one more than the limit to know whether there are too many.
            offered = list(communities[: COMMUNITY_CHOICES_LIMIT + 1])
            if len(offered) > COMMUNITY_CHOICES_LIMIT:
                offered = []
                field.empty_label = _("Choose a township first")
        field.widget.choices = [("", field.empty_label)] + [
            (community.pk, community.name) for community in offered
        ]

    def search(self, queryset, name, value):
        # Names are stored tidied by clean_name, so the query is tidied the same way (its
        # full-width punctuation stays, as in the stored names); the credit code is compacted.
        # Several words are searched together: each must appear in one of the fields.
        for word in clean_name(value).split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(credit_code__icontains=normalize_credit_code(word))
                | Q(leader_name__icontains=word)
            )
        return queryset

    def filter_credit_list(self, queryset, name, value):
        if value == CREDIT_LIST_ABNORMAL:
            return queryset.filter(on_abnormal_list=True)
        if value == CREDIT_LIST_SERIOUS:
            return queryset.filter(on_serious_list=True)
        if value == CREDIT_LIST_ANY:
            return queryset.filter(Q(on_abnormal_list=True) | Q(on_serious_list=True))
        return queryset

    def filter_party_coverage(self, queryset, name, value):
        # The party_branches app builds on the ledger and registers the condition.
        active_branch = contributions.active_branch_exists()
        if value == PARTY_HAS_BRANCH:
            return queryset.filter(active_branch)
        if value == PARTY_NO_BRANCH:
            return queryset.exclude(active_branch)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == STATUS_ACTIVE:
            return queryset.active()
        return queryset.filter(status=value)

    def filter_watch(self, queryset, name, value):
        # `suspected_zombie` is the one definition (selectors.suspected_zombie_condition).
        if value == WATCH_ZOMBIE:
            return queryset.filter(suspected_zombie=True)
        if value == WATCH_CLEAR:
            return queryset.filter(suspected_zombie=False)
        return queryset

    def filter_verified_before(self, queryset, name, value):
        # Never verified counts as not verified since the day.
        return queryset.filter(Q(last_verified_on__lt=value) | Q(last_verified_on__isnull=True))

    def filter_grade(self, queryset, name, value):
        if value == GRADE_EXPIRED:
            return queryset.filter(grade_expired=True)
        return queryset.filter(grade=value)
