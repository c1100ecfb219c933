"""Annual inspections, credit listings and the zombie watch: services, task, command, pages."""

import datetime
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import VerificationStatus
from core.models import AuditEvent
from orgs.models import AnnualInspection, CreditListing, Organization, ZombieFlag
from orgs.services import oversight
from orgs.services.oversight import (
    CREDIT_ALREADY_REMOVED_MESSAGE,
    CREDIT_ALREADY_SERIOUS_MESSAGE,
    CREDIT_EXPIRED_REASON,
    CREDIT_LISTED_BEFORE_CURRENT_MESSAGE,
    CREDIT_LISTED_FUTURE_MESSAGE,
    CREDIT_REASON_REQUIRED_MESSAGE,
    CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE,
    CREDIT_REMOVED_BEFORE_LISTED_MESSAGE,
    CREDIT_SUPERSEDED_REASON,
    INSPECTION_DATE_FUTURE_MESSAGE,
    INSPECTION_DUPLICATE_MESSAGE,
    INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE,
    INSPECTION_YEAR_FUTURE_MESSAGE,
    ZOMBIE_ALREADY_RESOLVED_MESSAGE,
    ZOMBIE_NOTE_REQUIRED_MESSAGE,
    ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION,
    ZOMBIE_REASON_NO_MEMBERS,
    ZOMBIE_REASON_NO_RECENT_ACTIVITY,
    ZOMBIE_REASON_NOT_INSPECTED,
    credit_listing_add,
    credit_listing_remove,
    credit_listings_expire,
    in_ledger_language,
    inspection_record,
    no_activity_reasons,
    zombie_resolve,
    zombie_scan,
)
from orgs.tasks import expire_credit_listings, scan_zombies
from tests.activities.factories import ActivityFactory
from tests.orgs.factories import MembershipFactory, OrganizationFactory

ABNORMAL = CreditListing.Kind.ABNORMAL
SERIOUS = CreditListing.Kind.SERIOUS
SCAN_DAY = date(2025, 3, 1)  # the two most recent completed years are 2023 and 2024


def today() -> date:
    return timezone.localdate()


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


# --- Annual inspections ----------------------------------------------------------------------


def test_township_staff_records_an_inspection_in_their_township(county, township_staff):
    inspection = inspection_record(
        actor=township_staff,
        organization=county.org_a2,
        year=2024,
        conclusion=AnnualInspection.Conclusion.PASSED,
        inspected_on=date(2025, 4, 1),
        notes="　材料齐全 ",
    )

    assert (inspection.year, inspection.notes, inspection.recorded_by) == (
        2024,
        "材料齐全",
        township_staff,
    )
    assert AuditEvent.objects.get(action="inspection.record").object_id == str(inspection.pk)


@pytest.mark.parametrize(
    ("persona", "organization"),
    [
        ("township_staff", "org_b1"),
        ("secretary", "org_a1"),
        ("org_contact", "org_a1"),
        ("official", "org_a1"),
    ],
    indirect=["persona"],
)
def test_inspections_are_recorded_only_by_the_county_and_the_own_township(
    persona, organization, county
):
    with pytest.raises(PermissionDenied):
        inspection_record(
            actor=persona,
            organization=getattr(county, organization),
            year=2024,
            conclusion=AnnualInspection.Conclusion.PASSED,
        )


def test_an_organisation_has_one_inspection_per_year(county, county_admin):
    kwargs = {"actor": county_admin, "organization": county.org_a1, "year": 2024}
    inspection_record(conclusion=AnnualInspection.Conclusion.PASSED, **kwargs)

    errors = errors_of(inspection_record, conclusion=AnnualInspection.Conclusion.FAILED, **kwargs)

    assert errors["year"] == [
        str(INSPECTION_DUPLICATE_MESSAGE) % {"name": "幸福社区书画协会", "year": 2024}
    ]


