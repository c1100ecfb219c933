"""The overview's figures: each equals the total of the list its link opens, for the same user."""

import datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import VerificationStatus
from dashboards import selectors
from orgs.models import CreditListing, Organization, ZombieFlag
from tests.activities.factories import ActivityFactory, MediationCaseFactory
from tests.dashboards.factories import QuarterScoreFactory
from tests.orgs.factories import CategoryFactory, MembershipFactory, OrganizationFactory
from tests.party_branches.factories import BranchFactory
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory

# The overview reads the clock: every test runs at a fixed moment (mid-June, mid-morning local
# time), so that months to come, this month and last year are known.
MOMENT = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = MOMENT.date()
THIS_MONTH = TODAY.month


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(MOMENT, tick=True):
        yield


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def ledger(county):
    """A county with records of every kind in both townships."""
    culture = CategoryFactory(name="文体娱乐类")
    charity = CategoryFactory(name="公益慈善类")
    for organization in (county.org_a1, county.org_a2):
        organization.category = culture
        organization.save()
    county.org_b1.category = charity
    county.org_b1.save()
    OrganizationFactory(
        community=county.community_a2, category=charity, status=Organization.Status.SUSPECTED_ZOMBIE
    )
    flagged = OrganizationFactory(community=county.community_b1, category=charity)
    ZombieFlag.objects.create(organization=flagged, reasons=["无活动"], flagged_on=TODAY)
    OrganizationFactory(
        community=county.community_a1, category=culture, status=Organization.Status.DEREGISTERED
    )
    CreditListing.objects.create(
        organization=county.org_a1,
        list_kind=CreditListing.Kind.ABNORMAL,
        reason="年报未报",
        listed_on=TODAY - datetime.timedelta(days=10),
    )
    CreditListing.objects.create(
        organization=county.org_b1,
        list_kind=CreditListing.Kind.SERIOUS,
        reason="严重违法",
        listed_on=TODAY - datetime.timedelta(days=10),
    )
    for organization in (county.org_a1, county.org_a2, county.org_b1):
        MembershipFactory(organization=organization)
    BranchFactory(organizations=[county.org_a1], township=county.township_a)
    this_month = TODAY.replace(day=1)
    last_year = this_month.replace(year=TODAY.year - 1)
    for organization, count in ((county.org_a1, 3), (county.org_b1, 2)):
        for index in range(count):
            ActivityFactory(
                lead_organization=organization,
                start=at(this_month, 8 + index),
                status=VerificationStatus.VERIFIED,
                beneficiaries=10,
                volunteer_hours=2,
            )
    ActivityFactory(lead_organization=county.org_a1, start=at(this_month, 15))  # submitted
    ActivityFactory(
        lead_organization=county.org_a2, start=at(last_year), status=VerificationStatus.VERIFIED
    )
    MediationCaseFactory(
        organization=county.org_a1, occurred_on=this_month, status=VerificationStatus.VERIFIED
    )
    MediationCaseFactory(
        organization=county.org_b1, occurred_on=this_month, status=VerificationStatus.VERIFIED
    )
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    BookingFactory(
        room=RoomFactory(center=center),
        organization=county.org_a1,
        start=at(this_month, 9),
        end=at(this_month, 11),
    )
    return county


