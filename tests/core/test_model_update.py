"""core.services.model_update: the one update sequence of the services."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from core.services import model_update
from tests.accounts.factories import UserFactory
from tests.areas.factories import TownshipFactory

pytestmark = pytest.mark.django_db


def test_a_change_is_saved_with_one_audit_row_naming_the_actor_and_the_change():
    township = TownshipFactory(name="城关街道")
    actor = UserFactory()
    changes = model_update(
        township, {"name": "城东街道"}, actor=actor, action="township.update", summary="x"
    )
    township.refresh_from_db()
    assert township.name == "城东街道"
    assert changes == {"name": ["城关街道", "城东街道"]}
    event = AuditEvent.objects.get(action="township.update")
    assert (event.actor, event.object_id, event.changes) == (actor, str(township.pk), changes)


def test_nothing_changed_writes_nothing():
    township = TownshipFactory(name="城关街道")
    changes = model_update(
        township, {"name": "城关街道"}, actor=UserFactory(), action="township.update"
    )
    assert changes == {}
    assert not AuditEvent.objects.exists()


def test_an_invalid_change_raises_and_saves_nothing():
    township = TownshipFactory(name="城关街道")
    seen = []
    with pytest.raises(ValidationError):
        model_update(
            township,
            {"name": "城东街道", "code": "12"},
            actor=UserFactory(),
            action="township.update",
            validate=seen.append,
        )
    assert seen == [township]
    township.refresh_from_db()
    assert township.name == "城关街道"
    assert not AuditEvent.objects.exists()


def test_describe_rewrites_what_the_audit_row_keeps():
    township = TownshipFactory(name="城关街道")
    model_update(
        township,
        {"name": "城东街道"},
        actor=UserFactory(),
        action="township.update",
        describe=lambda changes: {field: ["…", "…"] for field in changes},
    )
    assert AuditEvent.objects.get().changes == {"name": ["…", "…"]}