@pytest.mark.parametrize(
    ("year", "inspected_on", "field", "message"),
    [
        ("next", None, "year", str(INSPECTION_YEAR_FUTURE_MESSAGE)),
        (2014, None, "year", str(INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE) % {"year": 2015}),
        (2024, "tomorrow", "inspected_on", str(INSPECTION_DATE_FUTURE_MESSAGE)),
    ],
)
def test_inspection_dates_are_checked(county, county_admin, year, inspected_on, field, message):
    # org_a1 was founded on 2015-03-01 (factory default)
    errors = errors_of(
        inspection_record,
        actor=county_admin,
        organization=county.org_a1,
        year=today().year + 1 if year == "next" else year,
        conclusion=AnnualInspection.Conclusion.PASSED,
        inspected_on=today() + timedelta(days=1) if inspected_on else None,
    )

    assert errors[field] == [message]


def test_an_inspection_of_the_founding_year_and_of_this_year_is_accepted(county, county_admin):
    for year in (2015, today().year):
        inspection_record(
            actor=county_admin,
            organization=county.org_a1,
            year=year,
            conclusion=AnnualInspection.Conclusion.PASSED,
            inspected_on=today(),
        )

    assert county.org_a1.inspections.count() == 2


# --- Credit listings -------------------------------------------------------------------------


def add_listing(actor, organization, listed_on, *, kind=ABNORMAL, rectify=False, reason="年报未报"):
    return credit_listing_add(
        actor=actor,
        organization=organization,
        list_kind=kind,
        reason=reason,
        listed_on=listed_on,
        needs_rectification=rectify,
    )


def test_the_county_admin_puts_an_organisation_on_a_list(county, county_admin):
    listing = add_listing(county_admin, county.org_a1, date(2025, 1, 10), reason=" 住所无法联系 ")

    assert (listing.reason, listing.listed_by) == ("住所无法联系", county_admin)
    assert AuditEvent.objects.filter(action="credit_listing.add").count() == 1


@pytest.mark.parametrize(
    "persona", ["township_staff", "secretary", "official", "org_contact"], indirect=True
)
def test_only_the_county_admin_lists_and_delists(persona, county, county_admin):
    listing = add_listing(county_admin, county.org_a1, date(2025, 1, 10))

    with pytest.raises(PermissionDenied):
        add_listing(persona, county.org_a1, date(2025, 2, 10))
    with pytest.raises(PermissionDenied):
        credit_listing_remove(
            actor=persona, listing=listing, removed_on=date(2025, 2, 1), reason="已整改"
        )


def test_a_listing_needs_a_reason_and_a_date_not_in_the_future(county, county_admin):
    errors = errors_of(
        credit_listing_add,
        actor=county_admin,
        organization=county.org_a1,
        list_kind=ABNORMAL,
        reason="  ",
        listed_on=today() + timedelta(days=1),
    )

    assert errors["reason"] == [str(CREDIT_REASON_REQUIRED_MESSAGE)]
    assert errors["listed_on"] == [str(CREDIT_LISTED_FUTURE_MESSAGE)]


def test_a_new_abnormal_listing_supersedes_the_one_in_force(county, county_admin):
    # Given an abnormal listing in force
    older = add_listing(county_admin, county.org_a1, date(2025, 1, 10))

    # When a new listable event is listed three months later
    newer = add_listing(county_admin, county.org_a1, date(2025, 4, 10), reason="未按规定成立党组织")

    # Then the older one ends the day the new one starts, and the 6 months restart
    older.refresh_from_db()
    assert older.removed_on == date(2025, 4, 10)
    assert older.removal_reason == in_ledger_language(CREDIT_SUPERSEDED_REASON)
    assert older.removed_by == county_admin
    assert newer.removed_on is None
    active = CreditListing.objects.active_on(date(2025, 8, 1)).filter(organization=county.org_a1)
    assert list(active) == [newer]


