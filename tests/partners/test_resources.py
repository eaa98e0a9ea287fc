"""The contact sheet's single column definition and the widgets that read cells back."""

import pytest
from django.utils import translation

from contact_sheets.columns import ContactSheetExportResource
from partners.models import Person
from partners.resources import (
    ContactSheetResource,
    ImportLookups,
    area_labels,
    join_list,
    split_list,
)
from tests.factories import WorkshopFactory, make_area, make_contact_sheet_person

pytestmark = pytest.mark.django_db

COLUMNS = [
    "uuid",
    "full_name",
    "name_zh",
    "honorific",
    "title",
    "title_zh",
    "organization",
    "organization_zh",
    "country",
    "languages",
    "email",
    "phone",
    "other_contacts",
    "expertise",
    "events",
    "source",
    "last_confirmed",
]


def test_every_column_is_declared_in_meta_fields_in_order():
    resource = ContactSheetResource()

    assert list(ContactSheetResource._meta.fields) == [*COLUMNS, "suitability", "reason", "status"]
    assert set(resource.fields) == set(ContactSheetResource._meta.fields)
    assert resource.column_keys() == COLUMNS
    assert ContactSheetResource(workshop=WorkshopFactory()).column_keys() == [
        *COLUMNS,
        "suitability",
        "reason",
        "status",
    ]


def test_export_only_columns_are_readonly():
    resource = ContactSheetResource()

    readonly = [key for key in resource.fields if resource.fields[key].readonly]

    assert readonly == ["events", "suitability", "reason", "status"]


@pytest.mark.parametrize(
    "items",
    [["a", "b"], ["a|b", "c\\d"], ["T visa / T 簽證", "Other / 其他 [x]"], ["", "second"], ["trailing\\"]],
)
def test_lists_join_and_split_back(items):
    assert split_list(join_list(items), keep_empty=True) == items


def test_split_drops_empty_items_unless_asked():
    assert split_list("a||b| ") == ["a", "b"]
    assert split_list("") == []


def test_an_area_label_shared_by_two_areas_carries_its_code():
    labels = area_labels(
        [(1, "t-visa", "T visa", "T 簽證"), (2, "a-other", "Other", "其他"), (3, "b-other", "Other", "其他")]
    )

    assert labels == {1: "T visa / T 簽證", 2: "Other / 其他 [a-other]", 3: "Other / 其他 [b-other]"}


def test_headers_are_read_in_any_language_or_as_keys():
    resource = ContactSheetResource()
    with translation.override("en"):
        english = str(resource.fields["email"].column_name)
    with translation.override("zh-hant"):
        chinese = str(resource.fields["email"].column_name)

    header_map = resource.header_map()

    assert header_map["email"] == "email"
    assert header_map[english.lower()] == "email"
    assert header_map[" ".join(chinese.casefold().split())] == "email"


@pytest.fixture
def lookups():
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    return ImportLookups()


def clean(key, text, lookups):
    values, errors = ContactSheetResource().clean_row({key: text}, lookups=lookups)
    return values.get(key), errors


@pytest.mark.parametrize("text", ["US", "usa", "United States", "united states of america", "美國"])
def test_country_by_code_or_name_in_either_language(lookups, text):
    assert clean("country", text, lookups) == ("US", [])


@pytest.mark.parametrize(
    "text", ["T visa", "t-visa", "T 簽證", "T visa / T 簽證", "T 簽證 T visa", "Whatever [t-visa]"]
)
def test_expertise_by_code_name_or_label(lookups, text):
    values, errors = clean("expertise", text, lookups)

    assert errors == []
    assert list(values) == [lookups.areas[("code", "t-visa")]]


def test_languages_by_code_or_name(lookups):
    assert clean("languages", "en|Spanish|法語", lookups) == (["en", "es", "fr"], [])


def test_other_contacts_are_parsed_and_normalised(lookups):
    values, errors = clean(
        "other_contacts", "phone (mobile): 02 2388 9393|E-mail: Ann@Example.ORG|website: https://example.org", lookups
    )

    assert errors == []
    assert values == [
        ("phone", "+886223889393", "mobile"),
        ("email", "Ann@example.org", ""),
        ("website", "https://example.org", ""),
    ]


def test_widget_errors_say_what_is_wrong(lookups):
    with translation.override("en"):
        cases = {
            "country": ("Narnia", "unknown country “Narnia”"),
            "languages": ("Klingon", "unknown language “Klingon”"),
            "expertise": ("Astrology", "unknown expertise area “Astrology”"),
            "other_contacts": (
                "pigeon: coo",
                "“pigeon: coo” is not “kind: value” with kind e-mail, phone, website or other",
            ),
            "last_confirmed": ("yesterday", "“yesterday” is not a date written as YYYY-MM-DD"),
            "uuid": ("123", "“123” is not a valid identifier"),
            "honorific": ("x" * 41, "is 41 characters long; at most 40 fit"),
            "full_name": ("Bad\x01Name", "contains control characters (binary data?)"),
        }
        for key, (text, message) in cases.items():
            assert clean(key, text, lookups) == (None, [(key, message)]), key


def test_blank_cells_are_left_out_of_the_values(lookups):
    values, errors = ContactSheetResource().clean_row({"full_name": "Ann", "email": " ", "phone": ""}, lookups=lookups)

    assert (values, errors) == ({"full_name": "Ann"}, [])


def test_the_resource_exports_a_dataset_through_django_import_export():
    make_contact_sheet_person("Rose Example", "範例玫瑰", email="rose@example.org")

    with translation.override("en"):
        dataset = ContactSheetExportResource().export(Person.objects.all())

    assert dataset.headers[:3] == ["Identifier", "Name (original)", "Chinese name"]
    assert dataset.dict[0]["Primary e-mail"] == "rose@example.org"
    assert len(dataset) == 1


def test_the_resource_refuses_a_naive_import():
    with pytest.raises(NotImplementedError):
        ContactSheetResource().import_data(None)
