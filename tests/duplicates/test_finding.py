"""Finding duplicates: name variants match, different people stay apart, "not a duplicate" is remembered."""

import pytest
from django.db import connection

from duplicates.finding import (
    _similar_name_pairs,
    organization_duplicate_pairs,
    person_duplicate_pairs,
    trigram_similarity,
)
from duplicates.merging import mark_not_duplicates
from partners.models import ContactMethod, DistinctPair
from tests.factories import AffiliationFactory, ContactMethodFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def person(full_name, name_zh="", **fields):
    return PersonFactory(full_name=full_name, name_zh=name_zh, given_name="", family_name="", **fields)


def pair_ids(pairs):
    return [(pair.first_id, pair.second_id) for pair in pairs]


@pytest.fixture
def editor(role_user):
    return role_user("Editor")


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Mukhar, Rose", "Rose Mukhar"),
        ("ROSE  MUKHAR", "Rose Mukhar"),
        ("Mukhar, Rose", "ROSE  MUKHAR"),
        ("Kanesha Lenore Jean-Baptiste", "Kanesha Jean Baptiste"),
        ("R. Mukhar", "Rose Mukhar"),
        ("José Núñez", "Jose Nunez"),
        ("Rose Mukar", "Rose Mukhar"),
    ],
)
def test_name_variants_are_paired(editor, name, other):
    first, second = person(name), person(other)

    pairs = person_duplicate_pairs(user=editor)

    assert pair_ids(pairs) == [(first.pk, second.pk)]
    assert pairs[0].score >= 40
    assert pairs[0].reasons


def test_chinese_name_with_and_without_spaces_is_paired(editor):
    first = person("Wang Xiaoming", "王 小明")
    second = person("王小明")

    pairs = person_duplicate_pairs(user=editor)

    assert pair_ids(pairs) == [(first.pk, second.pk)]


def test_three_spellings_of_one_name_make_three_pairs(editor):
    people = [person("Mukhar, Rose"), person("Rose Mukhar"), person("ROSE  MUKHAR")]

    pairs = person_duplicate_pairs(user=editor)

    ids = [p.pk for p in people]
    assert sorted(pair_ids(pairs)) == [(ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])]


def test_different_people_stay_apart(editor):
    person("Rose Mukhar")
    person("Rose Smith")
    person("John Smith")
    person("Jane Smith")
    person("王小明")
    person("王大明")

    assert person_duplicate_pairs(user=editor) == []


def test_colleagues_at_one_organization_stay_apart(editor):
    organization = OrganizationFactory()
    AffiliationFactory(person=person("Rose Mukhar"), organization=organization)
    AffiliationFactory(person=person("Kanesha Jean Baptiste"), organization=organization)

    assert person_duplicate_pairs(user=editor) == []


def test_shared_email_pairs_different_spellings_and_adds_up(editor):
    first, second = person("Rose Mukhar"), person("Rosie M.")
    ContactMethodFactory(person=first, value="rose@example.org")
    ContactMethodFactory(person=second, value="Rose@Example.org")
    third, fourth = person("Kanesha Jean Baptiste"), person("Kanesha Jean-Baptiste")

    pairs = person_duplicate_pairs(user=editor)

    assert pair_ids(pairs) == [(third.pk, fourth.pk), (first.pk, second.pk)]
    assert pairs[1].reasons == ["same e-mail rose@example.org"]


def test_shared_phone_and_organization_raise_the_score(editor):
    organization = OrganizationFactory()
    first, second = person("Rose Mukhar"), person("Mukhar, Rose")
    plain_first, plain_second = person("Kanesha Jean Baptiste"), person("Kanesha Jean-Baptiste")
    for someone in (first, second):
        AffiliationFactory(person=someone, organization=organization)
        ContactMethodFactory(person=someone, kind=ContactMethod.Kind.PHONE, value="+12025550143")

    pairs = person_duplicate_pairs(user=editor)

    assert pair_ids(pairs) == [(first.pk, second.pk), (plain_first.pk, plain_second.pk)]
    assert pairs[0].score == 100
    assert pairs[1].score == 60


def test_sensitive_people_take_part_only_for_those_allowed(role_user):
    first, second = person("Rose Mukhar"), person("Mukhar, Rose", sensitive=True)

    assert person_duplicate_pairs(user=role_user("Editor")) == []
    assert pair_ids(person_duplicate_pairs(user=role_user("Editor", sensitive=True))) == [(first.pk, second.pk)]


def test_not_a_duplicate_is_remembered(editor):
    first, second = person("Rose Mukhar"), person("Mukhar, Rose")

    mark_not_duplicates(second, first, by=editor)

    assert person_duplicate_pairs(user=editor) == []
    assert list(DistinctPair.objects.values_list("kind", "first_id", "second_id")) == [("person", first.pk, second.pk)]


def test_organization_under_its_acronym_and_its_full_name_is_paired():
    full = OrganizationFactory(name="Office for Victims of Crime", name_zh="", acronym="")
    short = OrganizationFactory(name="OVC", name_zh="")
    OrganizationFactory(name="Polaris Project", name_zh="")

    pairs = organization_duplicate_pairs()

    assert pair_ids(pairs) == [(full.pk, short.pk)]


def test_organizations_paired_by_name_acronym_field_and_domain():
    first = OrganizationFactory(name="Freedom Network USA", name_zh="", acronym="FNUSA", country="US")
    second = OrganizationFactory(name="freedom network usa", name_zh="", country="")
    third = OrganizationFactory(name="Coalition X", name_zh="", website="https://www.example.org/")
    fourth = OrganizationFactory(name="Example Org", name_zh="", website="http://example.org/about")
    OrganizationFactory(name="Harbor Shelter", name_zh="", website="https://www.facebook.com/another")
    OrganizationFactory(name="Lighthouse Aid", name_zh="", website="https://www.facebook.com/yet")

    pairs = organization_duplicate_pairs()

    assert pair_ids(pairs) == [(first.pk, second.pk), (third.pk, fourth.pk)]
    assert pairs[1].reasons == ["same website domain example.org"]


def test_organization_not_a_duplicate_is_remembered(editor):
    first = OrganizationFactory(name="Office for Victims of Crime", name_zh="")
    second = OrganizationFactory(name="OVC", name_zh="")

    mark_not_duplicates(first, second, by=editor)

    assert organization_duplicate_pairs() == []


def test_python_trigram_similarity_follows_pg_trgm():
    assert trigram_similarity("word", "word") == 1.0
    assert trigram_similarity("word", "") == 0.0
    # pg_trgm: similarity('word', 'two words') = 4 / 11
    assert trigram_similarity("word", "two words") == pytest.approx(4 / 11)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index path is PostgreSQL's")
def test_postgresql_finds_similar_names_through_the_trigram_index():
    first, second = person("Rosemary Mukhar"), person("Rosemarie Mukhar")
    person("Kanesha Jean Baptiste")

    assert _similar_name_pairs("partners_person", "full_name") == {(first.pk, second.pk)}
