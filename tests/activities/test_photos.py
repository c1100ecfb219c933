"""Activity photos: real JPEG/PNG under the limits only, served only within scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities import photos
from activities.models import ActivityPhoto, VerificationStatus
from tests.activities.factories import ActivityFactory


def png_bytes(size=(20, 10), image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=image_format)
    return buffer.getvalue()


def upload(client, activity, content: bytes, name="photo.png"):
    return client.post(
        reverse("activities:activity_photo_add", kwargs={"pk": activity.pk}),
        {"image": SimpleUploadedFile(name, content), "caption": "合影"},
        follow=True,
    )


@pytest.fixture
def activity(county):
    return ActivityFactory(lead_organization=county.org_a1)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_photo_is_stored_under_our_name_and_shown(activity, org_contact, client, image_format):
    client.force_login(org_contact)

    response = upload(client, activity, png_bytes(image_format=image_format), name="../../x.php")

    photo = ActivityPhoto.objects.get()
    assert photo.image.name.startswith("activity-photos/")
    assert ".." not in photo.image.name and not photo.image.name.endswith(".php")
    served = client.get(reverse("activities:activity_photo", kwargs={"pk": photo.pk}))
    assert served.status_code == 200
    assert served["Content-Type"] == ("image/png" if image_format == "PNG" else "image/jpeg")
    assert b"".join(served.streaming_content)[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0")
    assert reverse("activities:activity_photo", kwargs={"pk": photo.pk}) in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<?php echo 'hi'; ?>", photos.PHOTO_NOT_AN_IMAGE),
        (b"GIF89a" + b"\x00" * 20, photos.PHOTO_NOT_AN_IMAGE),
    ],
)
def test_what_is_not_a_jpeg_or_png_is_refused(activity, org_contact, client, content, message):
    client.force_login(org_contact)

    response = upload(client, activity, content)

    assert str(message) in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_photo_over_5_mb_is_refused(activity, org_contact, client, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100)
    client.force_login(org_contact)

    response = upload(client, activity, png_bytes(size=(200, 200)))

    assert str(photos.PHOTO_TOO_LARGE) in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_verified_activity_takes_no_more_photos(activity, org_contact, client):
    activity.status = VerificationStatus.VERIFIED
    activity.save()
    client.force_login(org_contact)

    upload(client, activity, png_bytes())

    assert not ActivityPhoto.objects.exists()


def test_photos_are_not_served_outside_the_area(county, township_staff, client, org_contact):
    far = ActivityFactory(lead_organization=county.org_b1)
    client.force_login(org_contact)
    # the org contact may not record for another organisation
    assert upload(client, far, png_bytes()).status_code in (403, 404)
    photo = ActivityPhoto.objects.create(
        activity=far,
        image=SimpleUploadedFile("far.png", png_bytes()),
        uploaded_by=township_staff,
    )
    client.force_login(township_staff)

    response = client.get(reverse("activities:activity_photo", kwargs={"pk": photo.pk}))

    assert response.status_code == 404


def test_the_tenth_photo_is_refused(activity, org_contact, client):
    client.force_login(org_contact)
    for _ in range(photos.MAX_PHOTOS_PER_ACTIVITY):
        upload(client, activity, png_bytes())

    response = upload(client, activity, png_bytes())

    assert str(photos.PHOTO_LIMIT_REACHED) in response.content.decode()
    assert ActivityPhoto.objects.count() == photos.MAX_PHOTOS_PER_ACTIVITY


def test_stored_photos_lose_their_exif_metadata(activity, org_contact, client):
    # given a JPEG whose EXIF carries a GPS block and the camera's make
    exif = Image.Exif()
    exif[0x010F] = "居民手机"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()
    client.force_login(org_contact)

    upload(client, activity, buffer.getvalue(), name="photo.jpg")

    stored = ActivityPhoto.objects.get()
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
