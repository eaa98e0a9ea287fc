"""Demo people: names in their scripts, contact details, jobs, languages and expertise."""

import dataclasses
import datetime as dt

import phonenumbers

from conference.models import Appearance
from devtools.demo.records import PEOPLE_PER_CHUNK
from devtools.demo.vocabulary import COUNTRIES, TITLES, ZH_GIVEN, ZH_SURNAMES, ascii_slug, transliterate
from partners.models import (
    Affiliation,
    ContactMethod,
    Person,
    PersonExpertise,
)


@dataclasses.dataclass
class PersonPlan:
    person: Person
    affiliations: list = dataclasses.field(default_factory=list)
    contacts: list = dataclasses.field(default_factory=list)
    languages: list = dataclasses.field(default_factory=list)
    appearances: list = dataclasses.field(default_factory=list)
    areas: list = dataclasses.field(default_factory=list)
    expertise: list = dataclasses.field(default_factory=list)


class PeopleBuilder:
    """``DemoBuilder``'s part that writes people and everything that hangs off them."""

    def person_name(self, country):
        """(full name, given, family, Chinese name, honorific) in the style of ``country``."""
        rng = self.rng
        style = COUNTRIES[country][1]
        if style == "mixed":
            style = rng.choice(["en_US", "en_GB", "fr_FR", "en_IN", "es_MX"])
        gender = rng.choice(["female", "male"])
        honorific = rng.choice(["Dr.", "Prof.", "", ""] + (["Ms."] * 3 if gender == "female" else ["Mr."] * 3))
        if style == "zh":
            surname, surname_latin = rng.choice(ZH_SURNAMES)
            first, first_latin = rng.choice(ZH_GIVEN[gender])
            second, second_latin = rng.choice(ZH_GIVEN[gender])
            given = f"{first_latin}-{second_latin.lower()}"
            return f"{given} {surname_latin}", given, surname_latin, f"{surname}{first}{second}", honorific
        if style == "ja_JP":
            pools = self.names["ja_JP"]
            last_kanji, _kana, last = rng.choice(pools["last"])
            first_kanji, _kana, first = rng.choice(pools[gender])
            return f"{first} {last}", first, last, f"{last_kanji}{first_kanji}", honorific
        pools = self.names[style]
        given = rng.choice(pools[gender])
        family = rng.choice(pools["last"])
        if style == "vi_VN":
            middle = "Thị" if gender == "female" else "Văn"
            full_name = f"{family} {middle} {given}"
        elif style == "es_MX" and rng.random() < 0.5:
            family = f"{family} {rng.choice(pools['last'])}"
            full_name = f"{given} {family}"
        else:
            full_name = f"{given} {family}"
        name_zh = ""
        if rng.random() < 0.65:
            name_zh = f"{transliterate(given)}·{transliterate(family.split()[0])}"
        return full_name, given, family, name_zh, honorific

    def email(self, given, family, domain):
        local = f"{ascii_slug(given)}.{ascii_slug(family)}".replace("-", "")
        address = f"{local}@{domain}"
        number = 1
        while address in self.used_emails:
            number += 1
            address = f"{local}{number}@{domain}"
        self.used_emails.add(address)
        return address

    def phone(self, country):
        """A valid E.164 number for ``country``: libphonenumber's example with other last digits."""
        kind = self.rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
        example = phonenumbers.example_number_for_type(country, kind) or phonenumbers.example_number(country)
        national = str(example.national_number)
        for _ in range(6):
            candidate = phonenumbers.PhoneNumber(
                country_code=example.country_code,
                national_number=int(national[:-3] + f"{self.rng.randrange(1000):03d}"),
                italian_leading_zero=example.italian_leading_zero,
            )
            if phonenumbers.is_valid_number(candidate):
                return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    def build_people(self, count):
        self.person_pks = []
        self.people_by_area = {}
        done = 0
        while done < count:
            size = min(PEOPLE_PER_CHUNK, count - done)
            self.build_people_chunk(done, size)
            done += size
            self.progress(size)

    def build_people_chunk(self, offset, size):
        """Plan ``size`` people with everything they hold, then insert them table by table."""
        plans = [self.plan_person() for _ in range(size)]
        self.writer.insert([plan.person for plan in plans])

        affiliations, contacts, languages, appearances = [], [], [], []
        for plan in plans:
            person = plan.person
            self.person_pks.append(person.pk)
            for affiliation in plan.affiliations:
                affiliation.person_id = person.pk
                affiliations.append(affiliation)
            for contact in plan.contacts:
                contact.person_id = person.pk
                contacts.append(contact)
            for code in plan.languages:
                languages.append(Person.languages.through(person_id=person.pk, language_id=code))
            for appearance in plan.appearances:
                appearance.person_id = person.pk
                appearances.append(appearance)
            for position in plan.areas:
                self.people_by_area.setdefault(position, []).append(len(self.person_pks) - 1)
        self.writer.insert(affiliations)
        self.writer.insert(contacts)
        self.writer.insert(languages)
        self.writer.insert(appearances)
        expertise = []
        for plan in plans:
            for position, appearance in plan.expertise:
                expertise.append(
                    PersonExpertise(
                        uuid=self.new_uuid(),
                        person_id=plan.person.pk,
                        area=self.areas[position],
                        appearance_id=appearance.pk if appearance else None,
                        note="" if appearance else "Noted by a desk officer from the person's published work.",
                    )
                )
        self.writer.insert(expertise)
        self.summary.people += len(plans)
        self.summary.affiliations += len(affiliations)
        self.summary.contact_methods += len(contacts)
        self.summary.person_languages += len(languages)
        self.summary.appearances += len(appearances)
        self.summary.expertise_links += len(expertise)

    def plan_person(self):
        """One person and their jobs, contacts, languages, appearances and expertise (not yet saved)."""
        rng = self.rng
        country = rng.choices(self.country_codes, self.country_weights)[0]
        full_name, given, family, name_zh, honorific = self.person_name(country)
        branch = rng.choices(range(len(self.roots)), self.branch_weights)[0]
        consent = self.weighted([("unknown", 60), ("given", 35), ("refused", 3), ("withdrawn", 2)])
        person = Person(
            uuid=self.new_uuid(),
            full_name=full_name,
            given_name=given,
            family_name=family,
            name_zh=name_zh,
            honorific=honorific,
            country=country,
            source=self.mark,
            last_confirmed=self.date_between(dt.date(2018, 1, 1), self.today) if rng.random() < 0.6 else None,
            consent=consent,
            do_not_contact=consent in ("refused", "withdrawn") or rng.random() < 0.01,
            sensitive=rng.random() < 0.02,
        )
        person.refresh_name_keys()  # the BulkWriter writes every column, past Person.save
        plan = PersonPlan(person=person)

        # Jobs over time, the last one current.
        jobs = self.weighted([(1, 45), (2, 35), (3, 15), (4, 5)])
        start = self.date_between(dt.date(1995, 1, 1), dt.date(2012, 1, 1))
        local = self.organizations_by_country.get(country)
        for job in range(jobs):
            if local and rng.random() < 0.8:
                organization = self.organizations[rng.choice(local)]
            else:
                organization = self.organizations[rng.choice(self.organizations_abroad)]
            title, title_zh = rng.choice(TITLES)
            is_current = job == jobs - 1
            end = None if is_current else min(self.today, start + dt.timedelta(days=rng.randint(400, 3000)))
            plan.affiliations.append(
                Affiliation(
                    uuid=self.new_uuid(),
                    organization=organization,
                    title=title,
                    title_zh=title_zh,
                    start_date=start,
                    end_date=end,
                    is_current=is_current,
                )
            )
            if not is_current:
                start = min(self.today, end + dt.timedelta(days=rng.randint(1, 200)))
        title, organization = plan.affiliations[-1].title, plan.affiliations[-1].organization

        contacts = []
        if rng.random() < 0.95:
            domain = rng.choice(["example.org", "example.com", "example.net"])
            contacts.append(("email", self.email(given, family, domain), "work", True))
            if rng.random() < 0.3:
                contacts.append(("email", self.email(given, family, "example.com"), "personal", False))
        if rng.random() < 0.7:
            contacts.append(("phone", self.phone(country), "office", True))
            if rng.random() < 0.25:
                second = self.phone(country)
                if second != contacts[-1][1]:
                    contacts.append(("phone", second, "mobile", False))
        if rng.random() < 0.1:
            contacts.append(("website", f"https://www.example.org/people/{ascii_slug(full_name)}", "", True))
        plan.contacts = [
            ContactMethod(
                uuid=self.new_uuid(),
                kind=kind,
                value=value,
                label=label,
                is_primary=is_primary,
                source="demo data",
                last_confirmed=person.last_confirmed,
            )
            for kind, value, label, is_primary in contacts
        ]

        others = COUNTRIES[country][2]
        spoken = ["en"] if rng.random() < 0.85 or not others else []
        spoken += [code for code in others if rng.random() < 0.6]
        plan.languages = [code for code in dict.fromkeys(spoken or others[:1]) if code in self.language_codes]

        # Expertise: some from sessions where the person spoke, the rest from notes.
        wanted = rng.randint(1, 6)
        held = {}
        sessions = self.sessions_by_branch.get(branch) or []
        if sessions and rng.random() < 0.25:
            chosen = rng.sample(sessions, min(len(sessions), self.weighted([(1, 70), (2, 20), (3, 10)])))
            for order, (session, topics) in enumerate(chosen):
                if person.sensitive:
                    role = Appearance.Role.SURVIVOR_SPEAKER
                else:
                    role = self.weighted(
                        [
                            (Appearance.Role.SPEAKER, 60),
                            (Appearance.Role.PANELIST, 25),
                            (Appearance.Role.MODERATOR, 10),
                            (Appearance.Role.PRESENTER, 5),
                        ]
                    )
                appearance = Appearance(
                    uuid=self.new_uuid(),
                    session=session,
                    organization=organization,
                    role=role,
                    affiliation_as_printed=f"{title}, {organization.name}",
                    order=order,
                )
                plan.appearances.append(appearance)
                held.setdefault(rng.choice(topics), []).append(appearance)
        for position in self.pick_areas(branch, max(0, wanted - len(held))):
            held.setdefault(position, []).append(None)
        plan.areas = list(held)
        plan.expertise = [(position, appearance) for position, evidence in held.items() for appearance in evidence]
        names = "; ".join(self.areas[position].name for position in plan.areas[:3])
        person.bio = f"{title} at {organization.name}. Works on {names}."
        return plan
