"""People and membership services: reuse by ID number, dates inside the organisation's life,
leaving and rejoining, merging duplicates in one transaction."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from core.identifiers import ID_NUMBER_CHECKSUM_MESSAGE
from core.models import AuditEvent
from orgs.models import Membership, Organization, Person, PersonMerge
from orgs.selectors.people import members_tab_context
from orgs.services import people as services
from tests.orgs.factories import MembershipFactory, PersonFactory, make_id_number

JOINED = datetime.date(2021, 6, 1)


def wrong_check_digit(id_number: str) -> str:
    """The same ID number with a check character that fails GB 11643."""
    wrong = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + wrong


def id_number_ending_in_x() -> str:
    for n in range(1000):
        candidate = make_id_number(n, birth=datetime.date(1971, 3, 9))
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no ID number with X found")


def add(actor, organization, joined_on=JOINED, role=Membership.Role.MEMBER, **person_data):
    return services.membership_add(
        actor=actor,
        organization=organization,
        person_data=person_data,
        role=role,
        joined_on=joined_on,
    )


def errors_of(excinfo) -> dict:
    return {
        field: [str(m) for m in messages] for field, messages in excinfo.value.message_dict.items()
    }


# --- membership_add ---


def test_adding_a_member_by_a_known_id_number_reuses_the_person(county, township_staff):
    # given a resident who is a member of an organisation in another township
    resident = PersonFactory(name="李建国")
    MembershipFactory(person=resident, organization=county.org_b1)
    people_before = Person.objects.count()

    # when township staff add the same ID number to an organisation of their township
    membership, reused = add(
        township_staff, county.org_a1, name="李建国", id_number=resident.id_number
    )

    # then the person is reused, not duplicated, and now has two memberships
    assert reused is True
    assert membership.person == resident
    assert Person.objects.count() == people_before
    assert resident.memberships.count() == 2
    event = AuditEvent.objects.get(action="membership.add")
    assert event.actor == township_staff
    assert event.changes["reused"] is True
    assert membership.history.get().history_user == township_staff


def test_lower_case_x_in_the_id_number_finds_the_person_stored_with_upper_case(
    county, township_staff
):
    id_number = id_number_ending_in_x()
    resident = PersonFactory(name="赵敏", id_number=id_number)

    membership, reused = add(
        township_staff, county.org_a1, name="赵敏", id_number=id_number.lower()
    )

    assert reused is True
    assert membership.person == resident


def test_a_new_member_gets_birth_date_gender_and_normalised_mobile_from_the_form(
    county, township_staff
):
    id_number = make_id_number(7, birth=datetime.date(1980, 2, 29))

    membership, reused = add(
        township_staff,
        county.org_a1,
        name="\u3000王\u3000芳 ",
        id_number=f" {id_number} ",
        mobile="+86 138-0013-8000",
        community=county.community_a1,
    )

    person = membership.person
    assert reused is False
    assert person.name == "王 芳"
    assert person.id_number == id_number
    assert person.birth_date == datetime.date(1980, 2, 29)
    expected_gender = Person.Gender.MALE if int(id_number[16]) % 2 else Person.Gender.FEMALE
    assert person.gender == expected_gender
    assert person.mobile == "13800138000"
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()


def test_a_name_that_differs_from_the_stored_one_is_refused_not_renamed(county, township_staff):
    resident = PersonFactory(name="李建国")
    MembershipFactory(person=resident, organization=county.org_a2)

    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, name="李建军", id_number=resident.id_number)

    assert errors_of(excinfo)["name"] == [
        services.NAME_MISMATCH_VISIBLE_MESSAGE % {"name": "李建国"}
    ]
    resident.refresh_from_db()
    assert resident.name == "李建国"
    assert resident.memberships.count() == 1


def test_a_name_mismatch_does_not_tell_the_name_of_a_resident_out_of_the_users_area(
    county, township_staff
):
    resident = PersonFactory(name="李建国")
    MembershipFactory(person=resident, organization=county.org_b1)

    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, name="李建军", id_number=resident.id_number)

    assert errors_of(excinfo)["name"] == [str(services.NAME_MISMATCH_HIDDEN_MESSAGE)]
    assert "李建国" not in str(excinfo.value)


def test_someone_already_a_current_member_cannot_be_added_again(county, township_staff):
    resident = PersonFactory(name="张伟")
    MembershipFactory(person=resident, organization=county.org_a1)

    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, name="张伟", id_number=resident.id_number)

    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [
        services.ALREADY_MEMBER_MESSAGE % {"name": "张伟", "organization": county.org_a1.name}
    ]
    assert Membership.objects.filter(person=resident).count() == 1


def test_a_wrong_check_digit_is_refused_with_the_chinese_message_and_writes_nothing(
    county, township_staff
):
    counts = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ValidationError) as excinfo:
        add(
            township_staff,
            county.org_a1,
            name="王芳",
            id_number=wrong_check_digit(make_id_number(3)),
        )

    assert errors_of(excinfo)["id_number"] == [ID_NUMBER_CHECKSUM_MESSAGE]
    assert (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_joining_before_the_organisation_was_founded_is_refused(county, township_staff):
    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, joined_on=datetime.date(2015, 2, 28), name="王芳")

    assert errors_of(excinfo)["joined_on"] == [
        services.JOINED_BEFORE_ORGANIZATION_MESSAGE
        % {"date": date_format(datetime.date(2015, 3, 1))}
    ]
    assert not Person.objects.filter(name="王芳").exists()


def test_joining_in_the_future_is_refused(county, township_staff):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, joined_on=tomorrow, name="王芳")

    assert errors_of(excinfo)["joined_on"] == [str(services.JOINED_IN_FUTURE_MESSAGE)]
    assert not Person.objects.filter(name="王芳").exists()


def test_joining_on_the_founding_day_is_allowed(county, township_staff):
    membership, _reused = add(
        township_staff, county.org_a1, joined_on=county.org_a1.founded_on, name="王芳"
    )

    assert membership.joined_on == datetime.date(2015, 3, 1)


@pytest.mark.parametrize(
    "status",
    [
        Organization.Status.DEREGISTERED,
        Organization.Status.REVOKED,
    ],
)
def test_members_cannot_be_added_to_an_organisation_that_no_longer_exists(
    status, county, township_staff
):
    county.org_a1.status = status
    county.org_a1.save()

    with pytest.raises(ValidationError) as excinfo:
        add(township_staff, county.org_a1, name="王芳")

    assert NON_FIELD_ERRORS in excinfo.value.message_dict
    assert not Person.objects.filter(name="王芳").exists()


@pytest.mark.parametrize(
    ("persona", "org"),
    [
        ("secretary", "org_a1"),
        ("org_contact", "org_a1"),
        ("official", "org_a1"),
        ("township_staff", "org_b1"),
    ],
    indirect=["persona"],
)
def test_only_editors_of_the_organisation_may_add_members(persona, org, county):
    with pytest.raises(PermissionDenied):
        add(persona, getattr(county, org), name="王芳")

    assert not Person.objects.filter(name="王芳").exists()


# --- membership_end and membership_rejoin ---


@pytest.fixture
def membership(county):
    return MembershipFactory(organization=county.org_a1, joined_on=JOINED)


@pytest.mark.parametrize(
    ("left_on", "reason", "field"),
    [
        (JOINED - datetime.timedelta(days=1), "搬家", "left_on"),
        ("tomorrow", "搬家", "left_on"),
        (JOINED, "  ", "reason"),
    ],
)
def test_ending_a_membership_needs_a_sensible_date_and_a_reason(
    left_on, reason, field, membership, township_staff
):
    if left_on == "tomorrow":
        left_on = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(
            actor=township_staff, membership=membership, left_on=left_on, reason=reason
        )

    assert field in excinfo.value.message_dict
    membership.refresh_from_db()
    assert membership.left_on is None


def test_ending_a_membership_closes_the_row_with_history_and_audit(membership, township_staff):
    services.membership_end(
        actor=township_staff, membership=membership, left_on=JOINED, reason=" 搬家 "
    )

    membership.refresh_from_db()
    assert membership.left_on == JOINED
    assert membership.left_reason == "搬家"
    latest = membership.history.first()
    assert latest.history_user == township_staff
    assert latest.left_on == JOINED
    assert AuditEvent.objects.filter(action="membership.end", actor=township_staff).exists()


def test_a_membership_cannot_end_twice(membership, township_staff):
    services.membership_end(
        actor=township_staff, membership=membership, left_on=JOINED, reason="搬家"
    )

    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(
            actor=township_staff, membership=membership, left_on=JOINED, reason="又搬家"
        )

    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [str(services.MEMBERSHIP_ALREADY_ENDED_MESSAGE)]


def test_rejoining_creates_a_new_row_and_leaves_the_old_one_closed(
    county, membership, township_staff
):
    services.membership_end(
        actor=township_staff, membership=membership, left_on=JOINED, reason="外出务工"
    )
    assert members_tab_context(user=township_staff, organization=county.org_a1)["member_count"] == 0

    rejoined = services.membership_rejoin(
        actor=township_staff, membership=membership, joined_on=timezone.localdate()
    )

    membership.refresh_from_db()
    assert rejoined.pk != membership.pk
    assert membership.left_on == JOINED
    assert rejoined.left_on is None
    assert rejoined.role == membership.role
    context = members_tab_context(user=township_staff, organization=county.org_a1)
    assert context["member_count"] == 1
    assert context["current_members"] == [rejoined]
    assert context["past_members"] == [membership]
    assert AuditEvent.objects.filter(action="membership.rejoin").count() == 1


def test_a_current_membership_cannot_be_rejoined(membership, township_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_rejoin(
            actor=township_staff, membership=membership, joined_on=timezone.localdate()
        )

    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [str(services.MEMBERSHIP_NOT_ENDED_MESSAGE)]


def test_rejoining_cannot_start_before_the_member_left(membership, township_staff):
    left_on = JOINED + datetime.timedelta(days=30)
    services.membership_end(
        actor=township_staff, membership=membership, left_on=left_on, reason="外出"
    )

    with pytest.raises(ValidationError) as excinfo:
        services.membership_rejoin(actor=township_staff, membership=membership, joined_on=JOINED)

    assert "joined_on" in excinfo.value.message_dict
    assert Membership.objects.filter(person=membership.person).count() == 1


def test_secretary_may_not_end_memberships(membership, secretary):
    with pytest.raises(PermissionDenied):
        services.membership_end(
            actor=secretary, membership=membership, left_on=JOINED, reason="搬家"
        )


# --- person_update ---


def test_an_id_number_used_by_a_visible_person_names_them(county, township_staff):
    holder = PersonFactory(name="周杰")
    MembershipFactory(person=holder, organization=county.org_a2)
    person = PersonFactory(name="周洁", id_number="", community=county.community_a1)

    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=township_staff, person=person, id_number=holder.id_number)

    assert errors_of(excinfo)["id_number"] == [
        services.ID_NUMBER_TAKEN_VISIBLE_MESSAGE % {"name": "周杰"}
    ]


def test_an_id_number_used_by_a_person_out_of_area_does_not_reveal_who(county, township_staff):
    holder = PersonFactory(name="周杰")
    MembershipFactory(person=holder, organization=county.org_b1)
    person = PersonFactory(name="周洁", id_number="", community=county.community_a1)

    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=township_staff, person=person, id_number=holder.id_number)

    assert errors_of(excinfo)["id_number"] == [str(services.ID_NUMBER_TAKEN_HIDDEN_MESSAGE)]
    assert "周杰" not in str(excinfo.value)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"party_status": "full"}, "party_status", services.PARTY_STATUS_NEEDS_MEMBER_MESSAGE),
        (
            {"grid_role": "building_head"},
            "grid_community",
            services.GRID_ROLE_NEEDS_COMMUNITY_MESSAGE,
        ),
    ],
)
def test_party_status_and_grid_role_need_their_context(
    data, field, message, county, township_staff
):
    person = PersonFactory(community=county.community_a1)

    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=township_staff, person=person, **data)

    assert errors_of(excinfo)[field] == [str(message)]


def test_updating_a_person_stores_the_normalised_id_and_logs_it_masked(county, township_staff):
    person = PersonFactory(name="陈红", id_number="", community=county.community_a1)
    id_number = id_number_ending_in_x()

    services.person_update(actor=township_staff, person=person, id_number=id_number.lower())

    person.refresh_from_db()
    assert person.id_number == id_number
    assert person.birth_date == datetime.date(1971, 3, 9)
    event = AuditEvent.objects.get(action="person.update")
    assert id_number not in str(event.changes)
    assert event.changes["id_number"][1] == id_number[:3] + "*" * 11 + id_number[-4:]
    assert person.history.first().history_user == township_staff


def test_reveal_is_logged_and_refused_to_roles_without_sensitive_access(
    county, township_staff, secretary
):
    person = PersonFactory(community=county.community_a1)

    services.person_reveal(actor=township_staff, person=person)
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=secretary, person=person)

    events = AuditEvent.objects.filter(action="person.reveal")
    assert [(e.actor, e.object_id) for e in events] == [(township_staff, str(person.pk))]


# --- person_merge ---


@pytest.fixture
def duplicates(county):
    """The same resident entered twice: once with an ID number, once without but with a mobile."""
    kept = PersonFactory(name="刘洋", id_number="", community=None)
    merged = PersonFactory(
        name="刘洋", mobile="13900001111", community=county.community_a1, notes="楼栋长候选"
    )
    own_a1 = MembershipFactory(person=kept, organization=county.org_a1, joined_on=JOINED)
    twin_a1 = MembershipFactory(
        person=merged, organization=county.org_a1, joined_on=JOINED - datetime.timedelta(days=90)
    )
    moved_a2 = MembershipFactory(person=merged, organization=county.org_a2, joined_on=JOINED)
    past_a2 = MembershipFactory(
        person=kept,
        organization=county.org_a2,
        joined_on=datetime.date(2018, 1, 1),
        left_on=datetime.date(2019, 1, 1),
        left_reason="外出",
    )
    return (
        kept,
        merged,
        {"own_a1": own_a1, "twin_a1": twin_a1, "moved_a2": moved_a2, "past_a2": past_a2},
    )


def test_merging_people_moves_memberships_and_keeps_the_earlier_current_one(
    duplicates, township_staff
):
    kept, merged, rows = duplicates
    merged_id_number = merged.id_number

    record = services.person_merge(
        actor=township_staff, kept=kept, merged=merged, reason="同一人重复录入"
    )

    for row in rows.values():
        row.refresh_from_db()
    kept.refresh_from_db()
    merged.refresh_from_db()
    # every membership now belongs to the kept person
    assert {row.person_id for row in rows.values()} == {kept.pk}
    # both were current in org A1: the earlier joining stays, the later is closed
    assert rows["twin_a1"].left_on is None
    assert rows["own_a1"].left_on == timezone.localdate()
    assert rows["own_a1"].left_reason == str(services.DUPLICATE_CLOSED_REASON)
    assert rows["moved_a2"].left_on is None
    assert rows["past_a2"].left_on == datetime.date(2019, 1, 1)
    # what the kept person lacked is copied over; the ID number moves with it
    assert kept.id_number == merged_id_number
    assert kept.mobile == "13900001111"
    assert kept.community_id == merged.community_id
    assert "楼栋长候选" in kept.notes
    assert merged.id_number == ""
    assert merged.merged_into == kept
    assert record.summary["closed_duplicates"] == [rows["own_a1"].pk]
    assert set(record.summary["moved_memberships"]) == {rows["twin_a1"].pk, rows["moved_a2"].pk}
    assert "id_number" in record.summary["copied_fields"]
    event = AuditEvent.objects.get(action="person.merge")
    assert event.actor == township_staff
    assert merged.history.first().history_user == township_staff


def test_a_merge_that_fails_half_way_changes_nothing(duplicates, township_staff, monkeypatch):
    # given two duplicates and a snapshot of everything the merge touches
    kept, merged, _rows = duplicates

    def snapshot():
        return {
            "counts": (
                Person.objects.count(),
                Membership.objects.count(),
                PersonMerge.objects.count(),
                AuditEvent.objects.count(),
                Person.history.count(),
                Membership.history.count(),
            ),
            "memberships": sorted(
                Membership.objects.values_list("pk", "person_id", "left_on", "left_reason")
            ),
            "people": sorted(
                Person.objects.values_list(
                    "pk", "id_number", "mobile", "community_id", "notes", "merged_into_id"
                )
            ),
        }

    before = snapshot()

    # when writing the merge record fails after memberships and fields were changed
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PersonMerge, "save", explode)
    with pytest.raises(RuntimeError):
        services.person_merge(actor=township_staff, kept=kept, merged=merged, reason="重复录入")

    # then the database is exactly as it was
    assert snapshot() == before


def test_people_with_two_different_id_numbers_cannot_be_merged(county, township_staff):
    kept = PersonFactory(community=county.community_a1)
    merged = PersonFactory(community=county.community_a1)

    with pytest.raises(ValidationError) as excinfo:
        services.person_merge(actor=township_staff, kept=kept, merged=merged, reason="重复")

    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [str(services.MERGE_ID_NUMBERS_DIFFER_MESSAGE)]
    merged.refresh_from_db()
    assert merged.merged_into is None


def test_a_person_cannot_be_merged_into_themselves_or_into_a_merged_record(
    duplicates, county, township_staff
):
    kept, merged, _rows = duplicates
    with pytest.raises(ValidationError) as excinfo:
        services.person_merge(actor=township_staff, kept=kept, merged=kept, reason="重复")
    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [str(services.MERGE_SAME_PERSON_MESSAGE)]

    services.person_merge(actor=township_staff, kept=kept, merged=merged, reason="重复")
    third = PersonFactory(id_number="", community=county.community_a1)
    with pytest.raises(ValidationError) as excinfo:
        services.person_merge(actor=township_staff, kept=merged, merged=third, reason="重复")
    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [
        services.MERGE_ALREADY_MERGED_MESSAGE % {"name": merged.name}
    ]


def test_a_merge_needs_a_reason(duplicates, township_staff):
    kept, merged, _rows = duplicates

    with pytest.raises(ValidationError) as excinfo:
        services.person_merge(actor=township_staff, kept=kept, merged=merged, reason=" ")

    assert errors_of(excinfo)["reason"] == [str(services.MERGE_REASON_REQUIRED_MESSAGE)]


@pytest.mark.parametrize("persona", ["secretary", "org_contact", "official"], indirect=True)
def test_roles_other_than_admin_and_township_staff_may_not_merge_people(persona, duplicates):
    kept, merged, _rows = duplicates

    with pytest.raises(PermissionDenied):
        services.person_merge(actor=persona, kept=kept, merged=merged, reason="重复")


def test_township_staff_may_not_merge_people_out_of_their_area(county, township_staff):
    kept = PersonFactory(id_number="", community=county.community_a1)
    far = PersonFactory(id_number="", community=county.community_b1)

    with pytest.raises(PermissionDenied):
        services.person_merge(actor=township_staff, kept=kept, merged=far, reason="重复")


def test_county_admin_may_merge_people_anywhere(county, county_admin):
    kept = PersonFactory(id_number="", community=county.community_a1)
    far = PersonFactory(id_number="", community=county.community_b1)
    MembershipFactory(person=far, organization=county.org_b1)

    services.person_merge(actor=county_admin, kept=kept, merged=far, reason="重复")

    assert kept.memberships.get().organization == county.org_b1


# --- members_tab_context ---


def test_members_tab_lists_current_and_past_members_in_bounded_queries(
    county, township_staff, django_assert_max_num_queries
):
    MembershipFactory.create_batch(30, organization=county.org_a1)
    MembershipFactory.create_batch(
        5, organization=county.org_a1, left_on=datetime.date(2022, 1, 1), left_reason="外出"
    )

    with django_assert_max_num_queries(3):
        context = members_tab_context(user=township_staff, organization=county.org_a1)
        names = [m.person.name for m in context["current_members"] + context["past_members"]]

    assert context["member_count"] == 30
    assert len(context["past_members"]) == 5
    assert len(names) == 35
    assert context["can_edit_members"] is True
    assert context["can_see_sensitive"] is True


@pytest.mark.parametrize(
    ("persona", "can_edit", "can_see"),
    [
        ("county_admin", True, True),
        ("township_staff", True, True),
        ("secretary", False, False),
        ("official", False, False),
        ("org_contact", False, False),
    ],
    indirect=["persona"],
)
def test_members_tab_says_who_may_edit_and_reveal(persona, can_edit, can_see, county):
    context = members_tab_context(user=persona, organization=county.org_a1)

    assert context["can_edit_members"] is can_edit
    assert context["can_see_sensitive"] is can_see


def test_members_of_a_merged_organisation_cannot_be_changed(county, county_admin):
    county.org_a1.status = Organization.Status.MERGED
    county.org_a1.merged_into = county.org_a2
    county.org_a1.save()

    context = members_tab_context(user=county_admin, organization=county.org_a1)

    assert context["can_edit_members"] is False
