from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import ScopedQuerySet

CITY_CODE_INVALID = _(
    "A city code is the 6-digit statistical division code ending in 00, e.g. 990100."
)
COUNTY_CODE_INVALID = _("A county code is the 6-digit statistical division code, e.g. 990101.")
COUNTY_CODE_PREFIX = _("A county code must start with its city's code {code}.")
TOWNSHIP_CODE_PREFIX = _("A township code must start with its county's code {code}.")
TOWNSHIP_NAME_TAKEN = _("{county} already has a township named “{name}”.")
TOWNSHIP_CODE_INVALID = _("A township code is the 9-digit statistical division code.")
COMMUNITY_CODE_INVALID = _("A community code is the 12-digit statistical division code.")
COMMUNITY_CODE_PREFIX = _("A community code must start with its township's code {code}.")


class CityQuerySet(ScopedQuerySet):
    # Every role sees the city of its county (and staff of several counties, theirs).
    county_lookup = "counties"
    published = True
    editor_levels = frozenset()

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class City(models.Model):
    """A prefecture-level city (市) or autonomous prefecture (州): optional, above counties.

    An installation that serves one county needs none; a city's or a province's installation
    groups its counties under their cities.
    """

    class Kind(models.TextChoices):
        CITY = "city", pgettext_lazy("division kind", "City")
        PREFECTURE = "prefecture", pgettext_lazy("division kind", "Autonomous prefecture")

    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CITY)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{4}00$", CITY_CODE_INVALID)],
    )

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CountyQuerySet(ScopedQuerySet):
    # Every role sees its own county; staff of several counties see theirs.
    county_lookup = "pk"
    published = True
    editor_levels = frozenset()


class County(models.Model):
    """A county (县), county-level city (县级市) or district (区): the unit that runs the
    programme, with its own scheme, ranking and awards."""

    class Kind(models.TextChoices):
        COUNTY = "county", pgettext_lazy("division kind", "County")
        CITY = "city", pgettext_lazy("division kind", "County-level city")
        DISTRICT = "district", pgettext_lazy("division kind", "District")

    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counties",
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNTY)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", COUNTY_CODE_INVALID)],
    )

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="county_name_unique_in_city")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.city_id and self.code and not self.code.startswith(self.city.code[:4]):
            raise ValidationError({"code": COUNTY_CODE_PREFIX.format(code=self.city.code[:4])})


class TownshipQuerySet(ScopedQuerySet):
    township_lookup = "pk"
    county_lookup = "county"
    editor_levels = frozenset()

    def with_counts(self):
        """Annotate the number of communities and villages."""
        return self.annotate(community_count=models.Count("communities", distinct=True))


class Township(models.Model):
    """A street (街道) or township/town (乡镇) of a county."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWNSHIP = "township", _("Township or town")

    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships"
    )
    name = models.CharField(_("name"), max_length=50)
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
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="township_name_unique_in_county"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        nine_digits = bool(self.code) and len(self.code) == 9 and self.code.isdigit()
        if self.county_id and nine_digits and not self.code.startswith(self.county.code):
            raise ValidationError({"code": TOWNSHIP_CODE_PREFIX.format(code=self.county.code)})
        if self.county_id and self.name:
            taken = Township.objects.filter(county_id=self.county_id, name=self.name)
            if taken.exclude(pk=self.pk).exists():
                message = TOWNSHIP_NAME_TAKEN.format(county=self.county, name=self.name)
                raise ValidationError({"name": message})


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
