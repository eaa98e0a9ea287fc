"""The demo data set: one seeded ``DemoBuilder`` writing each part in turn, and ``generate_demo_data``."""

import dataclasses
import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import translation
from django_countries import countries

from devtools.demo.bulk import BulkWriter
from devtools.demo.events import EventBuilder
from devtools.demo.interactions import InteractionBuilder
from devtools.demo.organizations import OrganizationBuilder
from devtools.demo.people import PeopleBuilder
from devtools.demo.records import TAXONOMY_SIZE, delete_demo_data, demo_sizes, demo_source
from devtools.demo.taxonomy import TaxonomyBuilder
from devtools.demo.vocabulary import COUNTRIES, FAKER_LOCALES
from partners.models import (
    Language,
)


@dataclasses.dataclass
class DemoSummary:
    seed: int
    areas: int = 0
    organizations: int = 0
    people: int = 0
    affiliations: int = 0
    contact_methods: int = 0
    person_languages: int = 0
    expertise_links: int = 0
    events: int = 0
    sessions: int = 0
    appearances: int = 0
    workshops: int = 0
    candidacies: int = 0
    interactions: int = 0

    def as_dict(self):
        return dataclasses.asdict(self)


@transaction.atomic
def generate_demo_data(*, people, seed=1, progress=None, taxonomy_size=TAXONOMY_SIZE):
    """Replace any demo data with ``people`` invented people and everything around them.

    ``progress`` is called with the number of people just written (for a
    progress bar). Returns a ``DemoSummary`` of what was written. Does not check
    for real data: the command does, before calling this.
    """
    delete_demo_data()
    builder = DemoBuilder(seed=seed, progress=progress)
    summary = builder.build(people=people, taxonomy_size=taxonomy_size)
    builder.writer.finish()
    return summary


class DemoBuilder(TaxonomyBuilder, OrganizationBuilder, EventBuilder, PeopleBuilder, InteractionBuilder):
    """Builds one demo data set; every random choice comes from one seeded generator."""

    def __init__(self, *, seed, progress=None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda count: None)
        self.writer = BulkWriter()
        self.mark = demo_source(seed)
        self.summary = DemoSummary(seed=seed)
        self.today = dt.date(2025, 6, 30)
        self.names = self.name_pools()
        self.language_codes = set(Language.objects.values_list("code", flat=True))
        with translation.override("zh-hant"):
            self.country_zh = {code: str(countries.name(code)) for code in COUNTRIES}
        self.country_codes = list(COUNTRIES)
        self.country_weights = [COUNTRIES[code][0] for code in self.country_codes]
        self.used_emails = set()

    # --- helpers ---

    def new_uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def name_pools(self):
        """First and last names per Faker locale, drawn once with the seed (Faker per row is slow)."""
        from faker import Faker

        pools = {}
        for locale in [*FAKER_LOCALES, "ja_JP", "zh_TW"]:
            fake = Faker(locale)
            fake.seed_instance(self.seed)
            if locale == "ja_JP":
                pools[locale] = {
                    "female": sorted({fake.first_name_female_pair() for _ in range(300)}),
                    "male": sorted({fake.first_name_male_pair() for _ in range(300)}),
                    "last": sorted({fake.last_name_pair() for _ in range(300)}),
                }
            elif locale == "zh_TW":
                pools[locale] = {
                    "company": sorted({fake.company() for _ in range(400)}),
                    "staff": sorted({fake.name() for _ in range(40)}),
                }
            else:
                pools[locale] = {
                    "female": sorted({fake.first_name_female() for _ in range(300)}),
                    "male": sorted({fake.first_name_male() for _ in range(300)}),
                    "last": sorted({fake.last_name() for _ in range(400)}),
                    "company": sorted({fake.company() for _ in range(200)}),
                }
        return pools

    def weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]

    def date_between(self, start, end):
        return start + dt.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    # --- the build ---

    def build(self, *, people, taxonomy_size):
        self.build_taxonomy(taxonomy_size)
        sizes = demo_sizes(people)
        self.build_organizations(sizes["organizations"])
        self.build_conferences(sizes["conferences"])
        self.build_people(people)
        self.build_workshops(sizes["workshops"])
        self.build_interactions()  # last: the earlier parts' random choices stay as they were
        return self.summary
