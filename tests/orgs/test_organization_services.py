"""Organisation services: who may change what, exact rule messages, audit and history rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.identifiers import credit_code_check_char
from core.models import AuditEvent
from orgs.models import Organization
from orgs.services import organizations as services
from orgs.services.organizations import (
    CREDIT_CODE_DUPLICATE_HIDDEN_MESSAGE,
    CREDIT_CODE_DUPLICATE_MESSAGE,
    CREDIT_CODE_LEGAL_FORM_MESSAGE,
    CREDIT_CODE_LEGAL_FORM_NAMED_MESSAGE,
    FOUNDED_IN_FUTURE_MESSAGE,
    GRADE_DATE_IN_FUTURE_MESSAGE,
    GRADE_DATE_REQUIRED_MESSAGE,
    GRADE_DATE_WITHOUT_GRADE_MESSAGE,
    LEDGER_KEEPER_MESSAGE,
    REGISTERED_BEFORE_FOUNDED_MESSAGE,
    REGISTERED_IN_FUTURE_MESSAGE,
)
from tests.accounts.factories import UserFactory
from tests.clock import pinned_clock
from tests.orgs.factories import OrganizationFactory

# Each test runs at the instant the module was imported (see tests/clock.py).
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
_clock = pinned_clock(NOW)
TOMORROW = TODAY + datetime.timedelta(days=1)


def make_credit_code(prefix: str, serial: str = "MA0000001") -> str:
    """Build a valid GB 32100 credit code: authority+kind prefix, area 990101, a serial."""
    first17 = f"{prefix}990101{serial}"
    return first17 + credit_code_check_char(first17)


def messages(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict[field]


def latest_history(organization):
    return organization.history.order_by("-history_date", "-history_id").first()


# --- creating ---


def test_county_admin_creates_an_organization_audited_and_in_history(county, county_admin):
    organization = services.organization_create(
        actor=county_admin,
        name=" 幸福社区合唱团 ",
        community=county.community_b1,
        needs="排练场地",
    )

    assert organization.pk is not None
    assert organization.name == "幸福社区合唱团"
    event = AuditEvent.objects.get(action="organization.create")
    assert (event.actor, event.object_id) == (county_admin, str(organization.pk))
    record = latest_history(organization)
    assert (record.history_type, record.history_user) == ("+", county_admin)


def test_township_staff_creates_in_their_township(county, township_staff):
    organization = services.organization_create(
        actor=township_staff, name="和平社区太极队", community=county.community_a2
    )

    assert organization.community == county.community_a2
    assert latest_history(organization).history_user == township_staff


def test_township_staff_cannot_create_in_another_township(county, township_staff):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=township_staff, name="王家村锣鼓队", community=county.community_b1
        )

    assert not Organization.objects.filter(name="王家村锣鼓队").exists()


@pytest.mark.parametrize("persona", ["secretary", "official", "org_contact"], indirect=True)
def test_roles_without_ledger_rights_cannot_create(persona, county):
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=persona, name="新社团", community=county.community_a1)


# --- updating ---


def test_update_writes_history_with_the_actor_and_an_audit_row_of_changes(county, township_staff):
    organization = county.org_a1

    services.organization_update(
        actor=township_staff, organization=organization, needs="需要活动场地"
    )

    organization.refresh_from_db()
    assert organization.needs == "需要活动场地"
    record = latest_history(organization)
    assert (record.history_type, record.history_user, record.needs) == (
        "~",
        township_staff,
        "需要活动场地",
    )
    event = AuditEvent.objects.get(action="organization.update")
    assert event.actor == township_staff
    assert event.changes == {"needs": ["", "需要活动场地"]}


def test_update_without_changes_writes_neither_history_nor_audit(county, township_staff):
    before = county.org_a1.history.count()

    services.organization_update(
        actor=township_staff, organization=county.org_a1, name=county.org_a1.name
    )

    assert county.org_a1.history.count() == before
    assert not AuditEvent.objects.filter(action="organization.update").exists()


def test_update_ignores_status_merge_and_verification_fields(county, township_staff):
    organization = county.org_a1

    services.organization_update(
        actor=township_staff,
        organization=organization,
        status=Organization.Status.REVOKED,
        merged_into=county.org_a2,
        last_verified_on=TODAY,
        needs="新需求",
    )

    organization.refresh_from_db()
    assert organization.status == Organization.Status.NORMAL
    assert organization.merged_into is None
    assert organization.last_verified_on is None
    assert organization.needs == "新需求"


def test_update_normalises_text_and_identifiers(county, township_staff):
    code = make_credit_code("51")
    spaced_code = f" {code[:6]} {code[6:].lower()} "

    services.organization_update(
        actor=township_staff,
        organization=county.org_a1,
        name="幸福社区书画协会\u3000",
        short_name="ＡＢＣ书画",
        credit_code=spaced_code,
        registration_status=Organization.RegistrationStatus.REGISTERED,
        legal_form=Organization.LegalForm.SOCIAL_GROUP,
        leader_phone="+86 138-0013-8000",
    )

    county.org_a1.refresh_from_db()
    assert county.org_a1.name == "幸福社区书画协会"
    assert county.org_a1.short_name == "ABC书画"
    assert county.org_a1.credit_code == code
    assert county.org_a1.leader_phone == "13800138000"


@pytest.mark.parametrize(
    ("persona", "target", "error"),
    [
        ("township_staff", "org_b1", PermissionDenied),
        ("secretary", "org_a1", PermissionDenied),
        ("org_contact", "org_a1", PermissionDenied),
        ("official", "org_a1", PermissionDenied),
    ],
    indirect=["persona"],
)
def test_update_is_refused_outside_editing_rights(persona, target, error, county):
    organization = getattr(county, target)

    with pytest.raises(error):
        services.organization_update(actor=persona, organization=organization, needs="改")

    organization.refresh_from_db()
    assert organization.needs == ""
    assert not AuditEvent.objects.exists()


def test_township_staff_cannot_move_an_organization_out_of_their_township(county, township_staff):
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=township_staff, organization=county.org_a1, community=county.community_b1
        )

    county.org_a1.refresh_from_db()
    assert county.org_a1.community == county.community_a1


# --- rules and their exact messages ---


@pytest.mark.parametrize(
    ("fields", "field", "message", "params"),
    [
        (
            {"founded_on": TOMORROW},
            "founded_on",
            FOUNDED_IN_FUTURE_MESSAGE,
            {},
        ),
        (
            {"registered_on": TOMORROW},
            "registered_on",
            REGISTERED_IN_FUTURE_MESSAGE,
            {},
        ),
        (
            {"founded_on": datetime.date(2015, 3, 1), "registered_on": datetime.date(2015, 2, 28)},
            "registered_on",
            REGISTERED_BEFORE_FOUNDED_MESSAGE,
            {"founded": "2015-03-01"},
        ),
        ({"grade": "3A"}, "grade_awarded_on", GRADE_DATE_REQUIRED_MESSAGE, {}),
        (
            {"grade": "3A", "grade_awarded_on": TOMORROW},
            "grade_awarded_on",
            GRADE_DATE_IN_FUTURE_MESSAGE,
            {},
        ),
        (
            {"grade_awarded_on": datetime.date(2020, 1, 1)},
            "grade_awarded_on",
            GRADE_DATE_WITHOUT_GRADE_MESSAGE,
            {},
        ),
        (
            {
                "registration_status": "registered",
                "legal_form": "social_group",
                "credit_code": make_credit_code("91"),
            },
            "credit_code",
            CREDIT_CODE_LEGAL_FORM_MESSAGE,
            {
                "legal_form": Organization.LegalForm.SOCIAL_GROUP.label,
                "prefix": "51",
                "actual": "91",
            },
        ),
        (
            {
                "registration_status": "registered",
                "legal_form": "foundation",
                "credit_code": make_credit_code("52"),
            },
            "credit_code",
            CREDIT_CODE_LEGAL_FORM_NAMED_MESSAGE,
            {
                "legal_form": Organization.LegalForm.FOUNDATION.label,
                "prefix": "53",
                "actual": "52",
                "code_form": "社会服务机构（民办非企业单位）",
            },
        ),
    ],
)
def test_rule_breaks_are_refused_with_their_message(
    fields, field, message, params, county, township_staff
):
    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=township_staff, organization=county.org_a1, **fields)

    assert messages(error, field) == [str(message % params if params else message)]


@pytest.mark.parametrize(
    ("registration_status", "legal_form", "prefix"),
    [
        ("registered", "social_group", "51"),
        ("registered", "service_institution", "52"),
        ("registered", "foundation", "53"),
        ("registered", "community_org", "59"),
        ("registered", "community_org", "91"),
        ("filed", "social_group", "91"),
    ],
)
def test_credit_codes_matching_the_legal_form_are_accepted(
    registration_status, legal_form, prefix, county, township_staff
):
    code = make_credit_code(prefix)

    services.organization_update(
        actor=township_staff,
        organization=county.org_a1,
        registration_status=registration_status,
        legal_form=legal_form,
        credit_code=code,
    )

    county.org_a1.refresh_from_db()
    assert county.org_a1.credit_code == code


def test_duplicate_credit_code_names_the_other_organization_when_visible(county, township_staff):
    code = make_credit_code("51")
    OrganizationFactory(name="幸福社区老年协会", community=county.community_a2, credit_code=code)

    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=township_staff, organization=county.org_a1, credit_code=code
        )

    assert messages(error, "credit_code") == [
        str(CREDIT_CODE_DUPLICATE_MESSAGE % {"name": "幸福社区老年协会"})
    ]


def test_duplicate_credit_code_outside_the_area_does_not_reveal_the_name(county, township_staff):
    code = make_credit_code("51")
    OrganizationFactory(name="王家村老年协会", community=county.community_b1, credit_code=code)

    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=township_staff, organization=county.org_a1, credit_code=code
        )

    assert messages(error, "credit_code") == [str(CREDIT_CODE_DUPLICATE_HIDDEN_MESSAGE)]


def test_keeping_its_own_credit_code_is_not_a_duplicate(county, township_staff):
    code = make_credit_code("51")
    county.org_a1.credit_code = code
    county.org_a1.save()

    services.organization_update(
        actor=township_staff, organization=county.org_a1, credit_code=code, needs="场地"
    )

    county.org_a1.refresh_from_db()
    assert county.org_a1.needs == "场地"


def test_ledger_keeper_must_work_in_the_organizations_township(county, township_staff):
    other_staff = UserFactory(role="township_staff", township=county.township_b)

    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=township_staff, organization=county.org_a1, ledger_keeper=other_staff
        )

    assert messages(error, "ledger_keeper") == [str(LEDGER_KEEPER_MESSAGE)]


def test_ledger_keeper_may_be_a_county_admin_or_local_staff(county, township_staff, county_admin):
    services.organization_update(
        actor=township_staff, organization=county.org_a1, ledger_keeper=county_admin
    )
    services.organization_update(
        actor=township_staff, organization=county.org_a2, ledger_keeper=township_staff
    )

    assert Organization.objects.get(pk=county.org_a1.pk).ledger_keeper == county_admin
    assert Organization.objects.get(pk=county.org_a2.pk).ledger_keeper == township_staff


# --- verified today ---


def test_mark_verified_sets_today_with_audit_and_history(county, township_staff):
    services.organization_mark_verified(actor=township_staff, organization=county.org_a1)

    county.org_a1.refresh_from_db()
    assert county.org_a1.last_verified_on == TODAY
    assert latest_history(county.org_a1).history_user == township_staff
    event = AuditEvent.objects.get(action="organization.verify")
    assert event.changes == {"last_verified_on": [None, TODAY.isoformat()]}


@pytest.mark.parametrize("persona", ["secretary", "official", "org_contact"], indirect=True)
def test_only_editors_mark_verified(persona, county):
    with pytest.raises(PermissionDenied):
        services.organization_mark_verified(actor=persona, organization=county.org_a1)

    county.org_a1.refresh_from_db()
    assert county.org_a1.last_verified_on is None


def test_township_staff_cannot_mark_another_townships_organization(county, township_staff):
    with pytest.raises(PermissionDenied):
        services.organization_mark_verified(actor=township_staff, organization=county.org_b1)
