from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

TOWNSHIP_CODE_INVALID = _("A township code is the 9-digit statistical division code.")
COMMUNITY_CODE_INVALID = _("A community code is the 12-digit statistical division code.")
COMMUNITY_CODE_PREFIX = _("A community code must start with its township's code {code}.")


class TownshipQuerySet(ScopedQuerySet):
    township_lookup = "pk"
    editor_levels = frozenset()

    def with_counts(self):
        """Annotate the number of communities and villages."""
        return self.annotate(community_count=models.Count("communities", distinct=True))


class Township(models.Model):
    """A street (街道) or township/town (乡镇) of the county."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWNSHIP = "township", _("Township or town")

    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("division code"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", TOWNSHIP_CODE_INVALID)],
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(ScopedQuerySet):
    township_lookup = "township"
    community_lookup = "pk"
    editor_levels = frozenset()

    def with_township(self):
        return self.select_related("township")


class Community(models.Model):
    """A community (社区) or village (村): the smallest area of the registry."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", COMMUNITY_CODE_INVALID)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"], name="community_name_unique_in_township"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.township_id and self.code and not self.code.startswith(self.township.code):
            raise ValidationError({"code": COMMUNITY_CODE_PREFIX.format(code=self.township.code)})
