import factory

from areas.models import City, Community, County, Township


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}市")
    code = factory.Sequence(lambda n: f"{n % 90 + 10:02d}0100")


class CountyFactory(factory.django.DjangoModelFactory):
    """A county; townships made by TownshipFactory join the county their code names."""

    class Meta:
        model = County
        django_get_or_create = ("code",)

    name = factory.LazyAttribute(lambda o: "平安县" if o.code == "990101" else f"测试县{o.code}")
    code = "990101"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}街道")
    kind = Township.Kind.STREET
    # 100..999: nine digits whatever the session's sequence (PostgreSQL enforces the length).
    code = factory.Sequence(lambda n: f"990101{n % 900 + 100:03d}")
    # The county its code names (990101: the tests' county, 平安县).
    county = factory.LazyAttribute(lambda o: CountyFactory(code=o.code[:6]))


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}社区")
    kind = Community.Kind.COMMUNITY
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code}{n % 1000:03d}")
