"""Matrix rows of the activities pages: records, verification, feedback and the public rating.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own"
records are led by org A1 and serve community A1 (the secretary's); "far" ones belong to
org B1 in township B. The public rating pages answer 200 to everyone, anonymous included.
"""

import datetime

from django.utils import timezone

from activities.models import Activity, MediationCase
from tests.activities.factories import ActivityFactory, MediationCaseFactory, days_ago
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory
from venues.models import Booking


def _used_booking(community, organization) -> int:
    start = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=2), datetime.time(10)
        )
    )
    return BookingFactory(
        room=RoomFactory(center=ServiceCenterFactory(community=community)),
        organization=organization,
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=Booking.Status.USED,
    ).pk


def _photo(organization) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities.models import ActivityPhoto
    from tests.accounts.factories import UserFactory

    activity = ActivityFactory(lead_organization=organization)
    return ActivityPhoto.objects.create(
        activity=activity,
        image=SimpleUploadedFile("p.png", PNG_1PX),
        uploaded_by=UserFactory(),
    ).pk


# A 1×1 PNG.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)

TARGETS = {
    "activities:photo:own": lambda c: _photo(c.org_a1),
    "activities:photo:far": lambda c: _photo(c.org_b1),
    "activities:activity:own": lambda c: ActivityFactory(lead_organization=c.org_a1).pk,
    "activities:activity:far": lambda c: ActivityFactory(lead_organization=c.org_b1).pk,
    "activities:case:own": lambda c: MediationCaseFactory(organization=c.org_a1).pk,
    "activities:case:far": lambda c: MediationCaseFactory(organization=c.org_b1).pk,
    "activities:org:own": lambda c: {"org_pk": c.org_a1.pk},
    "activities:org:far": lambda c: {"org_pk": c.org_b1.pk},
    "activities:booking:own": lambda c: {"booking_pk": _used_booking(c.community_a1, c.org_a1)},
    "activities:booking:far": lambda c: {"booking_pk": _used_booking(c.community_b1, c.org_b1)},
    "activities:token:far": lambda c: {
        "token": ActivityFactory(lead_organization=c.org_b1).feedback_token
    },
}

ALL_200 = (200, 200, 200, 200, 200)
FAR_404 = (200, 404, 404, 200, 404)
RECORDERS = (200, 200, 200, 403, 200)
RECORDERS_REDIRECT = (302, 302, 302, 403, 302)
FAR_RECORD = (200, 404, 404, 403, 404)
FAR_RECORD_REDIRECT = (302, 404, 404, 403, 404)
VERIFIERS = (200, 200, 200, 403, 403)
VERIFIERS_REDIRECT = (302, 302, 302, 403, 403)

MATRIX = {
    ("activities:activity_photo_add", "activities:activity:own", "post"): (302, 302, 302, 403, 302),
    ("activities:activity_photo_add", "activities:activity:far", "post"): (302, 404, 404, 403, 404),
    ("activities:activity_photo", "activities:photo:own", "get"): (200, 200, 200, 200, 200),
    ("activities:activity_photo", "activities:photo:far", "get"): (200, 404, 404, 200, 404),
    ("activities:activity_list", None, "get"): ALL_200,
    ("activities:activity_create", None, "get"): RECORDERS,
    ("activities:activity_create", None, "post"): RECORDERS,
    ("activities:activity_detail", "activities:activity:own", "get"): ALL_200,
    ("activities:activity_detail", "activities:activity:far", "get"): FAR_404,
    ("activities:activity_print", "activities:activity:own", "get"): ALL_200,
    ("activities:activity_print", "activities:activity:far", "get"): FAR_404,
    ("activities:activity_qr_svg", "activities:activity:own", "get"): ALL_200,
    ("activities:activity_qr_svg", "activities:activity:far", "get"): FAR_404,
    ("activities:activity_qr_png", "activities:activity:own", "get"): ALL_200,
    ("activities:activity_qr_png", "activities:activity:far", "get"): FAR_404,
    ("activities:activity_update", "activities:activity:own", "get"): RECORDERS,
    ("activities:activity_update", "activities:activity:own", "post"): RECORDERS,
    ("activities:activity_update", "activities:activity:far", "get"): FAR_RECORD,
    ("activities:activity_update", "activities:activity:far", "post"): FAR_RECORD,
    ("activities:activity_decide", "activities:activity:own", "post"): VERIFIERS_REDIRECT,
    ("activities:activity_decide", "activities:activity:far", "post"): FAR_RECORD_REDIRECT,
    ("activities:activity_from_booking", "activities:booking:own", "get"): RECORDERS,
    ("activities:activity_from_booking", "activities:booking:own", "post"): RECORDERS_REDIRECT,
    ("activities:activity_from_booking", "activities:booking:far", "get"): FAR_RECORD,
    ("activities:activity_from_booking", "activities:booking:far", "post"): FAR_RECORD_REDIRECT,
    ("activities:verification_queue", None, "get"): VERIFIERS,
    ("activities:mediation_list", None, "get"): ALL_200,
    ("activities:mediation_create", None, "get"): RECORDERS,
    ("activities:mediation_create", None, "post"): RECORDERS,
    ("activities:mediation_update", "activities:case:own", "get"): RECORDERS,
    ("activities:mediation_update", "activities:case:own", "post"): RECORDERS,
    ("activities:mediation_update", "activities:case:far", "get"): FAR_RECORD,
    ("activities:mediation_update", "activities:case:far", "post"): FAR_RECORD,
    ("activities:mediation_decide", "activities:case:own", "post"): VERIFIERS_REDIRECT,
    ("activities:mediation_decide", "activities:case:far", "post"): FAR_RECORD_REDIRECT,
    ("activities:organization_feedback", "activities:org:own", "get"): ALL_200,
    ("activities:organization_feedback", "activities:org:far", "get"): FAR_404,
    ("activities:phone_survey_create", "activities:org:own", "get"): VERIFIERS,
    ("activities:phone_survey_create", "activities:org:own", "post"): VERIFIERS,
    ("activities:phone_survey_create", "activities:org:far", "get"): FAR_RECORD,
    # The resident's rating page and its thank-you page: public, whoever asks.
    ("activities:feedback_public", "activities:token:far", "get"): ALL_200,
    ("activities:feedback_thanks", "activities:token:far", "get"): ALL_200,
}


