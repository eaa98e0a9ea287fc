"""generate_demo_data: what it promises, reproducibly, and never over real data."""

import re

import phonenumbers
import pytest
from django.core.management import CommandError, call_command

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from devtools.demo.records import DEMO_MARK, TAXONOMY_SIZE, delete_demo_data, demo_people, demo_sizes, demo_source
from outreach.models import Interaction
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    Language,
    Organization,
    Person,
    PersonExpertise,
    normalize_contact_value,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def generate(people, seed=5, **options):
    call_command("generate_demo_data", people=people, seed=seed, no_progress=True, verbosity=0, **options)


def snapshot():
    """What a seed decides: names, contacts, jobs, expertise, events (not database ids)."""
    people = [
        (
            str(person.uuid),
            person.full_name,
            person.name_zh,
            person.country.code,
            person.sensitive,
            person.do_not_contact,
            sorted(f"{c.kind}:{c.value}" for c in person.contact_methods.all()),
            sorted(f"{a.organization.name}:{a.title}:{a.is_current}" for a in person.affiliations.all()),
            sorted(link.area.code for link in person.expertise_links.all()),
            sorted(language.code for language in person.languages.all()),
        )
        for person in demo_people()
        .order_by("uuid")
        .prefetch_related("contact_methods", "affiliations__organization", "expertise_links__area", "languages")
    ]
    events = sorted(Event.objects.values_list("uuid", "name", "start_date"))
    candidacies = sorted(Candidacy.objects.values_list("workshop__uuid", "person__uuid", "suitability", "status"))
    return people, events, candidacies


def test_generates_people_with_everything_they_promise():
    generate(300)

    people = list(demo_people().prefetch_related("affiliations", "contact_methods", "expertise_links"))
    assert len(people) == 300
    assert Organization.objects.count() == demo_sizes(300)["organizations"]
    assert ExpertiseArea.objects.count() == TAXONOMY_SIZE
    assert ExpertiseArea.objects.find_problems() == ([], [], [], [], [])
    for person in people:
        assert person.source == demo_source(5)
        assert LATIN.search(person.full_name), person.full_name
        assert [a.is_current for a in person.affiliations.all()].count(True) == 1
        assert 1 <= len({link.area_id for link in person.expertise_links.all()}) <= 6
    assert sum(1 for p in people if CJK.search(p.name_zh)) > 100
    assert all(not p.name_zh or CJK.search(p.name_zh) for p in people)
    assert sum(1 for p in people if len(p.affiliations.all()) > 1) > 50
    assert 0 < sum(p.sensitive for p in people) < 300 * 0.06
    assert 0 < sum(p.do_not_contact for p in people) < 300 * 0.1
    assert Organization.objects.filter(parent__isnull=False).exists()


def test_contact_details_are_valid_and_invented():
    generate(150)

    emails = list(ContactMethod.objects.filter(kind=ContactMethod.Kind.EMAIL).values_list("value", flat=True))
    phones = list(ContactMethod.objects.filter(kind=ContactMethod.Kind.PHONE).values_list("value", flat=True))
    assert len(emails) > 100 and len(phones) > 50
    assert all(re.fullmatch(r"[^@\s]+@example\.(org|com|net)", email) for email in emails)
    assert len(set(emails)) == len(emails)
    for phone in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
        assert normalize_contact_value(ContactMethod.Kind.PHONE, phone) == phone
    codes = set(Language.objects.values_list("code", flat=True))
    assert set(Person.languages.through.objects.values_list("language_id", flat=True)) <= codes


def test_events_sessions_appearances_and_workshops_hang_together():
    generate(300)

    conferences = Event.objects.conferences().filter(description__startswith=DEMO_MARK)
    assert conferences.count() == 2
    assert Session.objects.filter(event__in=conferences).count() >= 12
    spoken = PersonExpertise.objects.filter(appearance__isnull=False).select_related("appearance")
    assert spoken.exists()
    assert all(link.appearance.person_id == link.person_id for link in spoken)
    assert Appearance.objects.filter(person__isnull=True, organization__isnull=True).count() == 0
    workshops = list(Event.objects.workshops())
    assert len(workshops) == 2
    for workshop in workshops:
        assert workshop.themes.count() == 3
        assert workshop.candidacies.exists()
    assert Attendance.objects.count() >= 0
    # One interaction for every 25 people, each with a demo person, a fifth or so with a follow-up.
    interactions = Interaction.objects.all()
    assert interactions.count() == 300 // 25
    assert not interactions.exclude(person__source__startswith=DEMO_MARK).exists()
    assert all(i.officer_name and i.unit and i.summary for i in interactions)


def test_rows_pass_the_models_own_validation():
    generate(200)

    for model in (
        Person,
        Organization,
        Affiliation,
        ContactMethod,
        PersonExpertise,
        ExpertiseArea,
        Event,
        Session,
        Appearance,
        Candidacy,
        Interaction,
    ):
        for instance in model._default_manager.order_by("pk")[:150]:
            instance.full_clean()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(40, seed=9)
    first = snapshot()

    generate(40, seed=9)
    again = snapshot()
    generate(40, seed=10)
    other = snapshot()

    assert again == first
    assert other[0] != first[0]


def test_refuses_a_database_with_real_people_unless_forced():
    real = PersonFactory(full_name="Real Partner", source="report of 2022")

    with pytest.raises(CommandError, match="real data"):
        generate(20)
    assert Person.objects.count() == 1

    generate(20, force=True)
    assert demo_people().count() == 20
    generate(15, force=True)  # replaces the demo data row by row, around the real person
    assert demo_people().count() == 15
    assert list(Person.objects.exclude(source__startswith=DEMO_MARK)) == [real]
    assert not Interaction.objects.exclude(person__source__startswith=DEMO_MARK).exists()


def test_running_again_replaces_the_demo_data_and_delete_removes_it():
    generate(30)
    generate(20)
    assert demo_people().count() == 20
    assert ExpertiseArea.objects.count() == TAXONOMY_SIZE

    assert delete_demo_data() == 20
    assert Person.objects.count() == 0 and Interaction.objects.count() == 0
    assert Organization.objects.count() == 0
    assert Event.objects.count() == 0
    assert ExpertiseArea.objects.find_problems() == ([], [], [], [], [])
