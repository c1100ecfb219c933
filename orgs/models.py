from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class OrganizationQuerySet(ScopedQuerySet):
    township_lookup = "community__township"
    community_lookup = "community"
    organization_lookup = "pk"


class Organization(models.Model):
    """A community social organisation in the e-ledger (电子台账).

    The foundation holds only what accounts need; the ledger issue adds the full record.
    """

    class Status(models.TextChoices):
        NORMAL = "normal", _("Normal")
        MERGED = "merged", _("Merged")
        DEREGISTERED = "deregistered", _("Deregistered")
        REVOKED = "revoked", _("Revoked")
        SUSPECTED_ZOMBIE = "zombie", _("Suspected zombie")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NORMAL
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
