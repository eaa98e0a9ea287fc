"""Factories for tests. Names and contact details here are invented test data, never real people."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    Organization,
    Person,
    PersonExpertise,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    is_staff = True
    password = factory.django.Password("correct-horse-battery")


def make_area(name, parent=None, name_zh="", code=None):
    """Add an expertise area to the tree (treebeard needs add_root/add_child)."""
    code = code or name.lower().replace(" ", "-")
    fields = {"name": name, "name_zh": name_zh, "code": code}
    if parent is None:
        return ExpertiseArea.objects.add_root(fields)
    parent.refresh_from_db()
    return ExpertiseArea.objects.add_child(parent, fields)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Test Organization {n}")
    name_zh = factory.Sequence(lambda n: f"測試組織{n}")
    kind = Organization.Kind.NGO
    country = "US"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    full_name = factory.LazyAttribute(lambda p: f"{p.given_name} {p.family_name}")
    name_zh = factory.Sequence(lambda n: f"測試人{n}")
    country = "US"
    source = "test data"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Director"
    title_zh = "主任"


class ContactMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMethod

    person = factory.SubFactory(PersonFactory)
    kind = ContactMethod.Kind.EMAIL
    value = factory.Sequence(lambda n: f"person{n}@example.test")
    is_primary = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.CONFERENCE
    name = factory.Sequence(lambda n: f"Test Conference {n}")
    name_zh = factory.Sequence(lambda n: f"測試會議{n}")
    start_date = dt.date(2022, 3, 15)
    end_date = dt.date(2022, 3, 17)
    time_zone = "America/New_York"
    city = "Miami"
    country = "US"


class WorkshopFactory(EventFactory):
    kind = Event.Kind.WORKSHOP
    name = factory.Sequence(lambda n: f"Test Workshop {n}")
    name_zh = factory.Sequence(lambda n: f"測試工作坊{n}")
    time_zone = "Asia/Taipei"
    country = "TW"
    start_date = dt.date(2022, 9, 1)
    end_date = dt.date(2022, 9, 2)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    kind = Session.Kind.BREAKOUT
    title = factory.Sequence(lambda n: f"Test Session {n}")
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2022, 3, 16, 1, 30)))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1, minutes=30))


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = Appearance.Role.SPEAKER


class PersonExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonExpertise

    person = factory.SubFactory(PersonFactory)
    note = "test evidence"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    staff_name = "Test Officer"
    day = dt.date(2022, 3, 15)
    mode = Attendance.Mode.VIDEO


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)


def make_contact_sheet_person(full_name="Rose Example", name_zh="範例玫瑰", *, organization=None, email=None, **fields):
    """A person with everything a contact sheet shows: a job, an e-mail, a phone and languages (invented data)."""
    fields.setdefault("honorific", "Ms.")
    fields.setdefault("given_name", "")
    fields.setdefault("family_name", "")
    person = PersonFactory(full_name=full_name, name_zh=name_zh, **fields)
    organization = organization or OrganizationFactory()
    AffiliationFactory(person=person, organization=organization, title="Director", title_zh="主任")
    slug = "".join(char for char in full_name.lower() if char.isalnum()) or f"person{person.pk}"
    ContactMethodFactory(person=person, value=email or f"{slug}@example.org")
    ContactMethodFactory(person=person, kind=ContactMethod.Kind.PHONE, value="+12025550143")
    person.languages.add("en")
    return person


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Interaction"

    person = factory.SubFactory(PersonFactory)
    kind = "meeting"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    time_zone = "America/New_York"
    officer_name = "Test Officer"
    unit = "Test Post"
    summary = "Talked about the workshop (test data)."
