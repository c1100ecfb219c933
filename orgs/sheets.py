"""Excel ledgers of the e-ledger: organisations and members (exports app, issue 8)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.identifiers import birth_date_from_id
from core.ledgers import CHUNK_SIZE, Ledger, filterset_summary, labels, yes_no
from core.masking import mask_id_number, mask_mobile
from core.xlsx import DATE, INTEGER, TEXT, Column, Sheet
from orgs.filters import OrganizationFilter
from orgs.forms.people import PersonFilter
from orgs.models import Membership, Organization, Person
from orgs.selectors.organizations import organization_list


def organizations_ledger(*, user, params, reveal: bool) -> Ledger:
    """The organisation ledger narrowed by the organisation list's filters."""
    filterset = OrganizationFilter(params or None, queryset=organization_list(user=user), user=user)
    queryset = filterset.qs
    fields = (
        "name",
        "short_name",
        "credit_code",
        "registration_status",
        "legal_form",
        "category__name",
        "community__township__name",
        "community__name",
        "address",
        "founded_on",
        "registered_on",
        "registration_authority",
        "supervising_unit",
        "leader_name",
        "leader_phone",
        "member_count",
        "grade",
        "grade_awarded_on",
        "status",
        "on_abnormal_list",
        "on_serious_list",
        "in_party_alliance",
        "ledger_keeper__name",
        "last_verified_on",
        "activity_fields",
        "resources",
        "needs",
        "operating_mechanism",
        "bottlenecks",
        "special_teams",
    )
    columns = [
        Column(_("Name"), 28),
        Column(_("Short name"), 14),
        Column(_("Unified social credit code"), 22),
        Column(_("Registration"), 10),
        Column(_("Legal form"), 16),
        Column(_("Category"), 12),
        Column(_("Township"), 12),
        Column(_("Community"), 12),
        Column(_("Address"), 26),
        Column(_("Founded on"), 12, DATE),
        Column(_("Registered or filed on"), 12, DATE),
        Column(_("Registration authority"), 16),
        Column(_("Supervising unit"), 16),
        Column(_("Leader"), 10),
        Column(_("Leader's mobile"), 14),
        Column(_("Current members"), 10, INTEGER),
        Column(_("Evaluation grade"), 8),
        Column(_("Grade awarded on"), 12, DATE),
        Column(_("Status"), 10),
        Column(_("On the abnormal activity list"), 10),
        Column(_("On the serious violation list"), 10),
        Column(_("In a Party-building alliance"), 10),
        Column(_("Ledger keeper"), 10),
        Column(_("Last verified on"), 12, DATE),
        Column(_("Fields of activity"), 24),
        Column(_("Resources and strengths"), 24),
        Column(_("Actual needs"), 24),
        Column(_("Operating mechanism"), 24),
        Column(_("Development bottlenecks"), 24),
        Column(_("Special teams"), 20),
    ]
    registration = labels(Organization.RegistrationStatus.choices)
    legal_forms = labels(Organization.LegalForm.choices)
    statuses = labels(Organization.Status.choices)
    phone = (lambda value: value) if reveal else mask_mobile

    def rows():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[3] = registration.get(row[3], row[3])
            row[4] = legal_forms.get(row[4], row[4])
            row[14] = phone(row[14])
            row[18] = statuses.get(row[18], row[18])
            row[19] = yes_no(row[19])
            row[20] = yes_no(row[20])
            row[21] = yes_no(row[21])
            yield row

    title = _("Ledger of social organisations")
    summary = filterset_summary(filterset)
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(
                _("Organisations"),
                columns,
                rows(),
                expected_rows=queryset.count,
                subtitle=summary,
            )
        ],
    )


MEMBER_FIELDS = (
    "organization__name",
    "organization__community__township__name",
    "organization__community__name",
    "person__name",
    "person__gender",
    "person__id_number",
    "person__birth_date",
    "person__mobile",
    "role",
    "joined_on",
    "person__is_party_member",
    "person__party_status",
    "person__party_relation_place",
    "person__grid_role",
    "person__community__name",
)


def member_columns() -> list[Column]:
    return [
        Column(_("Organisation"), 28),
        Column(_("Township"), 12),
        Column(_("Community"), 12),
        Column(_("Full name"), 10),
        Column(_("Gender"), 6),
        Column(_("ID number"), 21, TEXT),
        Column(_("Birth date"), 12, DATE),
        Column(_("Mobile"), 14, TEXT),
        Column(_("Role"), 10),
        Column(_("Joined on"), 12, DATE),
        Column(_("Party member"), 8),
        Column(_("Party status"), 10),
        Column(_("Where the Party relation is held"), 20),
        Column(_("Grid role"), 10),
        Column(_("Community of residence"), 12),
    ]


def members_queryset(*, user, params):
    """Current memberships the user may see, narrowed by the people list's filters."""
    memberships = Membership.objects.visible_to(user).current()
    filterset = None
    if any(key in params for key in PersonFilter.base_filters):
        people = Person.objects.visible_to(user).current()
        filterset = PersonFilter(params, queryset=people, user=user)
        memberships = memberships.filter(person__in=filterset.qs.order_by().values("pk"))
    organization = params.get("organization", "")
    if organization:
        if not organization.isdigit():
            raise ValidationError({"organization": _("Choose an organisation from the list.")})
        memberships = memberships.filter(organization_id=int(organization))
    ordered = memberships.order_by("organization__name", "organization_id", "person__name", "pk")
    return ordered, filterset


def member_rows(queryset, *, reveal: bool):
    """Rows of the members ledger; ID numbers and mobiles masked unless `reveal`."""
    genders = labels(Person.Gender.choices)
    roles = labels(Membership.Role.choices)
    party = labels(Person.PartyStatus.choices)
    grid = labels(Person.GridRole.choices)
    yes, no = yes_no(True), yes_no(False)
    for row in queryset.values_list(*MEMBER_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        (org, township, community, name, gender, id_number, birth, mobile, role, joined,
         is_member, party_status, relation, grid_role, residence) = row  # fmt: skip
        if birth is None and id_number:
            try:
                birth = birth_date_from_id(id_number)
            except ValidationError:
                birth = None
        if not reveal:
            # With the masked ID number's first 3 and last 4 characters, a full birth date
            # would nearly rebuild the number: only the year is shown.
            birth = str(birth.year) if birth else None
            id_number = mask_id_number(id_number)
            mobile = mask_mobile(mobile)
        yield (
            org,
            township,
            community,
            name,
            genders.get(gender, gender),
            id_number,
            birth,
            mobile,
            roles.get(role, role),
            joined,
            yes if is_member else no,
            party.get(party_status, party_status),
            relation,
            grid.get(grid_role, grid_role),
            residence,
        )


def members_ledger(*, user, params, reveal: bool) -> Ledger:
    """The members ledger: one row per current membership, narrowed by the people filters."""
    queryset, filterset = members_queryset(user=user, params=params)
    title = _("Ledger of members")
    summary = filterset_summary(filterset) if filterset is not None else ""
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[
            Sheet(
                _("Members"),
                member_columns(),
                member_rows(queryset, reveal=reveal),
                expected_rows=queryset.count,
                subtitle=summary,
            )
        ],
    )
