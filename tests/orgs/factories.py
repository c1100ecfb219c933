import datetime

import factory

from core.identifiers import id_number_check_char
from orgs.models import Category, Membership, Organization, Person
from tests.areas.factories import CommunityFactory


def make_id_number(n: int, birth: datetime.date = datetime.date(1960, 5, 1)) -> str:
    """Build a valid GB 11643 ID number for the n-th test person."""
    first17 = f"990101{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "文体娱乐类"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社团{n}")
    community = factory.SubFactory(CommunityFactory)
    category = factory.SubFactory(CategoryFactory)
    founded_on = datetime.date(2015, 3, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"居民{n}")
    id_number = factory.Sequence(make_id_number)
    gender = Person.Gender.FEMALE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory)
    joined_on = datetime.date(2020, 1, 1)