def test_a_new_listing_closes_a_forgotten_expired_one_at_its_6_months(county, county_admin):
    older = add_listing(county_admin, county.org_a1, date(2024, 1, 10))

    add_listing(county_admin, county.org_a1, date(2024, 9, 1))

    older.refresh_from_db()
    assert older.removed_on == date(2024, 7, 10)
    assert older.removal_reason == in_ledger_language(CREDIT_EXPIRED_REASON)


def test_a_new_listing_cannot_start_before_the_one_in_force(county, county_admin):
    add_listing(county_admin, county.org_a1, date(2025, 3, 1))

    errors = errors_of(
        add_listing, actor=county_admin, organization=county.org_a1, listed_on=date(2025, 2, 1)
    )

    assert errors["listed_on"] == [
        str(CREDIT_LISTED_BEFORE_CURRENT_MESSAGE) % {"listed_on": "2025-03-01"}
    ]


def test_an_organisation_is_put_on_the_serious_list_once(county, county_admin):
    add_listing(county_admin, county.org_a1, date(2025, 3, 1), kind=SERIOUS)

    errors = errors_of(
        add_listing,
        actor=county_admin,
        organization=county.org_a1,
        listed_on=date(2025, 4, 1),
        kind=SERIOUS,
    )

    assert errors["list_kind"] == [
        str(CREDIT_ALREADY_SERIOUS_MESSAGE) % {"name": "幸福社区书画协会"}
    ]


def test_removing_a_listing_records_the_day_and_the_reason(county, county_admin):
    listing = add_listing(county_admin, county.org_a1, date(2025, 1, 10), rectify=True)

    credit_listing_remove(
        actor=county_admin, listing=listing, removed_on=date(2025, 1, 10), reason="已整改 "
    )

    listing.refresh_from_db()
    assert (listing.removed_on, listing.removal_reason, listing.removed_by) == (
        date(2025, 1, 10),
        "已整改",
        county_admin,
    )


def test_a_removal_needs_a_reason_a_date_after_listing_and_an_open_listing(county, county_admin):
    listing = add_listing(county_admin, county.org_a1, date(2025, 1, 10), rectify=True)

    errors = errors_of(
        credit_listing_remove,
        actor=county_admin,
        listing=listing,
        removed_on=date(2025, 1, 9),
        reason="",
    )
    credit_listing_remove(
        actor=county_admin, listing=listing, removed_on=date(2025, 2, 1), reason="已整改"
    )
    again = errors_of(
        credit_listing_remove,
        actor=county_admin,
        listing=listing,
        removed_on=date(2025, 3, 1),
        reason="重复",
    )

    assert errors["reason"] == [str(CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE)]
    assert errors["removed_on"] == [
        str(CREDIT_REMOVED_BEFORE_LISTED_MESSAGE) % {"listed_on": "2025-01-10"}
    ]
    assert again["__all__"] == [str(CREDIT_ALREADY_REMOVED_MESSAGE) % {"removed_on": "2025-02-01"}]


@pytest.mark.parametrize(
    ("listed_on", "day_before", "end_day"),
    [
        (date(2024, 1, 10), date(2024, 7, 9), date(2024, 7, 10)),
        (date(2024, 8, 31), date(2025, 2, 27), date(2025, 2, 28)),
    ],
)
def test_abnormal_listings_expire_on_the_day_their_6_months_end(
    county, county_admin, listed_on, day_before, end_day
):
    expiring = add_listing(county_admin, county.org_a1, listed_on)
    to_rectify = add_listing(county_admin, county.org_a2, listed_on, rectify=True)
    serious = add_listing(county_admin, county.org_b1, listed_on, kind=SERIOUS)

    assert credit_listings_expire(on=day_before) == 0
    assert credit_listings_expire(on=end_day) == 1
    assert credit_listings_expire(on=end_day) == 0

    expiring.refresh_from_db()
    assert expiring.removed_on == end_day
    assert expiring.removal_reason == in_ledger_language(CREDIT_EXPIRED_REASON)
    assert expiring.removed_by is None
    for untouched in (to_rectify, serious):
        untouched.refresh_from_db()
        assert untouched.removed_on is None


