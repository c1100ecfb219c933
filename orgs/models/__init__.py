from orgs.models.organizations import Category, Organization, OrganizationQuerySet
from orgs.models.oversight import AnnualInspection, CreditListing, Merge, ZombieFlag
from orgs.models.people import Membership, Person, PersonMerge

__all__ = [
    "AnnualInspection",
    "Category",
    "CreditListing",
    "Membership",
    "Merge",
    "Organization",
    "OrganizationQuerySet",
    "Person",
    "PersonMerge",
    "ZombieFlag",
]
