"""Free text keeps what the user typed: every form's text field, the services and the importer.

Issue 13 item 1: NFKC turned ，；：（） into , ; : ( ) on save. Prose is only trimmed; names are
tidied (spaces, full-width letters and digits) but keep their punctuation; identifiers still
take full-width digits.
"""

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse

from exports.models import ImportJob
from orgs.models import Organization, Person
from tests.orgs.factories import MembershipFactory, OrganizationFactory, make_id_number
from tests.orgs.test_organization_views import detail_url, form_data, update_url

PROSE = "需要排练场地，缺少音响；时间：周末（上午）"
TYPED = f"  \u200b{PROSE}\u3000\n"

FORM_MODULES = (
    "accounts.forms",
    "activities.forms",
    "areas.forms",
    "core.forms",
    "exports.forms_imports",
    "orgs.forms.oversight",
    "orgs.forms.organizations",
    "orgs.forms.people",
    "party_branches.forms",
    "scoring.forms",
    "venues.forms",
)

# Every text field of every form, by kind. A new CharField/TextField on a form fails
# test_every_text_field_of_every_form_is_classified until it is listed here.
IDENTIFIER = "identifier"  # NFKC-normalised by the identifier validators
NAME = "name"  # clean_name: spaces and full-width letters/digits tidied, punctuation kept
PROSE_KIND = "prose"  # clean_text: kept as typed, trimmed
OTHER = "other"  # not stored text (passwords, months)

TEXT_FIELDS = {
    "accounts.forms.LoginForm.username": OTHER,
    "accounts.forms.LoginForm.password": OTHER,
    "activities.forms.ActivityForm.title": PROSE_KIND,
    "activities.forms.ActivityForm.place": PROSE_KIND,
    "activities.forms.ActivityForm.description": PROSE_KIND,
    "activities.forms.MediationCaseForm.parties_summary": PROSE_KIND,
    "activities.forms.ReturnForm.reason": PROSE_KIND,
    "activities.forms.PublicFeedbackForm.comment": PROSE_KIND,
    "activities.forms.PhoneSurveyForm.comment": PROSE_KIND,
    "areas.forms.TownshipForm.name": NAME,
    "areas.forms.TownshipForm.code": IDENTIFIER,
    "areas.forms.CommunityForm.name": NAME,
    "areas.forms.CommunityForm.code": IDENTIFIER,
    "areas.forms.CommunityForm.address": PROSE_KIND,
    "orgs.forms.oversight.MergeForm.reason": PROSE_KIND,
    "orgs.forms.oversight.InspectionForm.notes": PROSE_KIND,
    "orgs.forms.oversight.CreditListingForm.reason": PROSE_KIND,
    "orgs.forms.oversight.CreditListingRemoveForm.reason": PROSE_KIND,
    "orgs.forms.oversight.ZombieResolveForm.note": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.name": NAME,
    "orgs.forms.organizations.OrganizationForm.short_name": NAME,
    "orgs.forms.organizations.OrganizationForm.credit_code": IDENTIFIER,
    "orgs.forms.organizations.OrganizationForm.address": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.registration_authority": NAME,
    "orgs.forms.organizations.OrganizationForm.supervising_unit": NAME,
    "orgs.forms.organizations.OrganizationForm.leader_name": NAME,
    "orgs.forms.organizations.OrganizationForm.leader_phone": IDENTIFIER,
    "orgs.forms.organizations.OrganizationForm.activity_fields": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.resources": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.needs": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.operating_mechanism": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.bottlenecks": PROSE_KIND,
    "orgs.forms.organizations.OrganizationForm.special_teams": PROSE_KIND,
    "orgs.forms.people.PersonForm.name": NAME,
    "orgs.forms.people.PersonForm.id_number": IDENTIFIER,
    "orgs.forms.people.PersonForm.mobile": IDENTIFIER,
    "orgs.forms.people.PersonForm.party_relation_place": NAME,
    "orgs.forms.people.PersonForm.notes": PROSE_KIND,
    "orgs.forms.people.MembershipAddForm.id_number": IDENTIFIER,
    "orgs.forms.people.MembershipAddForm.name": NAME,
    "orgs.forms.people.MembershipAddForm.mobile": IDENTIFIER,
    "orgs.forms.people.MembershipAddForm.party_relation_place": NAME,
    "orgs.forms.people.MembershipEndForm.reason": PROSE_KIND,
    "orgs.forms.people.PersonMergeForm.reason": PROSE_KIND,
    "party_branches.forms.BranchCreateForm.name": NAME,
    "party_branches.forms.BranchCreateForm.parent_org": NAME,
    "party_branches.forms.MemberRemoveForm.reason": PROSE_KIND,
    "party_branches.forms.DissolveForm.reason": PROSE_KIND,
    "party_branches.forms.MeetingForm.topic": PROSE_KIND,
    "party_branches.forms.MeetingForm.minutes": PROSE_KIND,
    "party_branches.forms.MeetingForm.place": PROSE_KIND,
    "party_branches.forms.InstructorForm.instructor_name": NAME,
    "party_branches.forms.InstructorForm.instructor_phone": IDENTIFIER,
    "party_branches.forms.InstructorForm.unit": NAME,
    "party_branches.forms.InstructorEndForm.reason": PROSE_KIND,
    "scoring.forms.SchemeForm.name": NAME,
    "scoring.forms.ReopenForm.reason": PROSE_KIND,
    "scoring.forms.AssessmentForm.note": PROSE_KIND,
    "scoring.forms.AwardDecisionForm.note": PROSE_KIND,
    "venues.forms.BookingForm.purpose": PROSE_KIND,
    "venues.forms.BookingSeriesForm.purpose": PROSE_KIND,
    "venues.forms.ReasonForm.reason": PROSE_KIND,
    "venues.forms.MonthForm.month": OTHER,
}