def test_the_nightly_task_expires_listings(county, county_admin):
    add_listing(county_admin, county.org_a1, date(2024, 1, 10))

    assert expire_credit_listings.delay(on="2024-07-10").get() == 1


# --- Zombie watch ----------------------------------------------------------------------------


def inspect(organization, year, conclusion=AnnualInspection.Conclusion.PASSED):
    return AnnualInspection.objects.create(
        organization=organization, year=year, conclusion=conclusion
    )


def not_inspected_reason() -> str:
    return in_ledger_language(ZOMBIE_REASON_NOT_INSPECTED, first=2023, second=2024)


def no_members_reason() -> str:
    return in_ledger_language(ZOMBIE_REASON_NO_MEMBERS)


@pytest.mark.usefixtures("without_activity_criteria")
def test_the_scan_flags_organisations_without_inspections_or_members(county):
    # Given A1 alive (members, inspected in 2024), A2 with members but not inspected (2023
    # "did not take part"), B1 with neither, and a merged organisation with neither
    MembershipFactory(organization=county.org_a1)
    inspect(county.org_a1, 2024)
    MembershipFactory(organization=county.org_a2)
    inspect(county.org_a2, 2023, AnnualInspection.Conclusion.NOT_INSPECTED)
    OrganizationFactory(
        community=county.community_a1,
        status=Organization.Status.MERGED,
        merged_into=county.org_a1,
    )

    created = zombie_scan(on=SCAN_DAY)

    flags = {flag.organization: flag.reasons for flag in ZombieFlag.objects.all()}
    assert created == 2
    assert flags == {
        county.org_a2: [not_inspected_reason()],
        county.org_b1: [not_inspected_reason(), no_members_reason()],
    }
    assert ZombieFlag.objects.get(organization=county.org_b1).flagged_on == SCAN_DAY


def test_a_young_organisation_is_not_flagged_for_missing_inspections(county):
    young = OrganizationFactory(community=county.community_a1, founded_on=date(2024, 5, 1))
    MembershipFactory(organization=young)

    zombie_scan(on=SCAN_DAY)

    assert not ZombieFlag.objects.filter(organization=young).exists()


@pytest.mark.usefixtures("without_activity_criteria")
def test_a_second_scan_keeps_one_open_flag_and_refreshes_its_reasons(county):
    MembershipFactory(organization=county.org_a1)
    zombie_scan(on=SCAN_DAY)
    MembershipFactory(organization=county.org_b1)

    created = zombie_scan(on=SCAN_DAY + timedelta(days=1))

    assert created == 0
    flag = ZombieFlag.objects.get(organization=county.org_b1)
    assert flag.reasons == [not_inspected_reason()]
    assert flag.flagged_on == SCAN_DAY


@pytest.mark.usefixtures("without_activity_criteria")
def test_a_cleared_flag_comes_back_only_with_a_new_reason(county, county_admin):
    for organization in (county.org_a1, county.org_a2, county.org_b1):
        MembershipFactory(organization=organization)
    zombie_scan(on=SCAN_DAY)
    flag = ZombieFlag.objects.get(organization=county.org_b1)
    zombie_resolve(actor=county_admin, flag=flag, action="clear", note="年检材料在补交中")

    zombie_scan(on=SCAN_DAY + timedelta(days=1))
    assert not ZombieFlag.objects.filter(organization=county.org_b1, state="open").exists()

    county.org_b1.memberships.update(left_on=date(2025, 2, 1))
    zombie_scan(on=SCAN_DAY + timedelta(days=2))
    reflagged = ZombieFlag.objects.get(organization=county.org_b1, state="open")
    assert reflagged.reasons == [not_inspected_reason(), no_members_reason()]


