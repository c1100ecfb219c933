"""Residents' ratings through the QR link: the window, the rate limit, spam and the average."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Feedback
from activities.selectors import feedback_summary
from activities.views import DEVICE_COOKIE, DEVICE_COOKIE_SALT
from tests.activities.factories import ActivityFactory, FeedbackFactory, days_ago


def _submit(activity, *, device="device-1", address="", score=5, comment="", now=None, **extra):
    return services.feedback_submit_public(
        activity_token=activity.feedback_token,
        score=score,
        comment=comment,
        device_id=device,
        **extra,
        address=address,
        now=now or timezone.now(),
    )


def test_resident_rating_is_stored_without_the_address(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    fingerprint = services.device_fingerprint(ip="10.1.2.3", user_agent="Phone")
    feedback = _submit(activity, fingerprint=fingerprint, comment=" 很好 ")
    assert feedback.device_id == "device-1"
    assert (feedback.organization, feedback.score, feedback.comment) == (county.org_a1, 5, "很好")
    assert feedback.source == Feedback.Source.RESIDENT_FORM
    assert "10.1.2.3" not in feedback.fingerprint and len(feedback.fingerprint) == 64


def test_rating_after_the_window_is_refused(county):
    activity = ActivityFactory(
        lead_organization=county.org_a1, start=days_ago(20), end=days_ago(20, hour=11)
    )
    closes_on = timezone.localdate() - datetime.timedelta(days=6)
    assert activity.feedback_closes_on == closes_on
    with pytest.raises(ValidationError) as error:
        _submit(activity)
    assert error.value.messages == [str(services.FEEDBACK_CLOSED % {"date": closes_on.isoformat()})]


def test_rating_on_the_last_day_is_accepted(county):
    activity = ActivityFactory(
        lead_organization=county.org_a1, start=days_ago(14), end=days_ago(14, hour=11)
    )
    assert _submit(activity).pk


def test_eleventh_rating_in_a_minute_from_one_address_is_refused(county):
    # Given ten ratings from one address (different browsers) on ten activities this minute
    address = services.address_hash(ip="10.9.9.9")
    activities = [ActivityFactory(lead_organization=county.org_a1) for _ in range(11)]
    now = timezone.now()
    for index, activity in enumerate(activities[:10]):
        _submit(activity, device=f"browser-{index}", address=address, now=now)
    # When the eleventh comes
    with pytest.raises(ValidationError) as error:
        _submit(activities[10], device="browser-10", address=address, now=now)
    # Then it is refused, and a minute later it is accepted again
    assert error.value.messages == [str(services.FEEDBACK_RATE_LIMITED)]
    later = now + datetime.timedelta(seconds=61)
    assert _submit(activities[10], device="browser-10", address=address, now=later).pk


def test_one_rating_per_device_per_activity(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    _submit(activity)
    with pytest.raises(ValidationError) as error:
        _submit(activity)
    assert error.value.messages == [str(services.FEEDBACK_ALREADY_RATED)]
    assert _submit(activity, device="device-2").pk


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("优惠请访问 http://spam.example", services.FEEDBACK_COMMENT_LINK),
        ("加微信 www.spam.cn 领红包", services.FEEDBACK_COMMENT_LINK),
        ("好" * 501, services.FEEDBACK_COMMENT_TOO_LONG),
        ("哈哈哈哈哈哈哈哈哈哈", services.FEEDBACK_COMMENT_REPEATED),
        ("!!!!!!!!!!!!", services.FEEDBACK_COMMENT_REPEATED),
    ],
)
def test_obvious_spam_is_refused(county, comment, message):
    activity = ActivityFactory(lead_organization=county.org_a1)
    with pytest.raises(ValidationError) as error:
        _submit(activity, comment=comment)
    assert error.value.message_dict["comment"] == [str(message)]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("score", [0, 6])
def test_score_outside_1_to_5_is_refused(county, score):
    activity = ActivityFactory(lead_organization=county.org_a1)
    with pytest.raises(ValidationError) as error:
        _submit(activity, score=score)
    assert error.value.message_dict["score"] == [str(services.FEEDBACK_SCORE_RANGE)]


def test_phone_survey_by_staff_not_by_the_organisation(secretary, org_contact, county):
    feedback = services.feedback_record_phone_survey(
        actor=secretary, organization=county.org_a1, score=4, comment="电话回访满意"
    )
    assert (feedback.source, feedback.recorded_by) == (Feedback.Source.PHONE_SURVEY, secretary)
    with pytest.raises(PermissionDenied):
        services.feedback_record_phone_survey(
            actor=org_contact, organization=county.org_a1, score=5
        )
    with pytest.raises(PermissionDenied):
        services.feedback_record_phone_survey(actor=secretary, organization=county.org_b1, score=5)


def test_public_page_rating_changes_the_organisations_average(client, secretary, county):
    # Given an organisation averaging 3 over two ratings
    activity = ActivityFactory(lead_organization=county.org_a1)
    FeedbackFactory(activity=activity, score=2)
    FeedbackFactory(activity=activity, score=4)
    assert feedback_summary(organization=county.org_a1) == {"average": 3, "count": 2}
    # When an anonymous resident rates 5 through the public page
    url = reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "5", "comment": "老师很耐心"}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302
    assert response.url == reverse(
        "activities:feedback_thanks", kwargs={"token": activity.feedback_token}
    )
    # Then the average shown on the organisation's feedback page changes
    client.force_login(secretary)
    page = client.get(
        reverse("activities:organization_feedback", kwargs={"org_pk": county.org_a1.pk})
    )
    assert page.context["summary"] == {"average": pytest.approx(11 / 3, abs=0.01), "count": 3}
    assert "老师很耐心" in page.content.decode()
    assert "10.0.0.8" not in "".join(Feedback.objects.values_list("fingerprint", flat=True))


def test_public_page_shows_the_refusal(client, county):
    activity = ActivityFactory(
        lead_organization=county.org_a1, start=days_ago(30), end=days_ago(30, hour=11)
    )
    url = reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})
    response = client.post(url, {"score": "5"})
    assert response.status_code == 200
    closes_on = activity.feedback_closes_on.isoformat()
    assert response.context["form"].non_field_errors() == [
        str(services.FEEDBACK_CLOSED % {"date": closes_on})
    ]
    assert not Feedback.objects.exists()


def test_eleventh_post_from_one_address_refused_through_the_page(client, county):
    activities = [ActivityFactory(lead_organization=county.org_a1) for _ in range(11)]
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        for index, activity in enumerate(activities):
            url = reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})
            response = client.post(
                url, {"score": "4"}, REMOTE_ADDR="10.7.7.7", HTTP_USER_AGENT=f"browser {index}"
            )
            expected = 302 if index < 10 else 200
            assert response.status_code == expected, index
    assert response.context["form"].non_field_errors() == [str(services.FEEDBACK_RATE_LIMITED)]
    assert Feedback.objects.count() == 10


def _rating_url(activity) -> str:
    return reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})


def test_first_visit_sets_a_signed_device_cookie_and_keeps_it(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    phone = Client()

    first = phone.get(_rating_url(activity))
    again = phone.get(_rating_url(activity))

    cookie = first.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = HttpRequest()
    request.COOKIES[DEVICE_COOKIE] = cookie.value
    device_id = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_COOKIE_SALT)
    assert len(device_id) >= 32
    assert DEVICE_COOKIE not in again.cookies
    phone.post(_rating_url(activity), {"score": "5"}, REMOTE_ADDR="10.0.0.1")
    assert Feedback.objects.get().device_id == device_id


def test_one_rating_per_device_through_the_page_even_on_another_address(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    phone = Client()
    phone.get(_rating_url(activity))

    first = phone.post(_rating_url(activity), {"score": "5"}, REMOTE_ADDR="10.0.0.1")
    second = phone.post(_rating_url(activity), {"score": "1"}, REMOTE_ADDR="10.0.0.2")

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [str(services.FEEDBACK_ALREADY_RATED)]
    assert list(Feedback.objects.values_list("score", flat=True)) == [5]


def test_a_forged_device_cookie_counts_as_a_new_device(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    phone = Client()
    phone.cookies[DEVICE_COOKIE] = "device-1:forged"

    response = phone.post(_rating_url(activity), {"score": "4"}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 302
    assert Feedback.objects.get().device_id not in ("", "device-1")


def test_the_database_holds_one_rating_per_activity_and_device(county):
    activity = ActivityFactory(lead_organization=county.org_a1)
    FeedbackFactory(activity=activity, device_id="device-1")
    FeedbackFactory(activity=activity, device_id="")
    FeedbackFactory(activity=activity, device_id="")

    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(activity=activity, device_id="device-1")


def test_fifty_devices_on_one_address_all_rate_ten_a_minute(county):
    # Given 50 residents' phones behind one community Wi-Fi, each opening the rating page
    activity = ActivityFactory(lead_organization=county.org_a1)
    phones = [Client(HTTP_USER_AGENT="Same phone model") for _ in range(50)]
    start = timezone.now().replace(second=0, microsecond=0)
    accepted_per_minute = []
    waiting = list(phones)
    for minute in range(5):
        with time_machine.travel(
            start + datetime.timedelta(minutes=minute, seconds=30), tick=False
        ):
            # When every phone that has not rated yet submits
            still_waiting = []
            for phone in waiting:
                phone.get(_rating_url(activity), REMOTE_ADDR="10.20.30.40")
                response = phone.post(
                    _rating_url(activity), {"score": "5"}, REMOTE_ADDR="10.20.30.40"
                )
                if response.status_code == 302:
                    continue
                assert response.context["form"].non_field_errors() == [
                    str(services.FEEDBACK_RATE_LIMITED)
                ]
                still_waiting.append(phone)
            accepted_per_minute.append(len(waiting) - len(still_waiting))
            waiting = still_waiting
    # Then ten are accepted each minute, the others told to try later, and all 50 count
    assert accepted_per_minute == [10, 10, 10, 10, 10]
    assert Feedback.objects.filter(activity=activity).count() == 50
    assert Feedback.objects.values("device_id").distinct().count() == 50


def test_unknown_token_is_404(client, county):
    url = reverse("activities:feedback_public", kwargs={"token": "nope"})
    assert client.get(url).status_code == 404


def test_a_device_rating_twice_at_once_keeps_one_rating(county):
    # Given the first rating saved while the second passed the service's own check
    activity = ActivityFactory(lead_organization=county.org_a1)
    _submit(activity, device="phone-1")
    unseen = mock.Mock(**{"exists.return_value": False})

    # When the second is saved
    with (
        mock.patch.object(Feedback.objects, "filter", return_value=unseen),
        pytest.raises(ValidationError) as error,
    ):
        _submit(activity, device="phone-1", score=1)

    # Then the database's constraint refuses it with the same answer
    assert error.value.messages == [str(services.FEEDBACK_ALREADY_RATED)]
    assert list(Feedback.objects.values_list("score", flat=True)) == [5]
