import factory

from areas.models import Community, Township


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}街道")
    kind = Township.Kind.STREET
    # 100..999: nine digits whatever the session's sequence (PostgreSQL enforces the length).
    code = factory.Sequence(lambda n: f"990101{n % 900 + 100:03d}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}社区")
    kind = Community.Kind.COMMUNITY
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code}{n % 1000:03d}")