@pytest.fixture
def without_activity_criteria(monkeypatch):
    """Look at inspections and members only (the activity criteria have their own tests)."""
    monkeypatch.setattr(
        oversight.zombies, "no_activity_reasons", lambda *, organization_ids, on: {}
    )


def verified_activity(organization, on: date):
    start = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    return ActivityFactory(
        lead_organization=organization,
        start=start,
        end=start + timedelta(hours=2),
        status=VerificationStatus.VERIFIED,
    )


@pytest.mark.parametrize(
    ("registered_on", "activities", "expected"),
    [
        # registered over a year ago, never a verified activity
        (date(2023, 6, 1), [], [ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION]),
        # only a submitted (unverified) one does not count
        (
            date(2023, 6, 1),
            [("submitted", date(2025, 2, 1))],
            [ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION],
        ),
        # the last verified activity is more than two quarters old
        (date(2023, 6, 1), [("verified", date(2024, 8, 1))], [ZOMBIE_REASON_NO_RECENT_ACTIVITY]),
        # a verified activity within two quarters: nothing
        (date(2023, 6, 1), [("verified", date(2024, 12, 1))], []),
        # registered less than a year ago without activity: still in its first year
        (date(2024, 6, 1), [], []),
    ],
)
def test_activity_criteria_of_the_zombie_watch(county, registered_on, activities, expected):
    organization = county.org_a1
    organization.registered_on = registered_on
    organization.founded_on = registered_on
    organization.save()
    for status, day in activities:
        activity = verified_activity(organization, day)
        if status != "verified":
            activity.status = VerificationStatus.SUBMITTED
            activity.save()

    reasons = no_activity_reasons(organization_ids=[organization.pk], on=SCAN_DAY)

    assert reasons.get(organization.pk, []) == [str(reason) for reason in expected]


def test_activity_reasons_join_the_scan(county):
    # given three inspected organisations with members, registered in 2023; two were active
    for organization in (county.org_a1, county.org_a2, county.org_b1):
        organization.registered_on = organization.founded_on = date(2023, 6, 1)
        organization.save()
        MembershipFactory(organization=organization)
        inspect(organization, 2024)
    verified_activity(county.org_a2, date(2025, 1, 10))
    verified_activity(county.org_b1, date(2025, 1, 10))

    zombie_scan(on=SCAN_DAY)

    flag = ZombieFlag.objects.get()
    assert flag.organization == county.org_a1
    assert flag.reasons == [str(ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION)]


@pytest.mark.usefixtures("without_activity_criteria")
def test_the_scan_runs_a_bounded_number_of_queries(county, django_assert_max_num_queries):
    OrganizationFactory.create_batch(30, community=county.community_a2)

    with django_assert_max_num_queries(8):
        created = zombie_scan(on=SCAN_DAY)

    assert created == 33


@pytest.mark.usefixtures("without_activity_criteria")
def test_the_command_and_the_task_run_the_scan(county, capsys):
    call_command("scan_zombies", "--on", "2025-03-01")
    assert ZombieFlag.objects.count() == 3
    assert "2025-03-01" in capsys.readouterr().out

    OrganizationFactory(community=county.community_a1)
    assert scan_zombies.delay(on="2025-03-02").get() == 1


@pytest.fixture
def open_flags(county):
    return {
        name: ZombieFlag.objects.create(
            organization=getattr(county, name), reasons=["无成员"], flagged_on=SCAN_DAY
        )
        for name in ("org_a1", "org_a2", "org_b1")
    }


def test_confirming_a_flag_marks_the_organisation_as_a_suspected_zombie(
    county, township_staff, open_flags
):
    flag = zombie_resolve(
        actor=township_staff, flag=open_flags["org_a2"], action="confirm", note="多次联系无果"
    )

    organization = Organization.objects.get(pk=county.org_a2.pk)
    assert organization.status == Organization.Status.SUSPECTED_ZOMBIE
    assert organization.status_changed_on == today()
    history = organization.history.first()
    assert (history.status, history.history_user) == ("zombie", township_staff)
    assert (flag.state, flag.resolved_by, flag.resolved_on, flag.note) == (
        ZombieFlag.State.CONFIRMED,
        township_staff,
        today(),
        "多次联系无果",
    )
    assert AuditEvent.objects.filter(action="organization.status").count() == 1
    assert AuditEvent.objects.filter(action="zombie_flag.confirm").count() == 1


