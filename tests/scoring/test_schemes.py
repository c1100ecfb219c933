"""The scheme editor: one form for caps, weights and every rule, saved in one transaction."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent
from scoring.models import Rule, Scheme
from scoring.services import schemes as services
from tests.scoring.factories import ScoringQuarterFactory, scheme_of

URL = reverse("scoring:scheme")


def _post_data(current, **changes):
    """The editor's POST as the page renders it, with some fields changed."""
    data = {
        "year": current.year,
        "name": current.name,
        "prior_weight": current.prior_weight,
        "awards_per_category": current.awards_per_category,
        **{field: getattr(current, field) for field in services.DEFAULT_CAPS},
        "rules-TOTAL_FORMS": current.rules.count(),
        "rules-INITIAL_FORMS": current.rules.count(),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for index, rule in enumerate(current.rules.order_by("pk")):
        data[f"rules-{index}-id"] = rule.pk
        data[f"rules-{index}-points"] = rule.points
        data[f"rules-{index}-per"] = rule.per
        data[f"rules-{index}-cap"] = "" if rule.cap is None else rule.cap
        if rule.enabled:
            data[f"rules-{index}-enabled"] = "on"
        for key, value in changes.get(rule.code, {}).items():
            if key == "enabled" and not value:
                data.pop(f"rules-{index}-enabled", None)
            else:
                data[f"rules-{index}-{key}"] = value
    data.update(changes.get("scheme", {}))
    return data


def test_county_admin_saves_caps_and_rules_in_one_version(county, client_as, county_admin):
    scheme = scheme_of(2026)

    response = client_as(county_admin).post(
        URL,
        _post_data(
            scheme,
            scheme={"activity_cap": "30"},
            activity_led={"points": "6"},
            no_show={"enabled": False},
        ),
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.version == 2
    assert scheme.activity_cap == Decimal(30)
    assert scheme.updated_by == county_admin
    assert scheme.rules.get(code="activity_led").points == Decimal(6)
    assert scheme.rules.get(code="no_show").enabled is False
    event = AuditEvent.objects.get(action="scoring.scheme_update")
    assert event.changes == {
        "activity_cap": ["25", "30"],
        "activity_led.points": ["5", "6"],
        "no_show.enabled": [True, False],
    }


def test_saving_without_changes_keeps_the_version(county, client_as, county_admin):
    scheme = scheme_of(2026)

    client_as(county_admin).post(URL, _post_data(scheme))

    scheme.refresh_from_db()
    assert scheme.version == 1
    assert not AuditEvent.objects.filter(action="scoring.scheme_update").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"abnormal_list": {"points": "5"}}, services.DEDUCTION_POSITIVE),
        ({"activity_led": {"points": "-1"}}, services.POINTS_NEGATIVE),
        ({"satisfaction": {"points": "30"}}, None),
        ({"scheme": {"bonus_cap": "-1"}}, services.CAP_NEGATIVE),
    ],
)
def test_invalid_scheme_is_refused_and_nothing_is_saved(
    changes, message, county, client_as, county_admin
):
    scheme = scheme_of(2026)
    before = list(Rule.objects.order_by("pk").values_list("points", "cap", "enabled"))

    response = client_as(county_admin).post(URL, _post_data(scheme, **changes))

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    if message:
        assert str(message) in page
    assert list(Rule.objects.order_by("pk").values_list("points", "cap", "enabled")) == before
    scheme.refresh_from_db()
    assert scheme.version == 1


def test_satisfaction_points_over_its_cap_are_refused_by_the_service(county, county_admin):
    scheme = scheme_of(2026)

    with pytest.raises(ValidationError) as error:
        services.update_scheme(
            actor=county_admin,
            scheme=scheme,
            values={"satisfaction_cap": Decimal(20)},
            rules={"satisfaction": {"points": Decimal(25)}},
        )

    assert "satisfaction.points" in error.value.message_dict
    scheme.refresh_from_db()
    assert scheme.satisfaction_cap == Decimal(25)


def test_an_error_half_way_leaves_the_scheme_as_it_was(county, county_admin, monkeypatch):
    scheme = scheme_of(2026)

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.update_scheme(
            actor=county_admin,
            scheme=scheme,
            values={"activity_cap": Decimal(40)},
            rules={"activity_led": {"points": Decimal(8)}},
        )

    scheme.refresh_from_db()
    assert (scheme.version, scheme.activity_cap) == (1, Decimal(25))
    assert scheme.rules.get(code="activity_led").points == Decimal(5)


@pytest.mark.parametrize("persona", ["township_staff", "official"], indirect=True)
def test_overview_roles_read_the_scheme_without_a_save_button(persona, client_as):
    scheme_of(2026)

    response = client_as(persona).get(URL, {"year": 2026})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="rules-table"' in page
    assert 'data-testid="save"' not in page
    assert "disabled" in page


def test_township_staff_cannot_change_the_scheme(county, township_staff, client_as):
    scheme = scheme_of(2026)

    response = client_as(township_staff).post(URL, _post_data(scheme, activity_led={"points": "9"}))

    assert response.status_code == 403
    assert scheme.rules.get(code="activity_led").points == Decimal(5)
    with pytest.raises(PermissionDenied):
        services.update_scheme(actor=township_staff, scheme=scheme, values={}, rules={})


def test_page_notes_that_finalised_quarters_keep_their_rules(county, client_as, county_admin):
    scheme_of(2026)
    ScoringQuarterFactory(year=2026, quarter=1, state="finalized")

    page = client_as(county_admin).get(URL, {"year": 2026}).content.decode()

    assert 'data-testid="snapshot-note"' in page
    assert "2026年第一季度" in page


def test_next_years_scheme_is_created_from_this_years(county, client_as, county_admin):
    scheme = scheme_of(2026)
    services.update_scheme(
        actor=county_admin, scheme=scheme, values={}, rules={"activity_led": {"points": 7}}
    )

    response = client_as(county_admin).post(reverse("scoring:scheme_create"), {"year": 2027})

    assert response.status_code == 302
    created = Scheme.objects.get(year=2027)
    assert created.rules.get(code="activity_led").points == Decimal(7)
    assert created.rules.count() == scheme.rules.count()
    assert AuditEvent.objects.filter(action="scoring.scheme_create").count() == 1


def test_year_without_a_scheme_offers_to_create_it(county, client_as, county_admin):
    page = client_as(county_admin).get(URL, {"year": 2031}).content.decode()

    assert 'data-testid="no-scheme"' in page
    assert 'data-testid="scheme-create"' in page
