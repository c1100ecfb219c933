import factory

from orgs.models import Organization
from tests.areas.factories import CommunityFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社团{n}")
    community = factory.SubFactory(CommunityFactory)
