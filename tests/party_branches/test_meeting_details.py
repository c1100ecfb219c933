"""The meeting form records place, chair, note taker, absentees with reasons and attachments."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from party_branches import rules, services
from party_branches.models import Meeting, MeetingAttachment
from party_branches.services import MEETING_ATTACHMENT_TYPE_MESSAGE
from tests.party_branches.factories import make_branch

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_meeting_records_its_details(county, secretary, client_as):
    branch = make_branch([county.org_a1], formal=3, established_on=date(2026, 1, 5))
    first, second, third = branch.members.order_by("pk")
    client = client_as(secretary)
    url = reverse("party_branches:meeting_record", kwargs={"pk": branch.pk})

    response = client.post(
        url,
        {
            "kind": "theme_day",
            "held_on": TODAY.isoformat(),
            "topic": "主题党日：学习党章",
            "attendees": [first.pk, second.pk],
            "place": "幸福社区党群服务中心",
            "chair": first.pk,
            "note_taker": second.pk,
            f"absence_{third.pk}": "外出务工",
            "attachments": [
                SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4", content_type="application/pdf"),
                SimpleUploadedFile("合影.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
            ],
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.place == "幸福社区党群服务中心"
    assert (meeting.chair, meeting.note_taker) == (first, second)
    assert [(a.member, a.reason) for a in meeting.absences.all()] == [(third, "外出务工")]
    kinds = sorted(meeting.attachments.values_list("kind", flat=True))
    assert kinds == [MeetingAttachment.Kind.MINUTES, MeetingAttachment.Kind.PHOTO]


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_an_attachment_of_another_type_is_refused(county, secretary, client_as):
    branch = make_branch([county.org_a1], formal=3, established_on=date(2026, 1, 5))
    client = client_as(secretary)
    url = reverse("party_branches:meeting_record", kwargs={"pk": branch.pk})

    response = client.post(
        url,
        {
            "kind": "theme_day",
            "held_on": TODAY.isoformat(),
            "topic": "主题党日",
            "attendees": list(branch.members.values_list("pk", flat=True)),
            "attachments": [SimpleUploadedFile("run.exe", b"MZ")],
        },
    )

    assert response.status_code == 200
    assert str(MEETING_ATTACHMENT_TYPE_MESSAGE) in response.context["form"].errors["attachments"]
    assert not Meeting.objects.exists()


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_form_offers_a_reason_box_per_current_member(county, secretary, client_as):
    branch = make_branch([county.org_a1], formal=3, established_on=date(2026, 1, 5))
    client = client_as(secretary)
    url = reverse("party_branches:meeting_record", kwargs={"pk": branch.pk})

    page = client.get(url).content.decode()

    for member in branch.members.all():
        assert f'name="absence_{member.pk}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_branch_set_up_mid_year_owes_only_the_months_since():
    # Set up on 20 August: nothing owed in Q1 and Q2, August and September in Q3.
    owed = {
        q: rules.required_count(
            period=rules.MONTHLY,
            count=1,
            quarter=(2026, q),
            established_on=date(2026, 8, 20),
            dissolved_on=None,
            as_of=date(2026, 12, 31),
        )
        for q in (1, 2, 3, 4)
    }

    assert owed == {1: 0, 2: 0, 3: 2, 4: 3}


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_branch_page_shows_the_details_in_bounded_queries(
    county, secretary, client_as, django_assert_max_num_queries
):
    branch = make_branch([county.org_a1], formal=3, established_on=date(2026, 1, 5))
    first, second, third = branch.members.order_by("pk")
    for day in (3, 10, 17):
        services.meeting_record(
            actor=secretary,
            branch=branch,
            kind="theme_day",
            held_on=date(2026, 11, day),
            topic="主题党日",
            attendees=[first, second],
            place="党群服务中心",
            chair=first,
            note_taker=second,
            absence_reasons={third.pk: "外出务工"},
            attachments=[SimpleUploadedFile("记录.pdf", b"%PDF-1.4")],
        )
    client = client_as(secretary)

    with django_assert_max_num_queries(30):
        page = client.get(
            reverse("party_branches:branch_detail", kwargs={"pk": branch.pk})
        ).content.decode()

    assert page.count(f"{third.person.name}（外出务工）") == 3
    assert page.count('data-testid="meeting-attachments"') == 3
    assert f"主持人：{first.person.name}" in page