def test_clearing_a_flag_leaves_the_organisation_as_it_was(county, county_admin, open_flags):
    flag = zombie_resolve(
        actor=county_admin, flag=open_flags["org_b1"], action="clear", note="活动正常"
    )

    assert flag.state == ZombieFlag.State.CLEARED
    assert Organization.objects.get(pk=county.org_b1.pk).status == Organization.Status.NORMAL
    assert county.org_b1.history.count() == 1


@pytest.mark.parametrize(
    ("persona", "flag"),
    [
        ("township_staff", "org_b1"),
        ("secretary", "org_a1"),
        ("org_contact", "org_a1"),
        ("official", "org_a1"),
    ],
    indirect=["persona"],
)
def test_flags_are_resolved_by_the_county_and_the_own_township(persona, flag, open_flags):
    with pytest.raises(PermissionDenied):
        zombie_resolve(actor=persona, flag=open_flags[flag], action="clear", note="活动正常")


def test_resolving_needs_a_note_and_an_open_flag(county_admin, open_flags):
    flag = open_flags["org_a1"]

    errors = errors_of(zombie_resolve, actor=county_admin, flag=flag, action="clear", note=" ")
    zombie_resolve(actor=county_admin, flag=flag, action="clear", note="活动正常")
    again = errors_of(zombie_resolve, actor=county_admin, flag=flag, action="confirm", note="x")

    assert errors["note"] == [str(ZOMBIE_NOTE_REQUIRED_MESSAGE)]
    assert again["__all__"] == [str(ZOMBIE_ALREADY_RESOLVED_MESSAGE)]


# --- Pages -----------------------------------------------------------------------------------


def test_the_organisation_page_shows_inspections_listings_and_the_serious_list_proposal(
    county, county_admin, client
):
    # Given an inspection, a listing in force for more than two years and a past listing
    inspect(county.org_a1, 2024, AnnualInspection.Conclusion.BASICALLY_PASSED)
    past = add_listing(county_admin, county.org_a1, date(2020, 1, 10))
    long_running = add_listing(
        county_admin, county.org_a1, today() - timedelta(days=800), rectify=True
    )
    client.force_login(county_admin)

    response = client.get(reverse("orgs:organization_detail", kwargs={"pk": county.org_a1.pk}))

    page = response.content.decode()
    assert [row["listing"] for row in response.context["credit_listings_in_force"]] == [
        long_running
    ]
    assert [row["listing"] for row in response.context["credit_listings_past"]] == [past]
    assert response.context["serious_list_proposed"]
    assert 'data-testid="serious-list-proposed"' in page
    assert [inspection.year for inspection in response.context["inspections"]] == [2024]
    assert reverse("orgs:credit_listing_remove", kwargs={"pk": long_running.pk}) in page
    assert reverse("orgs:inspection_add", kwargs={"org_pk": county.org_a1.pk}) in page


def test_the_organisation_page_offers_no_credit_buttons_to_township_staff(
    county, county_admin, township_staff, client
):
    add_listing(county_admin, county.org_a1, date(2025, 1, 10), rectify=True)
    client.force_login(township_staff)

    response = client.get(reverse("orgs:organization_detail", kwargs={"pk": county.org_a1.pk}))

    page = response.content.decode()
    assert response.context["can_record_inspection"]
    assert not response.context["can_add_credit_listing"]
    assert 'data-testid="add-credit-listing"' not in page
    assert "/credit/" not in page


