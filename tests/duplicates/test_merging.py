"""merge_people / merge_organizations: every link moves, one transaction, the history keeps what was merged."""

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from conference.models import Appearance, Candidacy, Event
from duplicates.merging import MergeRefused, mark_not_duplicates, merge_organizations, merge_people
from partners.locking import ConcurrentEditError
from partners.models import Affiliation, ContactMethod, DistinctPair, Organization, Person, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    CandidacyFactory,
    ContactMethodFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(role_user):
    return role_user("Editor")


@pytest.fixture
def pair():
    return PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")


def test_duplicate_is_deleted_and_survivor_version_moves_on(pair, editor):
    survivor, duplicate = pair

    merge_people(survivor, duplicate, values={}, by=editor)

    assert list(Person.objects.values_list("pk", flat=True)) == [survivor.pk]
    survivor.refresh_from_db()
    assert survivor.version == 2


def test_chosen_values_are_kept(pair, editor):
    survivor, duplicate = pair
    duplicate.bio = "Newer bio"
    duplicate.save()

    merge_people(survivor, duplicate, values={"full_name": "Rose Mukhar", "bio": "Newer bio"}, by=editor)

    survivor.refresh_from_db()
    assert (survivor.full_name, survivor.bio) == ("Rose Mukhar", "Newer bio")


def test_affiliations_move_and_identical_jobs_are_kept_once(pair, editor):
    survivor, duplicate = pair
    shared, other = OrganizationFactory(), OrganizationFactory()
    kept = AffiliationFactory(person=survivor, organization=shared, title="Director")
    AffiliationFactory(person=duplicate, organization=shared, title="director")
    moved = AffiliationFactory(person=duplicate, organization=other, title="Adviser")

    merge_people(survivor, duplicate, by=editor)

    assert sorted(Affiliation.objects.values_list("pk", "person_id")) == [
        (kept.pk, survivor.pk),
        (moved.pk, survivor.pk),
    ]


def test_contact_methods_move_deduplicated_with_one_primary_per_kind(pair, editor):
    survivor, duplicate = pair
    ContactMethodFactory(person=survivor, value="rose@old.example", is_primary=True)
    ContactMethodFactory(person=duplicate, value="rose@new.example", is_primary=True)
    ContactMethodFactory(person=duplicate, value="ROSE@old.example", is_primary=False)
    ContactMethodFactory(person=duplicate, kind=ContactMethod.Kind.PHONE, value="+12025550143", is_primary=True)

    merge_people(survivor, duplicate, values={"primary_email": "rose@new.example"}, by=editor)

    assert list(
        ContactMethod.objects.filter(person=survivor)
        .order_by("kind", "value")
        .values_list("kind", "value", "is_primary")
    ) == [
        ("email", "rose@new.example", True),
        ("email", "rose@old.example", False),
        ("phone", "+12025550143", True),
    ]


def test_expertise_moves_with_its_evidence(pair, editor):
    survivor, duplicate = pair
    area, other_area = make_area("Protection"), make_area("Technology")
    PersonExpertise.objects.create(person=survivor, area=area, note="From the 2022 report")
    PersonExpertise.objects.create(person=duplicate, area=area, note="Spoke at the 2023 round table")
    appearance = AppearanceFactory(person=duplicate)
    PersonExpertise.objects.create(person=duplicate, area=other_area, appearance=appearance)

    merge_people(survivor, duplicate, by=editor)

    assert list(
        PersonExpertise.objects.filter(person=survivor).order_by("area__path").values_list("area", "appearance", "note")
    ) == [
        (area.pk, None, "From the 2022 report\nSpoke at the 2023 round table"),
        (other_area.pk, appearance.pk, ""),
    ]


def test_appearances_move_and_a_shared_session_is_kept_once(pair, editor):
    survivor, duplicate = pair
    session = SessionFactory()
    kept = AppearanceFactory(person=survivor, session=session, affiliation_as_printed="")
    AppearanceFactory(person=duplicate, session=session, affiliation_as_printed="Director, Polaris")
    other = AppearanceFactory(person=duplicate)
    area = make_area("Protection")
    PersonExpertise.objects.create(
        person=duplicate, area=area, appearance=Appearance.objects.get(person=duplicate, session=session)
    )

    merge_people(survivor, duplicate, by=editor)

    assert sorted(Appearance.objects.values_list("pk", "person_id")) == [
        (kept.pk, survivor.pk),
        (other.pk, survivor.pk),
    ]
    kept.refresh_from_db()
    assert kept.affiliation_as_printed == "Director, Polaris"
    assert list(PersonExpertise.objects.values_list("person", "appearance")) == [(survivor.pk, kept.pk)]


