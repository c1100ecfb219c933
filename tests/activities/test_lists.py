"""The county-wide lists: capped counts, their order and the date filter's local days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import views
from activities.models import VerificationStatus
from tests.activities.factories import ActivityFactory, MediationCaseFactory


def local(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


DAY = datetime.date(2026, 5, 12)


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(views.common, "LIST_CAP", 4)


def test_activity_list_says_more_than_the_cap_when_more_match(
    client_as, county_admin, county, small_cap
):
    for index in range(6):
        ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 8 + index))
    response = client_as(county_admin).get(reverse("activities:activity_list"))
    page = response.context["page"]
    assert page.paginator.capped
    assert page.paginator.count == 4
    html = response.content.decode()
    assert "超过 4 场活动" in html
    assert 'data-testid="capped-notice"' in html


def test_activity_list_counts_exactly_at_the_cap(client_as, county_admin, county, small_cap):
    for index in range(4):
        ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 8 + index))
    response = client_as(county_admin).get(reverse("activities:activity_list"))
    assert not response.context["page"].paginator.capped
    html = response.content.decode()
    assert "共 4 场活动" in html
    assert "超过" not in html
    assert 'data-testid="capped-notice"' not in html


def test_activity_table_partial_says_more_than_the_cap(client_as, county_admin, county, small_cap):
    for index in range(5):
        ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 8 + index))
    response = client_as(county_admin).get(
        reverse("activities:activity_list"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "超过 4 场活动" in html
    assert "<html" not in html


def test_a_filter_below_the_cap_counts_exactly(client_as, county_admin, county, small_cap):
    for index in range(6):
        ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 8 + index))
    ActivityFactory(lead_organization=county.org_b1, start=local(DAY, 8))
    response = client_as(county_admin).get(
        reverse("activities:activity_list"), {"township": county.township_b.pk}
    )
    assert "共 1 场活动" in response.content.decode()


def test_mediation_list_says_more_than_the_cap_when_more_match(
    client_as, county_admin, county, small_cap
):
    for index in range(5):
        MediationCaseFactory(
            organization=county.org_a1, occurred_on=DAY - datetime.timedelta(index)
        )
    response = client_as(county_admin).get(reverse("activities:mediation_list"))
    html = response.content.decode()
    assert response.context["page"].paginator.capped
    assert "超过 4 件" in html
    assert 'data-testid="capped-notice"' in html


def test_mediation_list_counts_below_the_cap(client_as, county_admin, county, small_cap):
    for index in range(3):
        MediationCaseFactory(
            organization=county.org_a1, occurred_on=DAY - datetime.timedelta(index)
        )
    html = client_as(county_admin).get(reverse("activities:mediation_list")).content.decode()
    assert "共 3 件" in html
    assert 'data-testid="capped-notice"' not in html


def test_activity_list_is_newest_first_and_ties_by_newest_record(client_as, county_admin, county):
    older = ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 9))
    tie_first = ActivityFactory(lead_organization=county.org_a2, start=local(DAY, 15))
    tie_second = ActivityFactory(lead_organization=county.org_b1, start=local(DAY, 15))
    newest = ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 20))
    response = client_as(county_admin).get(reverse("activities:activity_list"))
    assert [activity.pk for activity in response.context["page"]] == [
        newest.pk,
        tie_second.pk,
        tie_first.pk,
        older.pk,
    ]


def test_activity_list_second_page_continues_the_order(client_as, county_admin, county):
    made = [
        ActivityFactory(lead_organization=county.org_a1, start=local(DAY, 9 + index % 3))
        for index in range(30)
    ]
    expected = [
        activity.pk for activity in sorted(made, key=lambda a: (a.start, a.pk), reverse=True)
    ]
    client = client_as(county_admin)
    first = client.get(reverse("activities:activity_list"))
    second = client.get(reverse("activities:activity_list"), {"page": 2})
    listed = [a.pk for a in first.context["page"]] + [a.pk for a in second.context["page"]]
    assert listed == expected


def test_mediation_list_is_newest_first_and_ties_by_newest_record(client_as, county_admin, county):
    older = MediationCaseFactory(organization=county.org_a1, occurred_on=DAY)
    tie_first = MediationCaseFactory(
        organization=county.org_a2, occurred_on=DAY + datetime.timedelta(1)
    )
    tie_second = MediationCaseFactory(
        organization=county.org_b1, occurred_on=DAY + datetime.timedelta(1)
    )
    response = client_as(county_admin).get(reverse("activities:mediation_list"))
    assert [case.pk for case in response.context["page"]] == [
        tie_second.pk,
        tie_first.pk,
        older.pk,
    ]


def test_date_filter_keeps_whole_local_days(client_as, county_admin, county):
    before = ActivityFactory(
        lead_organization=county.org_a1, title="前一天深夜", start=local(DAY, 23, 59)
    )
    first_minute = ActivityFactory(
        lead_organization=county.org_a1,
        title="第一天零点",
        start=local(DAY + datetime.timedelta(1), 0),
    )
    last_minute = ActivityFactory(
        lead_organization=county.org_a1,
        title="最后一天深夜",
        start=local(DAY + datetime.timedelta(2), 23, 59),
    )
    after = ActivityFactory(
        lead_organization=county.org_a1,
        title="后一天零点",
        start=local(DAY + datetime.timedelta(3), 0),
    )
    response = client_as(county_admin).get(
        reverse("activities:activity_list"),
        {
            "date_from": (DAY + datetime.timedelta(1)).isoformat(),
            "date_to": (DAY + datetime.timedelta(2)).isoformat(),
        },
    )
    listed = {activity.pk for activity in response.context["page"]}
    assert listed == {first_minute.pk, last_minute.pk}
    assert before.pk not in listed and after.pk not in listed


def test_township_staff_lists_only_their_township(client_as, township_staff, county):
    own = ActivityFactory(lead_organization=county.org_a2, start=local(DAY))
    ActivityFactory(lead_organization=county.org_b1, start=local(DAY))
    response = client_as(township_staff).get(reverse("activities:activity_list"))
    assert [activity.pk for activity in response.context["page"]] == [own.pk]


def test_status_filter_on_the_mediation_list(client_as, county_admin, county):
    verified = MediationCaseFactory(
        organization=county.org_a1, occurred_on=DAY, status=VerificationStatus.VERIFIED
    )
    MediationCaseFactory(organization=county.org_a1, occurred_on=DAY)
    response = client_as(county_admin).get(
        reverse("activities:mediation_list"), {"status": VerificationStatus.VERIFIED}
    )
    assert [case.pk for case in response.context["page"]] == [verified.pk]
