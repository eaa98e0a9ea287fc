"""A text search without themes says, on each line, where its words were found: name, organization, expertise, bio."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conference.test_finder import URL, client_for, planner, world  # noqa: F401 (fixtures)
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def matches(response):
    """``{person's name: [(word, [(what, where), …]), …]}`` of the page's rows, as the template gets them."""
    return {
        row.person.full_name: [(m.word, [(str(what), where) for what, where in m.places]) for m in row.text_matches]
        for row in response.context["rows"]
    }


def test_each_line_names_where_each_word_was_found(client_for, planner, world):  # noqa: F811 (the fixtures imported above)
    AffiliationFactory(
        person=world["ben"], organization=OrganizationFactory(name="Visa Office", name_zh="T簽證辦公室", acronym="VO"),
        is_current=False,
    )
    client = client_for(planner)
    client.cookies["django_language"] = "en"

    found = matches(client.get(URL, {"q": "T簽證"}))

    # Ben holds the area 「T 簽證」 and worked (not now) at an office named with it; Cai spoke on it.
    assert found["Ben Brown"] == [("t簽證", [("organization", "Visa Office (VO)"), ("expertise", "T 簽證 T visa")])]
    assert found["Cai Chen"] == [("t簽證", [("expertise", "T 簽證 T visa")])]

    shelter = matches(client.get(URL, {"q": "SHELTER Ben"}))
    assert shelter == {
        "Ben Brown": [("shelter", [("bio", "Runs a shelter in Taipei.")]), ("ben", [("name", "")])],
    }


def test_a_long_bio_is_cut_around_the_word_and_chinese_labels_follow_the_language(client_for, planner, world):  # noqa: F811 (the fixtures imported above)
    PersonFactory(full_name="Long Bio", name_zh="", bio="前言" * 40 + "泰國籍勞工的通譯" + "後記" * 40)
    client = client_for(planner)
    client.cookies["django_language"] = "zh-hant"

    response = client.get(URL, {"q": "泰國籍"})

    [(word, [(what, where)])] = matches(response)["Long Bio"]
    assert (word, what) == ("泰國籍", "簡介")
    assert where.startswith("…") and where.endswith("…") and "泰國籍勞工的通譯" in where
    assert len(where) < 120
    assert "原因：搜尋字詞出現之處" in response.content.decode()


def test_a_ranked_search_keeps_its_evidence_and_finds_no_text_matches(client_for, planner, world):  # noqa: F811 (the fixtures imported above)
    response = client_for(planner).get(URL, {"workshop": world["workshop"].pk, "q": "Ben"})

    assert all(row.text_matches == [] for row in response.context["rows"])


def test_text_matches_cost_the_same_queries_for_one_and_three_rows(client_for, planner, world):  # noqa: F811 (the fixtures imported above)
    client = client_for(planner)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL, {"q": "Care 王"})
        return len(context.captured_queries), len(response.context["rows"])

    organization = OrganizationFactory(name="Care Centre", name_zh="關懷中心")
    AffiliationFactory(person=PersonFactory(full_name="Wang One", name_zh="王一"), organization=organization)
    one = queries()
    for name in ("Wang Two", "Wang Three"):
        AffiliationFactory(person=PersonFactory(full_name=name, name_zh="王二"), organization=organization)
    three = queries()

    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]