def test_candidacies_move(pair, editor):
    survivor, duplicate = pair
    candidacy = CandidacyFactory(person=duplicate)

    merge_people(survivor, duplicate, by=editor)

    candidacy.refresh_from_db()
    assert (candidacy.person_id, candidacy.version) == (survivor.pk, 2)


def test_conflicting_candidacies_keep_the_later_decision_and_the_other_in_history(pair, editor):
    survivor, duplicate = pair
    workshop = WorkshopFactory()
    earlier = timezone.now() - dt.timedelta(days=10)
    kept = CandidacyFactory(
        workshop=workshop, person=survivor, suitability="possible", reason="Maybe", decided_at=earlier
    )
    CandidacyFactory(
        workshop=workshop,
        person=duplicate,
        suitability="suitable",
        reason="Fits the theme",
        status="shortlisted",
        decided_at=timezone.now(),
    )

    with translation.override("en"):
        merge_people(survivor, duplicate, by=editor)

    assert list(Candidacy.objects.values_list("pk", "person", "suitability", "reason", "status")) == [
        (kept.pk, survivor.pk, "suitable", "Fits the theme", "shortlisted")
    ]
    history = list(Candidacy.history.filter(id=kept.pk).order_by("history_date").values_list("suitability", "reason"))
    assert history == [("possible", "Maybe"), ("suitable", "Fits the theme")]
    assert "Possible" in Candidacy.history.filter(id=kept.pk).latest("history_date").history_change_reason
    assert Candidacy.history.filter(person_id=duplicate.pk, history_type="-").count() == 1


def test_an_earlier_decision_of_the_duplicate_loses(pair, editor):
    survivor, duplicate = pair
    workshop = WorkshopFactory()
    CandidacyFactory(workshop=workshop, person=survivor, suitability="not_suitable", decided_at=timezone.now())
    CandidacyFactory(workshop=workshop, person=duplicate, suitability="suitable", decided_at=None)

    merge_people(survivor, duplicate, by=editor)

    assert list(Candidacy.objects.values_list("person", "suitability")) == [(survivor.pk, "not_suitable")]


def test_languages_are_joined(pair, editor):
    survivor, duplicate = pair
    survivor.languages.add("en")
    duplicate.languages.add("es")

    merge_people(survivor, duplicate, by=editor)

    assert sorted(survivor.languages.values_list("code", flat=True)) == ["en", "es"]


def test_sensitive_and_do_not_contact_marks_are_kept(pair, editor):
    survivor, duplicate = pair
    duplicate.sensitive = duplicate.do_not_contact = True
    duplicate.save()

    merge_people(survivor, duplicate, values={"full_name": "Rose Mukhar"}, by=editor)

    survivor.refresh_from_db()
    assert (survivor.sensitive, survivor.do_not_contact) == (True, True)


def test_merge_is_recorded_in_the_survivors_history_with_the_removed_values(pair, editor):
    survivor, duplicate = pair
    ContactMethodFactory(person=duplicate, value="rose@new.example")
    duplicate_uuid = str(duplicate.uuid)

    with translation.override("en"):
        merge_people(survivor, duplicate, by=editor)

    record = survivor.history.latest("history_date")
    prefix = f"Merged with Mukhar, Rose（{duplicate.name_zh}） ({duplicate_uuid}): "
    assert record.history_change_reason.startswith(prefix)
    values = json.loads(record.history_change_reason.removeprefix(prefix))
    assert (values["full_name"], values["uuid"]) == ("Mukhar, Rose", duplicate_uuid)
    assert values["contact_methods"][0]["value"] == "rose@new.example"
    assert record.history_user == editor
    # The duplicate's own history stays, its deletion included.
    assert list(
        Person.history.filter(id=duplicate.pk).values_list("history_type", flat=True).order_by("history_date")
    ) == [
        "+",
        "-",
    ]