def discovered_text_fields() -> dict[str, forms.Field]:
    """Every CharField (TextField too: Django gives it a CharField) of every form of every app."""
    found = {}
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in vars(module).items():
            if not (
                inspect.isclass(form)
                and issubclass(form, forms.BaseForm)
                and form.__module__ == module_name
            ):
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.CharField):
                    found[f"{module_name}.{name}.{field_name}"] = field
    return found


def test_every_text_field_of_every_form_is_classified() -> None:
    assert set(discovered_text_fields()) == set(TEXT_FIELDS)


@pytest.mark.parametrize(
    "key", sorted(key for key, kind in TEXT_FIELDS.items() if kind in (PROSE_KIND, NAME))
)
def test_form_text_field_keeps_chinese_punctuation(key) -> None:
    field = discovered_text_fields()[key]
    sample = PROSE[: field.max_length] if field.max_length else PROSE
    assert field.clean(f"  {sample}\u3000\n") == sample


# --- services: form -> service -> database -> page ---


PROSE_ORGANIZATION_FIELDS = (
    "address",
    "activity_fields",
    "resources",
    "needs",
    "operating_mechanism",
    "bottlenecks",
    "special_teams",
)


@pytest.mark.parametrize("field", PROSE_ORGANIZATION_FIELDS)
def test_organization_prose_round_trips_through_the_edit_page(
    field, county, township_staff, client
):
    organization = county.org_a1
    client.force_login(township_staff)
    response = client.post(update_url(organization), form_data(organization, **{field: TYPED}))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert getattr(organization, field) == PROSE
    assert PROSE in client.get(detail_url(organization)).content.decode()


def test_organization_names_keep_punctuation_and_lose_stray_spaces(
    county, township_staff, client
) -> None:
    organization = county.org_a1
    client.force_login(township_staff)
    client.post(
        update_url(organization),
        form_data(organization, name="幸福社区\u3000\u3000书画协会（筹）", leader_name="张　三"),
    )
    organization.refresh_from_db()
    assert organization.name == "幸福社区 书画协会（筹）"
    assert organization.leader_name == "张 三"


def test_search_finds_a_name_as_typed_with_full_width_brackets(
    county, township_staff, client
) -> None:
    OrganizationFactory(name="幸福社区合唱团（筹）", community=county.community_a1)
    client.force_login(township_staff)
    response = client.get(reverse("orgs:organization_list"), {"q": "合唱团（筹）"})
    assert [o.name for o in response.context["page"]] == ["幸福社区合唱团（筹）"]


def test_person_notes_and_membership_end_reason_keep_punctuation(county, township_staff) -> None:
    from orgs.services import people as people_services

    membership = MembershipFactory(organization=county.org_a1)
    people_services.membership_end(
        actor=township_staff,
        membership=membership,
        left_on=membership.joined_on,
        reason=TYPED,
    )
    membership.refresh_from_db()
    assert membership.left_reason == PROSE
    data = people_services.clean_person_data(
        {"name": "李\u3000四", "notes": TYPED, "id_number": make_id_number(7).replace("1", "１")}
    )
    assert data["notes"] == PROSE
    assert data["name"] == "李 四"
    assert data["id_number"] == make_id_number(7)  # full-width digits still accepted


