"""The verification queue shows what is being verified and how long it has waited; a record
with no description and no photo is verified only after a confirmation the server checks."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities import services
from activities.models import ActivityPhoto, VerificationStatus
from core.models import AuditEvent
from tests.activities.factories import ActivityFactory, MediationCaseFactory
from tests.activities.test_photos import png_bytes
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 13, 9, 0, tzinfo=TZ)
QUEUE = reverse("activities:verification_queue")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def days_before(days):
    return NOW - datetime.timedelta(days=days)


def activity_with_everything(county, secretary, waited_days):
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    booking = BookingFactory(
        room=RoomFactory(center=center, name="多功能活动室"),
        organization=county.org_a1,
        start=days_before(waited_days + 1),
        end=days_before(waited_days + 1) + datetime.timedelta(hours=2),
    )
    activity = ActivityFactory(
        lead_organization=county.org_a1,
        title="重阳敬老文艺演出",
        description="为社区老人表演节目并赠送慰问品",
        participants=42,
        booking=booking,
        start=booking.start,
        end=booking.end,
        submitted_at=days_before(waited_days),
    )
    for index in range(2):
        ActivityPhoto.objects.create(
            activity=activity,
            image=SimpleUploadedFile(f"p{index}.png", png_bytes()),
            uploaded_by=secretary,
        )
    return activity


def test_queue_shows_content_photos_participants_booking_and_wait(
    client_as, secretary, county, django_assert_max_num_queries
):
    old = activity_with_everything(county, secretary, waited_days=15)
    fresh = ActivityFactory(
        lead_organization=county.org_a1, submitted_at=days_before(3), title="新近活动"
    )
    for _ in range(5):
        ActivityFactory(lead_organization=county.org_a1, submitted_at=days_before(1))
    case = MediationCaseFactory(organization=county.org_a1, submitted_at=days_before(20))
    client = client_as(secretary)

    with django_assert_max_num_queries(14):
        response = client.get(QUEUE)

    activities = response.context["activities"]
    assert activities[0] == old  # the longest waiting first
    shown = {activity.pk: activity for activity in activities}
    assert (shown[old.pk].waited_days, shown[old.pk].waited_long) == (15, True)
    assert (shown[fresh.pk].waited_days, shown[fresh.pk].waited_long) == (3, False)
    content = response.content.decode()
    assert "为社区老人表演节目并赠送慰问品" in content
    assert content.count(f'data-testid="thumbnails-{old.pk}"') == 2  # card and table row
    photo = old.photos.first()
    assert reverse("activities:activity_photo", kwargs={"pk": photo.pk}) in content
    assert f'data-testid="activity-booking-{old.pk}"' in content
    assert reverse("venues:booking_detail", kwargs={"pk": old.booking.pk}) in content
    assert "42 人参加" in content
    assert f'<tr data-testid="activity-row-{old.pk}" class="table-danger">' in content
    assert f'<tr data-testid="activity-row-{fresh.pk}">' in content
    assert 'class="badge text-nowrap text-bg-danger" data-testid="waited-' in content
    assert "已等待 15 天" in content and "已等待 20 天" in content
    assert f'data-testid="activity-card-{old.pk}"' in content
    assert f'data-testid="case-card-{case.pk}"' in content
    assert 'class="d-md-none vstack gap-2" data-testid="queue-activity-cards"' in content


def test_exactly_fourteen_days_is_not_highlighted(client_as, secretary, county):
    activity = ActivityFactory(lead_organization=county.org_a1, submitted_at=days_before(14))

    response = client_as(secretary).get(QUEUE)

    assert f'<tr data-testid="activity-row-{activity.pk}">' in response.content.decode()


def test_resubmitting_a_returned_record_restarts_the_wait(org_contact, secretary, county):
    activity = ActivityFactory(lead_organization=county.org_a1, submitted_at=days_before(30))
    services.activity_return(actor=secretary, activity=activity, reason="缺少照片")
    activity.refresh_from_db()

    services.activity_update(actor=org_contact, activity=activity, title="修改后的标题")

    activity.refresh_from_db()
    assert activity.status == VerificationStatus.SUBMITTED
    assert activity.submitted_at == NOW


def test_verifying_an_empty_record_asks_first(client_as, secretary, county):
    empty = ActivityFactory(lead_organization=county.org_a1, description="")
    url = reverse("activities:activity_decide", kwargs={"pk": empty.pk})
    client = client_as(secretary)

    asked = client.post(url, {"decision": "verify", "next": QUEUE})

    empty.refresh_from_db()
    assert asked.status_code == 200
    assert empty.status == VerificationStatus.SUBMITTED
    assert str(services.VERIFY_EMPTY_UNCONFIRMED) in asked.content.decode()
    assert f'data-testid="confirm-verify-{empty.pk}"' in asked.content.decode()

    confirmed = client.post(url, {"decision": "verify", "confirm_empty": "1", "next": QUEUE})

    empty.refresh_from_db()
    assert confirmed.status_code == 302
    assert empty.status == VerificationStatus.VERIFIED
    assert AuditEvent.objects.filter(action="activity.verify", object_id=str(empty.pk)).exists()


def test_the_service_refuses_an_empty_record_without_the_confirmation(secretary, county):
    from django.core.exceptions import ValidationError

    empty = ActivityFactory(lead_organization=county.org_a1, description="  ")

    with pytest.raises(ValidationError) as raised:
        services.activity_verify(actor=secretary, activity=empty)

    assert raised.value.messages == [str(services.VERIFY_EMPTY_UNCONFIRMED)]
    empty.refresh_from_db()
    assert empty.status == VerificationStatus.SUBMITTED


def test_a_record_with_only_a_photo_verifies_at_once(client_as, secretary, county):
    activity = ActivityFactory(lead_organization=county.org_a1, description="")
    ActivityPhoto.objects.create(
        activity=activity, image=SimpleUploadedFile("a.png", png_bytes()), uploaded_by=secretary
    )

    client_as(secretary).post(
        reverse("activities:activity_decide", kwargs={"pk": activity.pk}), {"decision": "verify"}
    )

    activity.refresh_from_db()
    assert activity.status == VerificationStatus.VERIFIED


def test_the_confirmation_page_does_not_send_back_to_another_site(client_as, secretary, county):
    empty = ActivityFactory(lead_organization=county.org_a1, description="")

    asked = client_as(secretary).post(
        reverse("activities:activity_decide", kwargs={"pk": empty.pk}),
        {"decision": "verify", "next": "https://evil.example/"},
    )

    assert "evil.example" not in asked.content.decode()