def test_not_a_duplicate_marks_move_to_the_survivor(pair, editor):
    survivor, duplicate = pair
    other = PersonFactory()
    mark_not_duplicates(duplicate, other, by=editor)

    merge_people(survivor, duplicate, by=editor)

    assert list(DistinctPair.objects.values_list("first_id", "second_id")) == [tuple(sorted([survivor.pk, other.pk]))]


def test_stale_version_refuses_and_changes_nothing(pair, editor):
    survivor, duplicate = pair
    ContactMethodFactory(person=duplicate)

    with pytest.raises(ConcurrentEditError):
        merge_people(survivor, duplicate, by=editor, survivor_version=1, duplicate_version=0)

    assert Person.objects.count() == 2
    assert ContactMethod.objects.get().person_id == duplicate.pk


def test_a_record_cannot_be_merged_with_itself(pair, editor):
    with pytest.raises(MergeRefused):
        merge_people(pair[0], pair[0], by=editor)


# -- organizations ------------------------------------------------------------------------------


@pytest.fixture
def organizations():
    return (
        OrganizationFactory(name="Office for Victims of Crime", acronym="OVC"),
        OrganizationFactory(name="OVC", country="TW"),
    )


def test_organization_affiliations_move(organizations, editor):
    survivor, duplicate = organizations
    job = AffiliationFactory(organization=duplicate)

    merge_organizations(survivor, duplicate, by=editor)

    job.refresh_from_db()
    assert job.organization_id == survivor.pk
    assert list(Organization.objects.values_list("pk", flat=True)) == [survivor.pk]


def test_organization_appearances_move_once_per_session(organizations, editor):
    survivor, duplicate = organizations
    session = SessionFactory()
    kept = Appearance.objects.create(session=session, organization=survivor)
    Appearance.objects.create(session=session, organization=duplicate)
    other = Appearance.objects.create(session=SessionFactory(), organization=duplicate)

    merge_organizations(survivor, duplicate, by=editor)

    assert sorted(Appearance.objects.values_list("pk", "organization_id")) == [
        (kept.pk, survivor.pk),
        (other.pk, survivor.pk),
    ]


def test_organization_children_move(organizations, editor):
    survivor, duplicate = organizations
    child = OrganizationFactory(parent=duplicate)

    merge_organizations(survivor, duplicate, by=editor)

    child.refresh_from_db()
    assert (child.parent_id, child.version) == (survivor.pk, 2)


def test_organization_events_organized_move(organizations, editor):
    survivor, duplicate = organizations
    event = EventFactory(organizer=duplicate)

    merge_organizations(survivor, duplicate, by=editor)

    assert Event.objects.get(pk=event.pk).organizer_id == survivor.pk


def test_organization_focus_areas_are_joined(organizations, editor):
    survivor, duplicate = organizations
    area, other = make_area("Protection"), make_area("Technology")
    survivor.focus_areas.add(area)
    duplicate.focus_areas.add(other)

    merge_organizations(survivor, duplicate, by=editor)

    assert sorted(survivor.focus_areas.values_list("pk", flat=True)) == [area.pk, other.pk]


def test_organization_may_take_the_duplicates_name_and_is_recorded(organizations, editor):
    survivor, duplicate = organizations
    survivor.parent = duplicate
    survivor.save()

    with translation.override("en"):
        merge_organizations(survivor, duplicate, values={"name": "OVC", "country": "TW"}, by=editor)

    survivor.refresh_from_db()
    assert (survivor.name, survivor.country.code, survivor.parent_id, survivor.version) == ("OVC", "TW", None, 2)
    reason = survivor.history.latest("history_date").history_change_reason
    assert reason.startswith(f"Merged with OVC ({duplicate.uuid}): ")


def test_organization_parent_inside_the_pair_is_refused(organizations, editor):
    survivor, duplicate = organizations
    child = OrganizationFactory(parent=survivor)

    with pytest.raises(MergeRefused):
        merge_organizations(survivor, duplicate, values={"parent": child}, by=editor)

    assert Organization.objects.count() == 3
