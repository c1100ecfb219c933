"""Recording and verifying activities and mediation cases: who may, and what counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import Activity, MediationCase, VerificationStatus
from activities.selectors import activities_tab_context, last_verified_activity_on
from core.models import AuditEvent
from tests.activities.factories import ActivityFactory, MediationCaseFactory, days_ago
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory
from venues.models import Booking


def _create(actor, organization, **overrides):
    data = {
        "actor": actor,
        "lead_organization": organization,
        "kind": Activity.Kind.HEALTH_CLINIC,
        "title": " 健康义诊 ",
        "start": days_ago(1),
        "end": days_ago(1, hour=11),
        "place": "社区卫生室",
        "beneficiaries": 40,
        "volunteer_hours": Decimal("12.5"),
    }
    data.update(overrides)
    return services.activity_create(**data)


def test_org_contact_records_own_activity_submitted_and_audited(org_contact, county):
    activity = _create(org_contact, county.org_a1)
    assert activity.status == VerificationStatus.SUBMITTED
    assert activity.title == "健康义诊"
    assert activity.community_served == county.community_a1
    assert activity.feedback_closes_on == timezone.localdate(activity.end) + datetime.timedelta(
        days=14
    )
    assert AuditEvent.objects.filter(action="activity.create", object_id=str(activity.pk)).exists()


@pytest.mark.parametrize(
    ("persona", "org_name", "allowed"),
    [
        ("org_contact", "org_a1", True),
        ("org_contact", "org_a2", False),
        ("secretary", "org_a1", True),
        ("secretary", "org_a2", False),
        ("township_staff", "org_a2", True),
        ("township_staff", "org_b1", False),
        ("county_admin", "org_b1", True),
        ("official", "org_a1", False),
    ],
    indirect=["persona"],
)
def test_who_may_record_for_which_organisation(persona, org_name, allowed, county):
    organization = getattr(county, org_name)
    if allowed:
        assert _create(persona, organization).pk
    else:
        with pytest.raises(PermissionDenied):
            _create(persona, organization)


def test_end_before_start_refused(org_contact, county):
    with pytest.raises(ValidationError) as error:
        _create(org_contact, county.org_a1, end=days_ago(1, hour=8))
    assert error.value.message_dict["end"] == [str(services.ACTIVITY_END_BEFORE_START)]


def test_place_or_booking_required(org_contact, county):
    with pytest.raises(ValidationError) as error:
        _create(org_contact, county.org_a1, place="  ")
    assert error.value.message_dict["place"] == [str(services.ACTIVITY_PLACE_REQUIRED)]


def _used_booking(county, status=Booking.Status.USED):
    return BookingFactory(
        room=RoomFactory(center=ServiceCenterFactory(community=county.community_a2)),
        organization=county.org_a1,
        purpose="书法讲座",
        start=days_ago(3, hour=14),
        end=days_ago(3, hour=16),
        expected_attendance=25,
        status=status,
    )


def test_used_booking_becomes_activity_in_one_step(org_contact, county):
    booking = _used_booking(county)
    activity = services.activity_from_booking(actor=org_contact, booking=booking)
    assert activity.booking == booking
    assert activity.lead_organization == county.org_a1
    assert (activity.start, activity.end) == (booking.start, booking.end)
    assert booking.room.name in activity.place
    assert activity.community_served == county.community_a2
    assert activity.participants == 25


def test_booking_not_used_or_already_recorded_refused(org_contact, county):
    with pytest.raises(ValidationError) as error:
        services.activity_from_booking(
            actor=org_contact, booking=_used_booking(county, Booking.Status.CONFIRMED)
        )
    assert error.value.messages == [str(services.BOOKING_NOT_USED)]
    booking = _used_booking(county)
    services.activity_from_booking(actor=org_contact, booking=booking)
    with pytest.raises(ValidationError) as error:
        services.activity_from_booking(actor=org_contact, booking=booking)
    assert error.value.messages == [str(services.BOOKING_ALREADY_RECORDED)]


@pytest.mark.parametrize(
    ("persona", "community_name", "allowed"),
    [
        ("secretary", "community_a1", True),
        ("secretary", "community_a2", False),
        ("township_staff", "community_a2", True),
        ("township_staff", "community_b1", False),
        ("county_admin", "community_b1", True),
        ("org_contact", "community_a1", False),
        ("official", "community_a1", False),
    ],
    indirect=["persona"],
)
def test_only_the_served_communitys_verifiers_verify(persona, community_name, allowed, county):
    activity = ActivityFactory(
        lead_organization=county.org_a1, community_served=getattr(county, community_name)
    )
    if allowed:
        services.activity_verify(actor=persona, activity=activity)
        activity.refresh_from_db()
        assert activity.status == VerificationStatus.VERIFIED
        assert activity.verified_by == persona
    else:
        with pytest.raises(PermissionDenied):
            services.activity_verify(actor=persona, activity=activity)


@pytest.mark.parametrize("status", [VerificationStatus.VERIFIED, VerificationStatus.RETURNED])
def test_only_submitted_records_are_decided(secretary, county, status):
    activity = ActivityFactory(lead_organization=county.org_a1, status=status)
    with pytest.raises(ValidationError) as error:
        services.activity_verify(actor=secretary, activity=activity)
    assert error.value.messages == [str(services.NOT_SUBMITTED)]


def test_return_needs_reason_and_editing_resubmits(secretary, org_contact, county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    with pytest.raises(ValidationError) as error:
        services.activity_return(actor=secretary, activity=activity, reason=" ")
    assert error.value.message_dict["return_reason"] == [str(services.RETURN_REASON_REQUIRED)]

    services.activity_return(actor=secretary, activity=activity, reason="缺少签到表")
    activity.refresh_from_db()
    assert (activity.status, activity.return_reason) == (VerificationStatus.RETURNED, "缺少签到表")

    services.activity_update(actor=org_contact, activity=activity, beneficiaries=80)
    activity.refresh_from_db()
    assert (activity.status, activity.return_reason) == (VerificationStatus.SUBMITTED, "")
    assert activity.beneficiaries == 80


def test_verified_activity_is_locked(org_contact, county):
    activity = ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.VERIFIED)
    with pytest.raises(ValidationError) as error:
        services.activity_update(actor=org_contact, activity=activity, beneficiaries=1)
    assert error.value.messages == [str(services.ACTIVITY_VERIFIED_LOCKED)]


def test_only_verified_records_count(county):
    verified = ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.VERIFIED)
    ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.SUBMITTED)
    ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.RETURNED)
    ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.DRAFT)
    case = MediationCaseFactory(organization=county.org_a1, status=VerificationStatus.VERIFIED)
    MediationCaseFactory(organization=county.org_a1, status=VerificationStatus.RETURNED)
    MediationCaseFactory(organization=county.org_a1, status=VerificationStatus.SUBMITTED)
    assert list(Activity.objects.verified()) == [verified]
    assert list(MediationCase.objects.verified()) == [case]


def test_in_period_keeps_records_within_the_dates(county):
    inside = ActivityFactory(lead_organization=county.org_a1, start=days_ago(10))
    ActivityFactory(lead_organization=county.org_a1, start=days_ago(40))
    today = timezone.localdate()
    period = Activity.objects.in_period(today - datetime.timedelta(days=20), today)
    assert list(period) == [inside]


def test_mediation_case_flow_and_no_id_numbers(org_contact, secretary, county):
    with pytest.raises(ValidationError) as error:
        services.mediation_create(
            actor=org_contact,
            organization=county.org_a1,
            occurred_on=timezone.localdate(),
            kind=MediationCase.Kind.FAMILY,
            parties_summary="张某 220721196005011234 与其子赡养纠纷",
            outcome=MediationCase.Outcome.RESOLVED,
        )
    assert error.value.message_dict["parties_summary"] == [str(services.MEDIATION_NO_ID_NUMBERS)]
    case = services.mediation_create(
        actor=org_contact,
        organization=county.org_a1,
        occurred_on=timezone.localdate(),
        kind=MediationCase.Kind.FAMILY,
        parties_summary="张某与其子赡养纠纷",
        outcome=MediationCase.Outcome.RESOLVED,
    )
    assert case.status == VerificationStatus.SUBMITTED
    services.mediation_return(actor=secretary, case=case, reason="请补充调解协议")
    services.mediation_update(actor=org_contact, case=case, outcome=MediationCase.Outcome.PARTLY)
    case.refresh_from_db()
    assert case.status == VerificationStatus.SUBMITTED
    services.mediation_verify(actor=secretary, case=case)
    case.refresh_from_db()
    assert case.status == VerificationStatus.VERIFIED


def test_last_verified_activity_on_ignores_unverified(county, secretary):
    ActivityFactory(
        lead_organization=county.org_a1, start=days_ago(5), status=VerificationStatus.VERIFIED
    )
    ActivityFactory(lead_organization=county.org_a1, start=days_ago(1))
    ActivityFactory(lead_organization=county.org_a2, start=days_ago(1))
    result = last_verified_activity_on([county.org_a1.pk, county.org_a2.pk])
    assert result == {county.org_a1.pk: timezone.localdate() - datetime.timedelta(days=5)}
    context = activities_tab_context(user=secretary, organization=county.org_a1)
    assert context["activities_verified_count"] == 1
    assert context["activities_submitted_count"] == 1


# --- records stay in the recorder's area ---

# (persona, community served) -> accepted: county roles anywhere, township staff in their
# township, secretaries and organisation contacts in their own community.
COMMUNITY_SCOPE = [
    ("county_admin", "community_a1", True),
    ("county_admin", "community_a2", True),
    ("county_admin", "community_b1", True),
    ("township_staff", "community_a1", True),
    ("township_staff", "community_a2", True),
    ("township_staff", "community_b1", False),
    ("secretary", "community_a1", True),
    ("secretary", "community_a2", False),
    ("secretary", "community_b1", False),
    ("org_contact", "community_a1", True),
    ("org_contact", "community_a2", False),
    ("org_contact", "community_b1", False),
]


def _mediation(actor, county, **overrides):
    data = {
        "actor": actor,
        "organization": county.org_a1,
        "occurred_on": timezone.localdate(),
        "kind": MediationCase.Kind.NEIGHBOUR,
        "parties_summary": "两户邻里漏水纠纷",
        "outcome": MediationCase.Outcome.RESOLVED,
    }
    return services.mediation_create(**(data | overrides))


@pytest.mark.parametrize(
    ("persona", "community_name", "accepted"), COMMUNITY_SCOPE, indirect=["persona"]
)
def test_an_activity_serves_only_a_community_of_the_recorders_area(
    persona, community_name, accepted, county
):
    community = getattr(county, community_name)
    if accepted:
        activity = _create(persona, county.org_a1, community_served=community)
        assert activity.community_served == community
        return
    with pytest.raises(ValidationError) as error:
        _create(persona, county.org_a1, community_served=community)
    assert error.value.message_dict == {"community_served": [str(services.COMMUNITY_OUT_OF_AREA)]}
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("persona", "community_name", "accepted"), COMMUNITY_SCOPE, indirect=["persona"]
)
def test_a_mediation_case_is_only_in_a_community_of_the_recorders_area(
    persona, community_name, accepted, county
):
    community = getattr(county, community_name)
    if accepted:
        assert _mediation(persona, county, community=community).community == community
        return
    with pytest.raises(ValidationError) as error:
        _mediation(persona, county, community=community)
    assert error.value.message_dict == {"community": [str(services.COMMUNITY_OUT_OF_AREA)]}
    assert not MediationCase.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "org_contact"], indirect=True)
def test_editing_cannot_move_a_record_to_another_area(persona, county):
    activity = _create(persona, county.org_a1)
    case = _mediation(persona, county)

    with pytest.raises(ValidationError) as activity_error:
        services.activity_update(
            actor=persona, activity=activity, community_served=county.community_b1
        )
    with pytest.raises(ValidationError) as case_error:
        services.mediation_update(actor=persona, case=case, community=county.community_b1)

    assert activity_error.value.message_dict == {
        "community_served": [str(services.COMMUNITY_OUT_OF_AREA)]
    }
    assert case_error.value.message_dict == {"community": [str(services.COMMUNITY_OUT_OF_AREA)]}
    activity.refresh_from_db()
    case.refresh_from_db()
    assert (activity.community_served, case.community) == (county.community_a1,) * 2


def test_a_booked_rooms_community_stays_on_the_record_and_its_edits(org_contact, county):
    # Rooms are shared within a township: the contact books one in community A2.
    activity = services.activity_from_booking(actor=org_contact, booking=_used_booking(county))

    services.activity_update(
        actor=org_contact,
        activity=activity,
        community_served=county.community_a2,
        participants=30,
    )

    activity.refresh_from_db()
    assert (activity.community_served, activity.participants) == (county.community_a2, 30)


@pytest.mark.parametrize(
    ("persona", "org_name", "accepted"),
    [
        ("county_admin", "org_b1", True),
        ("township_staff", "org_a2", True),
        ("township_staff", "org_b1", False),
        ("secretary", "org_a2", False),
        ("org_contact", "org_b1", False),
    ],
    indirect=["persona"],
)
def test_co_organisers_come_from_the_recorders_area(persona, org_name, accepted, county):
    partner = getattr(county, org_name)
    if accepted:
        activity = _create(persona, county.org_a1, co_organizers=[partner])
        assert list(activity.co_organizers.all()) == [partner]
        return
    with pytest.raises(ValidationError) as error:
        _create(persona, county.org_a1, co_organizers=[partner])
    assert error.value.message_dict == {"co_organizers": [str(services.CO_ORGANIZER_OUT_OF_AREA)]}
    assert not Activity.objects.exists()


def test_a_co_organiser_already_on_the_record_may_stay(county_admin, org_contact, county):
    activity = _create(county_admin, county.org_a1, co_organizers=[county.org_b1])

    services.activity_update(
        actor=org_contact, activity=activity, co_organizers=[county.org_b1], participants=12
    )
    with pytest.raises(ValidationError):
        services.activity_update(
            actor=org_contact, activity=activity, co_organizers=[county.org_b1, county.org_a2]
        )

    assert list(activity.co_organizers.all()) == [county.org_b1]
