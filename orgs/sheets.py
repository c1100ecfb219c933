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


def _organization_columns() -> list[tuple[str, Column]]:
    """The ledger's columns: the field each is read from, and its heading, width and format."""
    return [
        ("name", Column(_("Name"), 28)),
        ("short_name", Column(_("Short name"), 14)),
        ("credit_code", Column(_("Unified social credit code"), 22)),
        ("registration_status", Column(_("Registration"), 10)),
        ("legal_form", Column(_("Legal form"), 16)),
        ("category__name", Column(_("Category"), 12)),
        ("community__township__name", Column(_("Township"), 12)),
        ("community__name", Column(_("Community"), 12)),
        ("address", Column(_("Address"), 26)),
        ("founded_on", Column(_("Founded on"), 12, DATE)),
        ("registered_on", Column(_("Registered or filed on"), 12, DATE)),
        ("registration_authority", Column(_("Registration authority"), 16)),
        ("supervising_unit", Column(_("Supervising unit"), 16)),
        ("leader_name", Column(_("Leader"), 10)),
        ("leader_phone", Column(_("Leader's mobile"), 14)),
        ("member_count", Column(_("Current members"), 10, INTEGER)),
        ("grade", Column(_("Evaluation grade"), 8)),
        ("grade_awarded_on", Column(_("Grade awarded on"), 12, DATE)),
        ("status", Column(_("Status"), 10)),
        ("on_abnormal_list", Column(_("On the abnormal activity list"), 10)),
        ("on_serious_list", Column(_("On the serious violation list"), 10)),
        ("in_party_alliance", Column(_("In a Party-building alliance"), 10)),
        ("ledger_keeper__name", Column(_("Ledger keeper"), 10)),
        ("last_verified_on", Column(_("Last verified on"), 12, DATE)),
        ("activity_fields", Column(_("Fields of activity"), 24)),
        ("resources", Column(_("Resources and strengths"), 24)),
        ("needs", Column(_("Actual needs"), 24)),
        ("operating_mechanism", Column(_("Operating mechanism"), 24)),
        ("bottlenecks", Column(_("Development bottlenecks"), 24)),
        ("special_teams", Column(_("Special teams"), 20)),
    ]


def organizations_ledger(*, user, params, reveal: bool) -> Ledger:
    """The organisation ledger narrowed by the organisation list's filters."""
    filterset = OrganizationFilter(params or None, queryset=organization_list(user=user), user=user)
    queryset = filterset.qs
    fields, columns = zip(*_organization_columns(), strict=True)
    registration = labels(Organization.RegistrationStatus.choices)
    legal_forms = labels(Organization.LegalForm.choices)
    statuses = labels(Organization.Status.choices)
    # How a stored value is shown, by field (the others as they are).
    shown = {
        "registration_status": lambda value: registration.get(value, value),
        "legal_form": lambda value: legal_forms.get(value, value),
        "leader_phone": (lambda value: value) if reveal else mask_mobile,
        "status": lambda value: statuses.get(value, value),
        "on_abnormal_list": yes_no,
        "on_serious_list": yes_no,
        "in_party_alliance": yes_no,
    }
    converters = [(index, shown[name]) for index, name in enumerate(fields) if name in shown]

    def rows():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
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
                list(columns),
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
