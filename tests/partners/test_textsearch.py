"""Chinese as staff type it (partners.textsearch): the fold, the stored Person.search_text on every write, and
the searches that use them (the person list here; the finder in tests/conference/test_finder.py)."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from importing.contacts import import_contacts
from importing.matching import find_person_matches
from partners.models import Person
from partners.names import name_key, normalize_name
from partners.textsearch import fold, query_words, search_text, variants
from tests.factories import PersonFactory
from tests.partners.test_name_keys import sheet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("T簽證", "T 簽證"),  # a space beside Chinese
        ("t 签证", "T 簽證"),  # Simplified, lower case
        ("ＵＳＣＩＳ", "USCIS"),  # full-width Latin
        ("台北", "臺北"),  # Taiwan's variants
        ("王 小明", "王小明"),
        ("移民救济", "移民救濟"),
        ("为外籍倖存者服务", "為外籍倖存者服務"),
    ],
)
def test_typed_and_stored_forms_fold_alike(typed, stored):
    assert fold(typed) == fold(stored)


@pytest.mark.parametrize("text", ["T 簽證", "Rose  Mukhar", "臺北市 API Chaya", "ＡＢＣ　台灣", "", "麪條"])
def test_a_fold_is_idempotent_and_keeps_spaces_between_latin_words(text):
    assert fold(fold(text)) == fold(text)
    assert fold("Rose  Mukhar") == "rose mukhar"


def test_query_words_join_chinese_and_short_abbreviations_and_split_names():
    assert query_words("T 簽證") == query_words("T簽證") == ["t簽證"]
    assert query_words("王 小明") == ["王小明"]
    assert query_words("簽證 Mukhar") == ["簽證", "mukhar"]
    assert query_words("  ") == []
    assert variants("台北") == ["台北", "臺北"]


def stored_search_text():
    return dict(Person.objects.values_list("full_name", "search_text"))


def test_every_write_keeps_the_search_text(tmp_path):
    person = PersonFactory(full_name="Rose Mukhar", name_zh="王 小明")
    assert stored_search_text() == {"Rose Mukhar": "rose mukhar\n王小明"}

    person.name_zh = "王晓明"
    person.save(update_fields=["name_zh"])
    assert stored_search_text() == {"Rose Mukhar": "rose mukhar\n王曉明"}

    Person.objects.bulk_create([Person(full_name="ＡＮＮ Example", name_zh="臺灣安")])
    ann = Person.objects.get(name_zh="臺灣安")
    ann.full_name = "Ann Example"
    Person.objects.bulk_update([ann], ["full_name"])
    Person.objects.filter(pk=person.pk).update(full_name="Rosa Mukhar")  # the other name is read back
    assert stored_search_text() == {"Rosa Mukhar": "rosa mukhar\n王曉明", "Ann Example": "ann example\n台灣安"}

    fixture = tmp_path / "people.json"
    fields = {"full_name": "Lin Tai", "name_zh": "林 臺", "created_at": "2026-01-05T10:00:00Z"}
    fields["updated_at"] = fields["created_at"]
    fixture.write_text(json.dumps([{"model": "partners.person", "fields": fields}]), encoding="utf-8")
    call_command("loaddata", str(fixture), verbosity=0)
    assert stored_search_text()["Lin Tai"] == "lin tai\n林台"


def test_an_import_stores_the_search_text_of_new_people():
    result = import_contacts(
        sheet({"full_name": "Seán O'Brien", "name_zh": "歐布萊恩 先生", "email": "sean@example.org"}),
        user=None,
        dry_run=False,
    )

    assert result.committed, result.errors
    assert stored_search_text() == {"Seán O'Brien": "seán o'brien\n歐布萊恩先生"}


def test_demo_data_stores_the_search_text():
    from devtools.demo.builder import generate_demo_data

    generate_demo_data(people=20, seed=3, taxonomy_size=60)

    for person in Person.objects.all():
        assert person.search_text == search_text(person.full_name, person.name_zh)


def test_the_migration_fills_the_search_text_and_the_folded_name_keys():
    migration = importlib.import_module("partners.migrations.0009_person_search_text")
    PersonFactory(full_name="Rose Mukhar", name_zh="王晓明")
    Person.objects.all().update(name_key="", name_zh_key="", search_text="")
    if connection.vendor == "postgresql":
        # The factory's deferred foreign-key checks would still be pending in this test's transaction
        # (a migration has none): PostgreSQL refuses CREATE INDEX on a table with pending trigger events.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    migration.fill_search_text(apps, SimpleNamespace(connection=connection))

    assert list(Person.objects.values_list("name_key", "name_zh_key", "search_text")) == [
        ("mukhar rose", "王曉明", "rose mukhar\n王曉明")
    ]


def test_the_duplicate_matcher_meets_simplified_and_variant_names():
    stored = PersonFactory(full_name="Wang Xiaoming", name_zh="王曉明")
    taipei = PersonFactory(full_name="Lin Tai", name_zh="林臺生")

    assert normalize_name("王晓明") == name_key("王 曉明") == "王曉明"
    assert [match.person_id for match in find_person_matches(name_zh="王晓明")] == [stored.pk]
    assert [match.person_id for match in find_person_matches(name_zh="林台生")] == [taipei.pk]


def test_the_person_list_search_folds_what_is_typed(admin_client):
    mei = PersonFactory(full_name="Mei-ling Chen", name_zh="陳美玲")
    taipei = PersonFactory(full_name="ＬＩＮ Tai", name_zh="臺北林")  # Mei-ling: "lin" in ASCII finds both

    def found(q):
        response = admin_client.get(reverse("admin:partners_person_changelist"), {"q": q})
        return list(response.context["cl"].result_list)

    assert found("陈美玲") == [mei]  # Simplified
    assert found("陳") == [mei]  # one character
    assert found("美玲") == [mei]  # two
    assert found("台北林") == [taipei]
    assert found("ｌｉｎ ｔａｉ") == [taipei]  # typed full-width: compared in search form
    assert found("ＭＥＩ") == [mei]
