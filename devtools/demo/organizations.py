"""Demo organizations: agencies, NGOs and others, with their parents and focus areas."""

from devtools.demo.vocabulary import (
    CITIES,
    CITY_ORGANIZATIONS,
    FAMILY_ORGANIZATIONS,
    GOVERNMENT_BODIES,
    GOVERNMENT_UNITS,
    INTERNATIONAL_BODIES,
    ORGANIZATION_KINDS,
    ascii_slug,
    transliterate,
)
from partners.models import (
    Organization,
)


class OrganizationBuilder:
    """``DemoBuilder``'s part that writes organizations."""

    def build_organizations(self, count):
        rng = self.rng
        organizations, by_key = [], {}

        def add(name, name_zh, kind, country, acronym="", parent=None):
            key = (name.lower(), country)
            if key in by_key:
                return None
            organization = Organization(
                uuid=self.new_uuid(),
                name=name,
                name_zh=name_zh,
                acronym=acronym,
                kind=kind,
                country=country,
                website=f"https://www.{ascii_slug(acronym or name)[:40].strip('-')}.example.org/",
                notes=self.mark,
            )
            organizations.append((organization, parent))
            by_key[key] = organization
            return organization

        def add_unique(name, name_zh, kind, country, **extra):
            suffix = 1
            while add(name if suffix == 1 else f"{name} {suffix}", name_zh, kind, country, **extra) is None:
                suffix += 1

        heads = {}
        for name, name_zh, acronym, country in INTERNATIONAL_BODIES:
            heads[acronym] = add(name, name_zh, "international", country, acronym=acronym)
        while len(organizations) < count:
            kind = self.weighted(ORGANIZATION_KINDS)
            city, city_zh, country, _zone = rng.choice(CITIES)
            country_zh = self.country_zh.get(country, "")
            if kind == "international":
                _name, name_zh, acronym, _home = rng.choice(INTERNATIONAL_BODIES)
                add_unique(
                    f"{acronym} Office in {city}", f"{name_zh}{city_zh}辦事處", kind, country, parent=heads[acronym]
                )
            elif kind == "government":
                body, body_zh, acronym = rng.choice(GOVERNMENT_BODIES)
                head = add(body, f"{country_zh}{body_zh}", kind, country, acronym=acronym)
                if head is None:
                    head = by_key[(body.lower(), country)]
                    unit, unit_zh = rng.choice(GOVERNMENT_UNITS)
                    add_unique(f"{unit}, {body}", f"{country_zh}{body_zh}{unit_zh}", kind, country, parent=head)
            elif kind == "private":
                if country == "TW":
                    company = rng.choice(self.names["zh_TW"]["company"])
                    add_unique(company, company, kind, country)
                else:
                    add_unique(rng.choice(self.names["en_US"]["company"]), "", kind, country)
            elif rng.random() < 0.6:
                name, name_zh = rng.choice(CITY_ORGANIZATIONS[kind])
                add_unique(name.format(city=city), name_zh.format(city_zh=city_zh), kind, country)
            else:
                surname = rng.choice(self.names["en_US"]["last"])
                name, name_zh = rng.choice(FAMILY_ORGANIZATIONS[kind])
                add_unique(
                    name.format(surname=surname), name_zh.format(surname_zh=transliterate(surname)), kind, country
                )
        for organization, _parent in organizations:
            if not organization.acronym and organization.kind in ("ngo", "network", "legal_aid"):
                initials = "".join(word[0] for word in organization.name.split() if word[:1].isupper())
                organization.acronym = initials if 2 <= len(initials) <= 6 else ""
        # Parents first, so children can point at saved rows.
        self.writer.insert([o for o, parent in organizations if parent is None])
        children = []
        for organization, parent in organizations:
            if parent is not None:
                organization.parent_id = parent.pk
                children.append(organization)
        self.writer.insert(children)
        self.organizations = [o for o, _parent in organizations]
        self.organizations_by_country = {}
        for position, organization in enumerate(self.organizations):
            self.organizations_by_country.setdefault(organization.country, []).append(position)
        # A name several countries share ("Ministry of Labour") only identifies an organization
        # together with the person's country (as the contact sheet's import reads it), so people
        # work abroad only for organizations whose name is unique.
        names = {}
        for organization in self.organizations:
            names[organization.name.lower()] = names.get(organization.name.lower(), 0) + 1
        self.organizations_abroad = [
            position for position, o in enumerate(self.organizations) if names[o.name.lower()] == 1
        ]
        through = Organization.focus_areas.through
        links = []
        for organization in self.organizations:
            for position in self.pick_areas(rng.randrange(len(self.roots)), rng.randint(1, 3)):
                links.append(through(organization_id=organization.pk, expertisearea_id=self.areas[position].pk))
        self.writer.insert(links)
        self.summary.organizations = len(self.organizations)