# --- writes naming a community or an organisation (see WRITES in test_permission_matrix) ---


def _activity_data(county, community=None, organization=None) -> dict:
    return {
        "lead_organization": (organization or county.org_a1).pk,
        "kind": Activity.Kind.HEALTH_CLINIC,
        "title": "健康义诊",
        "start": days_ago(1).strftime("%Y-%m-%dT%H:%M"),
        "end": days_ago(1, hour=11).strftime("%Y-%m-%dT%H:%M"),
        "place": "社区卫生室",
        "community_served": community.pk if community else "",
        "participants": 10,
        "beneficiaries": 10,
        "volunteer_hours": "2",
        "help_cases": 0,
        "description": "",
    }


def _mediation_data(county, community=None, organization=None) -> dict:
    return {
        "organization": (organization or county.org_a1).pk,
        "occurred_on": days_ago(1).date().isoformat(),
        "kind": MediationCase.Kind.NEIGHBOUR,
        "parties_summary": "两户邻里漏水纠纷",
        "outcome": MediationCase.Outcome.RESOLVED,
        "community": community.pk if community else "",
    }


def _activities_serving(community_name):
    return lambda c: Activity.objects.filter(community_served=getattr(c, community_name)).count()


def _cases_in(community_name):
    return lambda c: MediationCase.objects.filter(community=getattr(c, community_name)).count()


def _co_organised_by(org_name):
    return lambda c: Activity.objects.filter(co_organizers=getattr(c, org_name)).count()


PAYLOADS = {
    "activity co-organised by another township's organisation": (
        lambda c: _activity_data(c) | {"co_organizers": [c.org_b1.pk]},
        _co_organised_by("org_b1"),
    ),
    "activity serving own community": (
        lambda c: _activity_data(c, c.community_a1),
        _activities_serving("community_a1"),
    ),
    "activity serving a community of the same township": (
        lambda c: _activity_data(c, c.community_a2),
        _activities_serving("community_a2"),
    ),
    "activity serving another township": (
        lambda c: _activity_data(c, c.community_b1),
        _activities_serving("community_b1"),
    ),
    "activity of another township's organisation": (
        lambda c: _activity_data(c, organization=c.org_b1),
        _activities_serving("community_b1"),
    ),
    "mediation in another community of the township": (
        lambda c: _mediation_data(c, c.community_a2),
        _cases_in("community_a2"),
    ),
    "mediation in another township": (
        lambda c: _mediation_data(c, c.community_b1),
        _cases_in("community_b1"),
    ),
    "mediation of another township's organisation": (
        lambda c: _mediation_data(c, organization=c.org_b1),
        _cases_in("community_b1"),
    ),
}

# (county_admin, township_staff, secretary, official, org_contact)
ANYWHERE = (302, 302, 302, 403, 302)
COUNTY_AND_TOWNSHIP = (302, 302, 200, 403, 200)
COUNTY_ONLY = (302, 200, 200, 403, 200)

WRITES = {
    ("activities:activity_create", None, "activity serving own community"): ANYWHERE,
    (
        "activities:activity_create",
        None,
        "activity co-organised by another township's organisation",
    ): COUNTY_ONLY,
    (
        "activities:activity_create",
        None,
        "activity serving a community of the same township",
    ): COUNTY_AND_TOWNSHIP,
    ("activities:activity_create", None, "activity serving another township"): COUNTY_ONLY,
    (
        "activities:activity_create",
        None,
        "activity of another township's organisation",
    ): COUNTY_ONLY,
    (
        "activities:activity_update",
        "activities:activity:own",
        "activity serving another township",
    ): COUNTY_ONLY,
    (
        "activities:mediation_create",
        None,
        "mediation in another community of the township",
    ): COUNTY_AND_TOWNSHIP,
    ("activities:mediation_create", None, "mediation in another township"): COUNTY_ONLY,
    (
        "activities:mediation_create",
        None,
        "mediation of another township's organisation",
    ): COUNTY_ONLY,
    (
        "activities:mediation_update",
        "activities:case:own",
        "mediation in another township",
    ): COUNTY_ONLY,
}
