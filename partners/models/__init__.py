"""Who our partners are: organizations, people, their jobs, contacts and expertise.

One module per aggregate, re-exported here so ``partners.models.Person`` and the migrations'
``partners.models.UUIDNaturalKeyMixin`` / ``name_key`` keep their names.
"""

from partners.models.base import UUIDNaturalKeyManager, UUIDNaturalKeyMixin
from partners.models.organizations import Organization
from partners.models.people import (
    Affiliation,
    ContactMethod,
    Person,
    PersonExpertise,
    PersonManager,
    PersonQuerySet,
    normalize_contact_value,
)
from partners.models.records import DistinctPair, ExportLog, ExportPurpose
from partners.models.taxonomy import ExpertiseArea, ExpertiseAreaManager, ExpertiseAreaQuerySet, Language
from partners.names import name_key

__all__ = [
    "Affiliation",
    "ContactMethod",
    "DistinctPair",
    "ExpertiseArea",
    "ExpertiseAreaManager",
    "ExpertiseAreaQuerySet",
    "ExportLog",
    "ExportPurpose",
    "Language",
    "Organization",
    "Person",
    "PersonExpertise",
    "PersonManager",
    "PersonQuerySet",
    "UUIDNaturalKeyManager",
    "UUIDNaturalKeyMixin",
    "name_key",
    "normalize_contact_value",
]