def test_identifier_still_takes_full_width_digits(county, township_staff, client) -> None:
    organization = county.org_a1
    client.force_login(township_staff)
    client.post(
        update_url(organization), form_data(organization, leader_phone="１３８００１３８０００")
    )
    organization.refresh_from_db()
    assert organization.leader_phone == "13800138000"


def test_merge_reason_keeps_punctuation(county, county_admin) -> None:
    from orgs.services.merges import organization_merge

    merge = organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[county.org_a2],
        merged_on=datetime.date(2024, 5, 1),
        reason=TYPED,
    )
    assert merge.reason == PROSE


# --- the importer: every text column kind ---

IMPORT_PROSE_COLUMNS = {
    "address": "地址",
    "activity_fields": "活动领域",
    "resources": "资源优势",
    "needs": "实际需求",
    "operating_mechanism": "运行机制",
    "bottlenecks": "发展瓶颈",
    "special_teams": "专项队伍",
}
IMPORT_NAME_COLUMNS = {
    "short_name": ("简称", "书画会（筹）"),
    "registration_authority": ("登记管理机关", "临海市民政局（社会组织管理科）"),
    "supervising_unit": ("业务主管单位", "城关街道（党建办）"),
    "leader_name": ("负责人", "王\u3000五"),
}


def test_import_keeps_prose_columns_as_typed_and_tidies_names(county, county_admin) -> None:
    from exports.importing import commit
    from tests.exports.test_imports import (
        MEMBER_HEADERS,
        credit_code,
        upload,
        workbook_bytes,
    )

    org_headers = ["社团名称", "统一社会信用代码", "所属社区", "类别", "成立时间"]
    org_row = ["导入社团（筹）", credit_code(901), "幸福社区", "文体娱乐类", "2019-05-01"]
    for header in IMPORT_PROSE_COLUMNS.values():
        org_headers.append(header)
        org_row.append(TYPED)
    for header, value in IMPORT_NAME_COLUMNS.values():
        org_headers.append(header)
        org_row.append(value)
    member_headers = [*MEMBER_HEADERS, "备注"]
    member_row = [
        "导入社团（筹）",
        "赵\u3000六",
        make_id_number(901).replace("9", "９"),
        "13900139001",
        "会员",
        "2020-01-01",
        "群众",
        TYPED,
    ]
    content = workbook_bytes(
        {"社会组织": (org_headers, [org_row]), "成员": (member_headers, [member_row])}
    )
    job = upload(county_admin, content)
    assert job.errors == []
    job = commit.import_job_commit(actor=county_admin, job=job)
    assert job.status == ImportJob.Status.COMMITTED

    organization = Organization.objects.get(credit_code=credit_code(901))
    assert organization.name == "导入社团（筹）"
    for field in IMPORT_PROSE_COLUMNS:
        assert getattr(organization, field) == PROSE, field
    assert organization.short_name == "书画会（筹）"
    assert organization.registration_authority == "临海市民政局（社会组织管理科）"
    assert organization.supervising_unit == "城关街道（党建办）"
    assert organization.leader_name == "王 五"
    person = Person.objects.get(id_number=make_id_number(901))  # full-width digit accepted
    assert person.name == "赵 六"
    assert person.notes == PROSE


def test_activity_and_mediation_prose_keeps_punctuation(county, org_contact) -> None:
    from activities.models import MediationCase
    from tests.activities.test_services import _create

    place = " 社区广场（东侧），二楼：（活动室） "
    activity = _create(org_contact, county.org_a1, title=TYPED, place=place, description=TYPED)
    activity.refresh_from_db()
    assert (activity.title, activity.description) == (PROSE, PROSE)
    assert activity.place == place.strip()

    from activities import services as activity_services

    case = activity_services.mediation_create(
        actor=org_contact,
        organization=county.org_a1,
        occurred_on=datetime.date(2025, 3, 1),
        kind=MediationCase.Kind.choices[0][0],
        parties_summary=TYPED,
        outcome=MediationCase.Outcome.choices[0][0],
    )
    assert MediationCase.objects.get(pk=case.pk).parties_summary == PROSE


def test_meeting_topic_and_minutes_keep_punctuation(county, secretary) -> None:
    from party_branches import services as branch_services
    from tests.party_branches.factories import make_branch

    branch = make_branch([county.org_a1])
    meeting = branch_services.meeting_record(
        actor=secretary,
        branch=branch,
        kind="theme_day",
        held_on=datetime.date(2025, 3, 1),
        topic=TYPED,
        attendees=list(branch.members.all()),
        minutes=f"{PROSE}\n第二段：（完）",
    )
    meeting.refresh_from_db()
    assert meeting.topic == PROSE
    assert meeting.minutes == f"{PROSE}\n第二段：（完）"
