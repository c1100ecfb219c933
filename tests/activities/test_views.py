"""The activity pages: forms, the verification queue, QR codes and bounded lists."""

import pytest
from django.urls import reverse

from activities.models import Activity, MediationCase, VerificationStatus
from tests.activities.factories import (
    ActivityFactory,
    FeedbackFactory,
    MediationCaseFactory,
    days_ago,
)
from tests.orgs.factories import OrganizationFactory


def test_org_contact_records_an_activity_through_the_form(client_as, org_contact, county):
    client = client_as(org_contact)
    response = client.post(
        reverse("activities:activity_create"),
        {
            "lead_organization": county.org_a1.pk,
            "kind": Activity.Kind.ELDERLY_DISABLED,
            "title": "为独居老人理发",
            "start": days_ago(1).strftime("%Y-%m-%dT%H:%M"),
            "end": days_ago(1, hour=11).strftime("%Y-%m-%dT%H:%M"),
            "place": "社区活动室",
            "participants": "8",
            "beneficiaries": "20",
            "volunteer_hours": "16",
            "help_cases": "3",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:activity_detail", kwargs={"pk": activity.pk})
    assert activity.community_served == county.community_a1
    assert activity.status == VerificationStatus.SUBMITTED
    assert activity.created_by == org_contact


def test_form_refuses_end_before_start(client_as, org_contact, county):
    response = client_as(org_contact).post(
        reverse("activities:activity_create"),
        {
            "lead_organization": county.org_a1.pk,
            "kind": Activity.Kind.TRAINING,
            "title": "培训",
            "start": days_ago(1, hour=11).strftime("%Y-%m-%dT%H:%M"),
            "end": days_ago(1, hour=9).strftime("%Y-%m-%dT%H:%M"),
            "place": "会议室",
            "participants": "0",
            "beneficiaries": "0",
            "volunteer_hours": "0",
            "help_cases": "0",
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_secretary_queue_lists_own_community_and_verifies(client_as, secretary, county):
    own = ActivityFactory(lead_organization=county.org_a1, title="本社区活动")
    ActivityFactory(lead_organization=county.org_a2, title="邻社区活动")
    case = MediationCaseFactory(organization=county.org_a1)
    client = client_as(secretary)
    page = client.get(reverse("activities:verification_queue"))
    assert list(page.context["activities"]) == [own]
    assert list(page.context["cases"]) == [case]

    client.post(
        reverse("activities:activity_decide", kwargs={"pk": own.pk}), {"decision": "verify"}
    )
    client.post(
        reverse("activities:mediation_decide", kwargs={"pk": case.pk}),
        {"decision": "return", "reason": "缺少协议书"},
    )
    own.refresh_from_db()
    case.refresh_from_db()
    assert own.status == VerificationStatus.VERIFIED
    assert (case.status, case.return_reason) == (VerificationStatus.RETURNED, "缺少协议书")


def test_other_secretary_cannot_verify(client_as, county):
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    other = UserFactory(username="sec_a2", role=Role.SECRETARY, community=county.community_a2)
    activity = ActivityFactory(lead_organization=county.org_a1)
    # A1's activity is out of A2's secretary's area: 404, and nothing changes.
    response = client_as(other).post(
        reverse("activities:activity_decide", kwargs={"pk": activity.pk}), {"decision": "verify"}
    )
    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.status == VerificationStatus.SUBMITTED


def test_org_contact_cannot_verify_own_activity(client_as, org_contact, county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    response = client_as(org_contact).post(
        reverse("activities:activity_decide", kwargs={"pk": activity.pk}), {"decision": "verify"}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.status == VerificationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("name", "content_type", "signature"),
    [
        ("activities:activity_qr_svg", "image/svg+xml", b"<svg"),
        ("activities:activity_qr_png", "image/png", b"\x89PNG"),
    ],
)
def test_qr_codes(client_as, secretary, county, name, content_type, signature):
    activity = ActivityFactory(lead_organization=county.org_a1)
    response = client_as(secretary).get(reverse(name, kwargs={"pk": activity.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert signature in response.content[:200]


def test_detail_shows_absolute_public_url(client_as, secretary, county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    response = client_as(secretary).get(
        reverse("activities:activity_detail", kwargs={"pk": activity.pk})
    )
    public = reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})
    assert response.context["public_url"] == f"http://testserver{public}"
    assert response.context["can_verify"] is True


@pytest.mark.parametrize(
    ("query", "expected_titles"),
    [
        ({"kind": Activity.Kind.LEGAL_AID}, {"法律咨询"}),
        ({"status": VerificationStatus.VERIFIED}, {"文艺演出"}),
        ({"community": "community_a2"}, {"法律咨询"}),
        ({"organization": "org_a1"}, {"文艺演出"}),
    ],
)
def test_list_filters(client_as, county_admin, county, query, expected_titles):
    ActivityFactory(
        lead_organization=county.org_a1, title="文艺演出", status=VerificationStatus.VERIFIED
    )
    ActivityFactory(lead_organization=county.org_a2, title="法律咨询", kind=Activity.Kind.LEGAL_AID)
    params = {
        key: (getattr(county, value).pk if value.startswith(("community_", "org_")) else value)
        for key, value in query.items()
    }
    response = client_as(county_admin).get(reverse("activities:activity_list"), params)
    assert {activity.title for activity in response.context["page"]} == expected_titles


@pytest.mark.parametrize("rows", [3, 30])
def test_lists_use_bounded_queries(
    client_as, county_admin, county, rows, django_assert_max_num_queries
):
    for index in range(rows):
        organization = OrganizationFactory(community=county.community_a1)
        activity = ActivityFactory(lead_organization=organization)
        MediationCaseFactory(organization=organization)
        FeedbackFactory(activity=activity, score=index % 5 + 1)
    client = client_as(county_admin)
    for name, kwargs in [
        ("activities:activity_list", {}),
        ("activities:mediation_list", {}),
        ("activities:verification_queue", {}),
    ]:
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    with django_assert_max_num_queries(25):
        response = client.get(
            reverse("activities:organization_feedback", kwargs={"org_pk": organization.pk})
        )
        assert response.status_code == 200


def test_record_from_booking_page(client_as, org_contact, county):
    from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory
    from venues.models import Booking

    booking = BookingFactory(
        room=RoomFactory(center=ServiceCenterFactory(community=county.community_a1)),
        organization=county.org_a1,
        start=days_ago(2, hour=14),
        end=days_ago(2, hour=16),
        status=Booking.Status.USED,
    )
    response = client_as(org_contact).post(
        reverse("activities:activity_from_booking", kwargs={"booking_pk": booking.pk})
    )
    activity = Activity.objects.get(booking=booking)
    assert response.url == reverse("activities:activity_update", kwargs={"pk": activity.pk})


def test_editing_a_returned_case_resubmits_it(client_as, org_contact, county):
    case = MediationCaseFactory(
        organization=county.org_a1, status=VerificationStatus.RETURNED, return_reason="补充"
    )
    response = client_as(org_contact).post(
        reverse("activities:mediation_update", kwargs={"pk": case.pk}),
        {
            "organization": county.org_a1.pk,
            "occurred_on": case.occurred_on.isoformat(),
            "kind": MediationCase.Kind.PROPERTY,
            "parties_summary": "物业费纠纷",
            "outcome": MediationCase.Outcome.RESOLVED,
            "community": "",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.kind) == (VerificationStatus.SUBMITTED, MediationCase.Kind.PROPERTY)
