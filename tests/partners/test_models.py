import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from partners.models import ContactMethod, Organization, Person, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    ContactMethodFactory,
    OrganizationFactory,
    PersonFactory,
    make_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are lazy: they are read in the language active when asserted."""
    with translation.override("en"):
        yield


def messages_of(error):
    return [str(m) for messages in error.message_dict.values() for m in messages]


def test_phone_is_normalised_to_e164():
    method = ContactMethod(person=PersonFactory(), kind="phone", value="+1 (202) 555-0143")
    method.full_clean()
    assert method.value == "+12025550143"


@pytest.mark.parametrize("country", ["", "TW"])
def test_phone_without_country_code_is_read_as_taiwanese_for_a_person_in_taiwan_or_of_no_country(country):
    # A person of another country: tests/importing/test_friendlier_input.py (issue 15).
    method = ContactMethod(person=PersonFactory(country=country), kind="phone", value="02 2388 9393")
    method.full_clean()
    assert method.value == "+886223889393"


def test_invalid_phone_is_refused_with_a_message_in_english_and_chinese():
    method = ContactMethod(person=PersonFactory(), kind="phone", value="12345")
    with pytest.raises(ValidationError) as english:
        method.full_clean()
    assert "“12345” is not a valid phone number" in messages_of(english.value)[0]
    with translation.override("zh-hant"):
        with pytest.raises(ValidationError) as chinese:
            method.full_clean()
        assert "不是有效的電話號碼" in messages_of(chinese.value)[0]


def test_invalid_email_is_refused():
    method = ContactMethod(person=PersonFactory(), kind="email", value="not-an-address")
    with pytest.raises(ValidationError) as error:
        method.full_clean()
    assert error.value.message_dict["value"] == ["“not-an-address” is not a valid e-mail address."]


def test_email_domain_is_lower_cased():
    method = ContactMethod(person=PersonFactory(), kind="email", value="Jane.Doe@Example.TEST")
    method.full_clean()
    assert method.value == "Jane.Doe@example.test"


def test_two_primary_emails_are_refused_by_validation_and_by_the_database():
    person = PersonFactory()
    ContactMethodFactory(person=person, value="a@example.test", is_primary=True)
    second = ContactMethod(person=person, kind="email", value="b@example.test", is_primary=True)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "A person can have only one primary contact of each kind." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_primary_email_and_a_primary_phone_may_coexist():
    person = PersonFactory()
    ContactMethodFactory(person=person, value="a@example.test", is_primary=True)
    phone = ContactMethod(person=person, kind="phone", value="+12025550143", is_primary=True)
    phone.full_clean()
    phone.save()
    assert person.contact_methods.filter(is_primary=True).count() == 2


def test_duplicate_contact_value_is_refused():
    person = PersonFactory()
    ContactMethodFactory(person=person, value="a@example.test", is_primary=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactMethod.objects.create(person=person, kind="email", value="a@example.test")


def test_appearance_naming_nobody_is_refused():
    appearance = AppearanceFactory.build(person=None, organization=None)
    appearance.session.event.save()
    appearance.session.save()
    appearance.session_id = appearance.session.pk
    with pytest.raises(ValidationError) as error:
        appearance.full_clean()
    assert "An appearance must name a person or an organization." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        appearance.save()


def test_appearance_by_an_organization_alone_is_allowed():
    organization = OrganizationFactory(name="Office for Victims of Crime", acronym="OVC")
    appearance = AppearanceFactory(person=None, organization=organization, role="presenter")
    assert appearance.pk is not None


def test_session_ending_before_it_starts_is_refused():
    from tests.factories import SessionFactory

    session = SessionFactory()
    session.ends_at = session.starts_at.replace(hour=0)
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "A session must end after it starts." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_event_ending_before_it_starts_is_refused():
    from tests.factories import EventFactory

    event = EventFactory()
    event.end_date = event.start_date.replace(day=1)
    with translation.override("zh-hant"):
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "活動的結束日期不能早於開始日期。" in messages_of(error.value)


def test_event_time_zone_must_be_iana():
    from tests.factories import EventFactory

    event = EventFactory.build(time_zone="Miami/Florida")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["time_zone"] == [
        "“Miami/Florida” is not an IANA time zone (e.g. America/New_York, Asia/Taipei)."
    ]


def test_affiliation_ending_before_it_starts_is_refused():
    import datetime as dt

    affiliation = AffiliationFactory.build(
        person=PersonFactory(),
        organization=OrganizationFactory(),
        is_current=False,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        affiliation.full_clean()
    assert "An affiliation cannot end before it starts." in messages_of(error.value)


def test_current_affiliation_with_an_end_date_is_refused():
    import datetime as dt

    affiliation = AffiliationFactory.build(
        person=PersonFactory(), organization=OrganizationFactory(), is_current=True, end_date=dt.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        affiliation.full_clean()
    assert "A current affiliation cannot have an end date." in messages_of(error.value)


def test_expertise_needs_evidence():
    area = make_area("Protection")
    link = PersonExpertise(person=PersonFactory(), area=area, note="")
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Give the evidence for this expertise: an appearance or a note." in messages_of(error.value)


def test_expertise_evidence_must_be_an_appearance_of_the_same_person():
    area = make_area("Protection")
    other_appearance = AppearanceFactory()
    link = PersonExpertise(person=PersonFactory(), area=area, appearance=other_appearance)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert error.value.message_dict["appearance"] == ["The evidence must be an appearance of this person."]


def test_same_expertise_with_two_notes_is_refused():
    area = make_area("Protection")
    person = PersonFactory()
    PersonExpertise.objects.create(person=person, area=area, note="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonExpertise.objects.create(person=person, area=area, note="second")


def test_organization_name_is_unique_per_country_ignoring_case():
    OrganizationFactory(name="Freedom Network USA", country="US")
    duplicate = Organization(name="FREEDOM NETWORK USA", country="US")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "An organization with this name and country already exists." in messages_of(error.value)
    Organization.objects.create(name="Freedom Network USA", country="CA")


def test_organization_cannot_sit_inside_its_own_descendant():
    parent = OrganizationFactory(name="Department of Justice")
    child = OrganizationFactory(name="Office for Victims of Crime", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError) as error:
        parent.full_clean()
    assert error.value.message_dict["parent"] == ["An organization cannot sit inside itself or its own descendants."]


def test_candidacy_is_unique_per_workshop_and_only_for_workshops():
    from conference.models import Candidacy
    from tests.factories import CandidacyFactory, EventFactory

    candidacy = CandidacyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidacy.objects.create(workshop=candidacy.workshop, person=candidacy.person)
    wrong = Candidacy(workshop=EventFactory(), person=PersonFactory())
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "Candidacies are for our own workshops, not conferences we attended." in messages_of(error.value)


def test_attendance_names_a_session_or_a_day():
    from conference.models import Attendance
    from tests.factories import EventFactory

    attendance = Attendance(event=EventFactory(), staff_name="Test Officer", day=None, session=None)
    with pytest.raises(ValidationError) as error:
        attendance.full_clean()
    assert "Say which session or which day was attended." in messages_of(error.value)


def test_expertise_under_an_area_includes_its_descendants():
    relief = make_area("Legal and immigration relief")
    t_visa = make_area("T visa", parent=relief)
    prosecution = make_area("Prosecution")
    holder = PersonFactory()
    PersonExpertise.objects.create(person=holder, area=t_visa, note="spoke on it")
    other = PersonFactory()
    PersonExpertise.objects.create(person=other, area=prosecution, note="spoke on it")

    assert list(Person.objects.with_expertise_under(relief)) == [holder]
    assert t_visa.full_name() == "Legal and immigration relief › T visa"


def test_visible_to_hides_sensitive_people_without_permission(make_user):
    PersonFactory(full_name="Open Speaker")
    PersonFactory(full_name="Protected Speaker", sensitive=True)
    viewer = make_user("viewer")
    allowed = make_user("allowed", "partners.view_sensitive_person")

    assert [p.full_name for p in Person.objects.visible_to(viewer)] == ["Open Speaker"]
    assert [p.full_name for p in Person.objects.visible_to(allowed)] == ["Open Speaker", "Protected Speaker"]


def test_deleting_a_person_whose_expertise_cites_their_appearance_works():
    area = make_area("Protection")
    appearance = AppearanceFactory()
    PersonExpertise.objects.create(person=appearance.person, area=area, appearance=appearance)

    appearance.person.delete()

    assert PersonExpertise.objects.count() == 0


def test_removing_an_appearance_removes_the_expertise_it_evidences():
    area = make_area("Protection")
    appearance = AppearanceFactory()
    kept = PersonExpertise.objects.create(person=appearance.person, area=make_area("Prosecution"), note="a note")
    PersonExpertise.objects.create(person=appearance.person, area=area, appearance=appearance)

    appearance.delete()

    assert list(PersonExpertise.objects.all()) == [kept]


def test_a_planned_workshop_may_have_no_dates_but_a_conference_must():
    from conference.models import Event
    from tests.factories import EventFactory, WorkshopFactory

    workshop = WorkshopFactory.build(start_date=None, end_date=None)
    workshop.full_clean()
    workshop.save()
    assert str(workshop) == f"{workshop.name} / {workshop.name_zh}"  # tests speak English

    conference = EventFactory.build(start_date=None, end_date=None)
    with pytest.raises(ValidationError) as error:
        conference.full_clean()
    assert "Give the dates of a conference we attended." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.bulk_create([conference])