def list_total(client, url: str) -> int:
    """Follow a figure's link with the same user and read the list page's total count."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def figure_links(figures: dict) -> list[tuple[str, int, str]]:
    """(name, figure, link) of every counted figure whose list counts the same records."""
    organizations = figures["organizations"]
    pairs = [("organisations", organizations["total"], organizations["total_url"])]
    for group in ("by_category", "by_township", "by_status", "gone"):
        pairs += [
            (f"{group} {row['label']}", row["count"], row["url"])
            for row in organizations[group]
            if row["url"]
        ]
    pairs += [
        (f"coverage {row['key']}", row["count"], row["url"]) for row in figures["coverage"]["rows"]
    ]
    pairs += [(f"watch {row['key']}", row["count"], row["url"]) for row in figures["watch"]["rows"]]
    month = figures["monthly"]["months"][THIS_MONTH - 1]
    pairs += [
        ("activities this month", month["activities_this"], month["activities_url"]),
        ("activities a year ago", month["activities_last"], month["activities_last_url"]),
        ("mediations this month", month["mediations_this"], month["mediations_url"]),
        (
            "activities this year",
            figures["monthly"]["series"]["activities"]["this_total"],
            figures["monthly"]["year_activities_url"],
        ),
        (
            "mediations this year",
            figures["monthly"]["series"]["mediations"]["this_total"],
            figures["monthly"]["year_mediations_url"],
        ),
    ]
    return pairs


@pytest.mark.parametrize("persona", ["county_admin", "official"], indirect=True)
def test_every_county_figure_equals_the_total_of_the_list_it_links_to(persona, ledger, client_as):
    client = client_as(persona)

    figures = client.get(reverse("dashboards:overview")).context["figures"]

    pairs = figure_links(figures)
    assert len(pairs) > 20
    for name, figure, url in pairs:
        assert list_total(client, url) == figure, (name, url)


def test_township_figures_equal_their_lists_for_township_staff(township_staff, ledger, client_as):
    client = client_as(township_staff)

    response = client.get(reverse("dashboards:overview"))

    figures = response.context["figures"]
    assert response.context["township"] == ledger.township_a
    for name, figure, url in figure_links(figures):
        assert f"township={ledger.township_a.pk}" in url or "township" not in url
        assert list_total(client, url) == figure, (name, url)


def test_figures_count_what_was_recorded(county_admin, ledger, client_as):
    figures = client_as(county_admin).get(reverse("dashboards:overview")).context["figures"]

    organizations = figures["organizations"]
    # The deregistered organisation is not counted in the headline, the categories or the
    # townships; it is shown apart.
    assert organizations["total"] == 5
    assert {row["label"]: row["count"] for row in organizations["by_category"]} == {
        "文体娱乐类": 2,
        "公益慈善类": 3,
    }
    assert {row["label"]: row["count"] for row in organizations["by_township"]} == {
        "城关街道": 3,
        "青山镇": 2,
    }
    assert {row["key"]: row["count"] for row in organizations["gone"]} == {
        "merged": 0,
        "deregistered": 1,
        "revoked": 0,
    }
    # Every organisation once: the flagged one counts as a suspected zombie, not as normal.
    assert {row["key"]: row["count"] for row in organizations["by_status"]} == {
        "normal": 3,
        "zombie": 2,
        "merged": 0,
        "deregistered": 1,
        "revoked": 0,
    }
    month = figures["monthly"]["months"][THIS_MONTH - 1]
    assert (month["activities_this"], month["beneficiaries_this"], month["hours_this"]) == (
        5,
        50,
        10.0,
    )
    assert month["activities_last"] == 1
    assert month["mediations_this"] == 2
    watch = {row["key"]: row["count"] for row in figures["watch"]["rows"]}
    assert watch == {"abnormal": 1, "serious": 1, "either": 2, "zombie": 2}
    assert figures["members"]["count"] == 3
    coverage = {row["key"]: row["count"] for row in figures["coverage"]["rows"]}
    assert coverage["with_branch"] == 1
    assert [row["booked_hours"] for row in figures["utilisation"]["rows"]] == [2.0]


def test_county_admin_picks_a_township_and_sees_only_its_figures(county_admin, ledger, client_as):
    client = client_as(county_admin)

    response = client.get(reverse("dashboards:overview"), {"township": ledger.township_b.pk})

    assert response.status_code == 302
    page = client.get(response.url)
    figures = page.context["figures"]
    assert page.context["township"] == ledger.township_b
    assert figures["organizations"]["total"] == 2
    assert figures["monthly"]["months"][THIS_MONTH - 1]["activities_this"] == 2


def test_township_staff_cannot_open_another_townships_view(township_staff, ledger, client_as):
    response = client_as(township_staff).get(
        reverse("dashboards:township_overview", kwargs={"pk": ledger.township_b.pk})
    )

    assert response.status_code == 404


def test_an_earlier_year_compares_with_the_year_before_it(county_admin, ledger, client_as):
    client = client_as(county_admin)

    response = client.get(reverse("dashboards:overview"), {"year": TODAY.year - 1})

    monthly = response.context["figures"]["monthly"]
    assert (monthly["year"], monthly["last_year"]) == (TODAY.year - 1, TODAY.year - 2)
    assert monthly["months"][THIS_MONTH - 1]["activities_this"] == 1
    assert response.context["figures"]["ranking"]["quarter"] == f"{TODAY.year - 1}年第四季度"


def test_top_ten_and_movers_come_from_the_quarter_scores(county_admin, county, client_as):
    # given twelve ranked scores, two of which moved a lot since last quarter
    scores = [
        QuarterScoreFactory(
            organization=OrganizationFactory(community=county.community_a1),
            total=100 - rank,
            rank_county=rank,
            previous_rank_county=rank,
        )
        for rank in range(1, 13)
    ]
    scores[0].previous_rank_county = 9  # up 8
    scores[0].save()
    scores[10].previous_rank_county = 2  # down 9
    scores[10].save()
    QuarterScoreFactory(ranked=False, rank_county=None, total=200)

    ranking = (
        client_as(county_admin).get(reverse("dashboards:overview")).context["figures"]["ranking"]
    )

    assert [row["rank"] for row in ranking["top"]] == list(range(1, 11))
    assert [(row["rank"], row["change"]) for row in ranking["risers"]] == [(1, 8)]
    assert [(row["rank"], row["change"]) for row in ranking["fallers"]] == [(11, -9)]


def test_overview_runs_a_bounded_number_of_queries(
    county_admin, ledger, client_as, django_assert_max_num_queries
):
    # given many more records of every kind
    for index in range(30):
        organization = OrganizationFactory(community=ledger.community_b1)
        ActivityFactory(
            lead_organization=organization,
            start=at(TODAY.replace(day=1), 8),
            status=VerificationStatus.VERIFIED,
        )
        QuarterScoreFactory(
            organization=organization, rank_county=index + 1, previous_rank_county=30 - index
        )
        ServiceCenterFactory(community=ledger.community_b1, name=f"服务站{index}")
    client = client_as(county_admin)

    with override_settings(DASHBOARD_CACHE_SECONDS=0), django_assert_max_num_queries(30):
        response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 200


def test_figures_are_cached_briefly_per_scope_and_filters(
    county_admin, township_staff, ledger, client_as, django_assert_max_num_queries
):
    client = client_as(county_admin)
    first = client.get(reverse("dashboards:overview")).context["figures"]
    OrganizationFactory(community=ledger.community_a1)

    with django_assert_max_num_queries(8):
        again = client.get(reverse("dashboards:overview")).context["figures"]

    assert again["organizations"]["total"] == first["organizations"]["total"]
    # another scope or filter is computed afresh
    township = client_as(township_staff).get(reverse("dashboards:overview")).context["figures"]
    assert township["organizations"]["total"] == 4


def test_excel_download_holds_the_figures_as_literal_text(county_admin, ledger, client_as):
    ledger.org_a1.category.name = "=HYPERLINK(1)"
    ledger.org_a1.category.save()

    response = client_as(county_admin).get(reverse("dashboards:overview_xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="overview-county-')
    workbook = load_workbook(BytesIO(response.content))
    # One sheet per table of the page, in its order.
    assert len(workbook.sheetnames) == 10
    assert workbook.sheetnames[1] == "按类别"
    categories = workbook.worksheets[1]
    rows = list(categories.iter_rows(values_only=True))
    assert ["=HYPERLINK(1)", 2] in [list(row) for row in rows]
    hostile = next(row for row in categories.iter_rows() if row[0].value == "=HYPERLINK(1)")
    assert hostile[0].data_type == "s" and hostile[0].quotePrefix  # text, never a formula
    assert isinstance(hostile[1].value, int)  # counts stay numbers
    assert categories["A2"].value.startswith("截至 ") and "全县" in categories["A2"].value
    assert categories.cell(row=1, column=1).font.bold


def test_township_staff_download_is_limited_to_their_township(township_staff, ledger, client_as):
    response = client_as(township_staff).get(
        reverse("dashboards:overview_xlsx"), {"township": ledger.township_b.pk}
    )

    assert response.status_code == 200
    assert ledger.township_a.code in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["secretary", "org_contact"], indirect=True)
def test_community_roles_get_no_overview(persona, client_as):
    assert client_as(persona).get(reverse("dashboards:overview")).status_code == 403


def test_links_are_relative_list_urls():
    url = selectors.link("orgs:organization_list", township=3, category=None, status="")
    assert urlsplit(url).path == reverse("orgs:organization_list")
    assert urlsplit(url).query == "township=3"


def test_the_periodic_job_warms_the_county_overview_so_officials_render_from_cache(
    official, ledger, client_as, django_assert_max_num_queries, settings
):
    from dashboards.tasks import warm_overview

    assert "dashboards-warm-overview" in settings.CELERY_BEAT_SCHEDULE
    assert warm_overview() is True  # the task body (a worker runs it in production)
    warmed = Organization.objects.active().count()
    OrganizationFactory(community=ledger.community_a1)  # after the warm-up: not yet counted

    figures = client_as(official).get(reverse("dashboards:overview")).context["figures"]

    assert figures["organizations"]["total"] == warmed


def test_months_to_come_and_before_the_ledger_are_left_out_never_zero(
    county_admin, ledger, client_as
):
    response = client_as(county_admin).get(reverse("dashboards:overview"))
    figures, charts = response.context["figures"], response.context["charts"]

    activities = figures["monthly"]["series"]["activities"]
    # This year: January to June happened (the records start in June last year); July to
    # December have not come yet.
    assert activities["this"] == [0, 0, 0, 0, 0, 5, None, None, None, None, None, None]
    # Last year: the ledger's first verified activity is of June; before it, no data.
    assert activities["last"] == [None, None, None, None, None, 1, 0, 0, 0, 0, 0, 0]
    mediations = figures["monthly"]["series"]["mediations"]
    assert mediations["this"] == [None] * 5 + [2] + [None] * 6
    assert mediations["last"] == [None] * 12
    assert charts["activities"]["datasets"][0]["data"][6:] == [None] * 6
    assert charts["hours"]["datasets"][1]["data"][:5] == [None] * 5
    # The table shows a dash, not a 0, and the year's figures still count every record.
    table = response.content.decode().split('data-testid="table-monthly"')[1].split("</table>")[0]
    december = table.split("<tr>")[-1].split("<td")
    assert "12月" in december[1]
    assert "—" in december[2] and ">0<" in december[3]  # December 2026 to come; 2025 had none
    assert (activities["this_total"], activities["last_total"]) == (5, 1)


def test_headline_counts_active_organisations_and_shows_the_others_apart(
    county_admin, ledger, client_as
):
    OrganizationFactory(
        community=ledger.community_a1, status=Organization.Status.MERGED, merged_into=ledger.org_a1
    )
    client = client_as(county_admin)

    response = client.get(reverse("dashboards:overview"))
    figures = response.context["figures"]["organizations"]

    assert figures["total"] == Organization.objects.active().count() == 5
    gone = {row["key"]: row for row in figures["gone"]}
    assert (gone["merged"]["count"], gone["deregistered"]["count"]) == (1, 1)
    for row in gone.values():
        assert list_total(client, row["url"]) == row["count"]
    assert list_total(client, figures["total_url"]) == 5
    page = response.content.decode()
    assert "存续社会组织" in page and "不计入：" in page


def test_the_status_charts_suspected_zombies_are_the_zombie_watchs(county_admin, ledger, client_as):
    # A merged organisation with a flag left open is gone, not a suspected zombie.
    merged = OrganizationFactory(
        community=ledger.community_a1, status=Organization.Status.MERGED, merged_into=ledger.org_a1
    )
    ZombieFlag.objects.create(organization=merged, reasons=["无活动"], flagged_on=TODAY)
    client = client_as(county_admin)

    figures = client.get(reverse("dashboards:overview")).context["figures"]

    status = {row["key"]: row for row in figures["organizations"]["by_status"]}
    watch = {row["key"]: row["count"] for row in figures["watch"]["rows"]}
    assert status["zombie"]["count"] == watch["zombie"] == 2
    assert list_total(client, status["zombie"]["url"]) == 2
    assert list_total(client, status["normal"]["url"]) == status["normal"]["count"] == 3
    assert sum(row["count"] for row in status.values()) == Organization.objects.count()


def test_count_charts_step_by_whole_numbers(county_admin, ledger, client_as):
    charts = client_as(county_admin).get(reverse("dashboards:overview")).context["charts"]

    counted = ("category", "township", "status", "coverage", "watch", "activities", "mediations")
    assert all(charts[name]["integer"] for name in counted)
    assert not charts["hours"]["integer"]
    assert (
        "precision: 0"
        in (Path(__file__).parents[2] / "dashboards/static/dashboards/overview.js").read_text()
    )


def test_beyond_the_shown_rows_the_page_lists_the_largest_and_the_workbook_all(
    county_admin, ledger, client_as, monkeypatch
):
    """A province-sized ledger has 1,400 townships and 4,620 centres: the page shows the first."""
    from dashboards import views

    for index in range(3):
        ServiceCenterFactory(township=ledger.township_b, name=f"第{index}服务中心")
    monkeypatch.setattr(views, "SHOWN_ROWS", 1)
    client = client_as(county_admin)

    response = client.get(reverse("dashboards:overview"))

    html = response.content.decode()
    figures = response.context["figures"]
    shown = response.context["shown"]
    by_township = figures["organizations"]["by_township"]
    assert len(by_township) == 2  # the figures (and the cache) keep every row
    # The one shown is the township with the most organisations, in the table and the chart.
    largest = max(by_township, key=lambda row: row["count"])
    assert shown["townships"] == [largest]
    assert response.context["charts"]["township"]["labels"] == [str(largest["label"])]
    assert "township-rows-shown" in html and "此处列出其中组织最多的 1 个" in html
    assert (
        len(shown["centres"]) == 1 < shown["centres_total"] == len(figures["utilisation"]["rows"])
    )
    assert "centre-rows-shown" in html
    # The workbook lists every township.
    workbook = load_workbook(BytesIO(client.get(reverse("dashboards:overview_xlsx")).content))
    sheet = next(sheet for sheet in workbook.worksheets if sheet.title.startswith("按街道"))
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {str(row["label"]) for row in by_township} <= names


def test_within_the_shown_rows_every_township_shows_in_code_order(county_admin, ledger, client_as):
    response = client_as(county_admin).get(reverse("dashboards:overview"))

    shown = response.context["shown"]
    assert shown["townships"] == response.context["figures"]["organizations"]["by_township"]
    assert "township-rows-shown" not in response.content.decode()