def test_township_staff_records_an_inspection_through_the_form(county, township_staff, client):
    client.force_login(township_staff)
    url = reverse("orgs:inspection_add", kwargs={"org_pk": county.org_a1.pk})
    data = {"year": "2024", "conclusion": "passed", "inspected_on": "2025-03-15", "notes": ""}

    first = client.post(url, data)
    duplicate = client.post(url, data)

    assert first.status_code == 302
    assert first.url == (
        reverse("orgs:organization_detail", kwargs={"pk": county.org_a1.pk}) + "#oversight"
    )
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["year"] == [
        str(INSPECTION_DUPLICATE_MESSAGE) % {"name": "幸福社区书画协会", "year": 2024}
    ]


def test_the_county_admin_lists_and_delists_through_the_forms(county, county_admin, client):
    client.force_login(county_admin)

    added = client.post(
        reverse("orgs:credit_listing_add", kwargs={"org_pk": county.org_a2.pk}),
        {"list_kind": "abnormal", "reason": "年报未报", "listed_on": "2025-01-10"},
    )
    listing = CreditListing.objects.get(organization=county.org_a2)
    refused = client.post(
        reverse("orgs:credit_listing_remove", kwargs={"pk": listing.pk}),
        {"removed_on": "2025-01-01", "reason": "已整改"},
    )
    removed = client.post(
        reverse("orgs:credit_listing_remove", kwargs={"pk": listing.pk}),
        {"removed_on": "2025-02-01", "reason": "已整改"},
    )

    assert added.status_code == 302
    assert refused.context["form"].errors["removed_on"] == [
        str(CREDIT_REMOVED_BEFORE_LISTED_MESSAGE) % {"listed_on": "2025-01-10"}
    ]
    assert removed.status_code == 302
    listing.refresh_from_db()
    assert listing.removed_on == date(2025, 2, 1)


def test_township_staff_gets_404_for_an_organisation_of_another_township(
    county, township_staff, client
):
    client.force_login(township_staff)

    response = client.get(reverse("orgs:inspection_add", kwargs={"org_pk": county.org_b1.pk}))

    assert response.status_code == 404


def test_the_zombie_list_shows_the_users_area_only(county, township_staff, open_flags, client):
    client.force_login(township_staff)

    response = client.get(reverse("orgs:zombie_list"))

    assert {flag.organization for flag in response.context["page"]} == {
        county.org_a1,
        county.org_a2,
    }
    assert response.context["resolvable_ids"] == {
        open_flags["org_a1"].pk,
        open_flags["org_a2"].pk,
    }


def test_the_zombie_list_runs_a_bounded_number_of_queries(
    county, county_admin, client, django_assert_max_num_queries
):
    for organization in OrganizationFactory.create_batch(30, community=county.community_b1):
        ZombieFlag.objects.create(
            organization=organization, reasons=["无成员"], flagged_on=SCAN_DAY
        )
    client.force_login(county_admin)

    # session, user, count, page, resolvable ids, and the session save (3)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orgs:zombie_list"))

    assert response.context["page"].paginator.count == 30


def test_staff_confirm_a_flag_from_the_list(county, township_staff, open_flags, client):
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:zombie_resolve", kwargs={"pk": open_flags["org_a1"].pk}),
        {"action": "confirm", "note": "多次联系无果"},
    )

    assert response.status_code == 302
    assert response.url == reverse("orgs:zombie_list")
    assert Organization.objects.get(pk=county.org_a1.pk).status == "zombie"


def test_a_resolution_without_a_note_changes_nothing(county, county_admin, open_flags, client):
    client.force_login(county_admin)

    client.post(
        reverse("orgs:zombie_resolve", kwargs={"pk": open_flags["org_a1"].pk}),
        {"action": "confirm", "note": ""},
    )

    assert ZombieFlag.objects.get(pk=open_flags["org_a1"].pk).state == ZombieFlag.State.OPEN
    assert Organization.objects.get(pk=county.org_a1.pk).status == "normal"
