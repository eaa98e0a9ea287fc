"""The candidate finder's text search without a workshop: names, bio, organizations and expertise, one query shape
for any word, index-backed on PostgreSQL (migration partners 0016), and the same words as the person list's."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conference.selectors import people_matching_text
from partners.models import Person
from partners.selectors import people_matching
from tests.conference.test_finder import URL, client_for, people, planner, world  # noqa: F401 (fixtures)
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL's indexes")


@pytest.fixture
def bios(world):  # noqa: F811 (the fixtures imported above)
    """Two people found only through their bio (Chinese, and English in another case)."""
    thai = PersonFactory(full_name="Somchai Prasert", name_zh="", bio="泰國籍勞工的通譯，在臺北執業。")
    shelter = PersonFactory(full_name="Grace Hill", name_zh="", bio="Shelter manager for survivors.")
    return {**world, "thai": thai, "shelter": shelter}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("泰國籍", ["thai"]),  # three characters: UPPER(bio) on PostgreSQL's trigram index
        ("泰國", ["thai"]),  # two: compared without UPPER
        ("泰", ["thai"]),  # one
        ("泰国籍", ["thai"]),  # Simplified input, Traditional bio
        ("台北", ["thai"]),  # 臺北 in the bio
        ("SHELTER", ["ben", "shelter"]),  # any case: Ben runs a shelter too
        ("ｓｈｅｌｔｅｒ", ["ben", "shelter"]),  # full-width
        ("shelter in taipei", ["ben"]),  # every word must match
        ("通譯 Somchai", ["thai"]),  # bio and name
        ("泰 Grace", []),
    ],
)
def test_the_bio_is_searched_in_any_case_and_script(client_for, planner, bios, q, expected):  # noqa: F811 (the fixtures imported above)
    assert people(client_for(planner).get(URL, {"q": q})) == [bios[name] for name in expected]


def test_names_bio_organizations_and_expertise_each_find_a_person_once(client_for, planner, world):  # noqa: F811 (the fixtures imported above)
    # Ben holds "T 簽證" and works at a visa office: found once, through both.
    AffiliationFactory(person=world["ben"], organization=OrganizationFactory(name="Visa Office", name_zh="T簽證辦公室"))

    assert people(client_for(planner).get(URL, {"q": "T簽證"})) == [world["ben"], world["cai"]]


def test_query_count_of_a_text_search_is_the_same_for_one_and_three_results_and_any_word_length(client_for, planner):  # noqa: F811 (the fixtures imported above)
    client = client_for(planner)

    def queries(q):
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL, {"q": q})
        return len(context.captured_queries), len(people(response))

    PersonFactory(full_name="Wang One", name_zh="王小明", bio="")
    one = [queries("王小明"), queries("王小"), queries("王")]
    PersonFactory(full_name="Wang Two", name_zh="王小明", bio="")
    PersonFactory(full_name="Wang Three", name_zh="王小明", bio="")
    three = [queries("王小明"), queries("王小"), queries("王")]

    assert [rows for _count, rows in one] == [1, 1, 1]
    assert [rows for _count, rows in three] == [3, 3, 3]
    assert {count for count, _rows in one + three} == {one[0][0]}


def plan(queryset, *, index_only=False):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if index_only:  # a tiny table is read whole anyway: ask whether an index *can* answer
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_a_word_of_three_characters_or_more_is_found_through_the_trigram_indexes(bios):
    found = plan(people_matching_text(Person.objects.order_by(), "泰國籍").values("pk"), index_only=True)

    assert "partners_person_search_text_trgm" in found
    assert "partners_person_bio_trgm" in found
    assert "Seq Scan on partners_person " not in found
    person_list = plan(Person.objects.order_by().filter(pk__in=people_matching("泰國籍")).values("pk"), index_only=True)
    assert "partners_person_search_text_trgm" in person_list
    assert "Seq Scan on partners_person " not in person_list


@postgresql_only
@pytest.mark.parametrize("word", ["泰", "泰國"])
def test_a_shorter_word_reads_the_people_once(bios, word):
    found = plan(people_matching_text(Person.objects.order_by(), word).values("pk"))

    assert found.count(" on partners_person ") == 1, found  # names, bio and the subqueries' ids in one pass
    assert "upper(bio)" not in found.lower()  # Chinese compared without upper-casing every bio
    person_list = plan(Person.objects.order_by().filter(pk__in=people_matching(word)).values("pk"))
    assert person_list.count("search_text ~~") == 1, person_list  # both names in one comparison ...
    assert "full_name" not in person_list  # ... not the names again as stored
