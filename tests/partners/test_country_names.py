"""Country names as Taiwan writes them: one reviewed name for every code, none shared, sorted for the reader."""

import pytest
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES

from partners.countries import country_choices
from partners.country_names import ZH_HANT_NAMES
from partners.models import Person


def test_every_iso_code_has_a_traditional_chinese_name_and_no_other_code_does():
    assert sorted(ZH_HANT_NAMES) == sorted(COUNTRIES)
    assert all(name.strip() == name and name for name in ZH_HANT_NAMES.values())


def test_no_two_codes_share_a_name():
    names = list(ZH_HANT_NAMES.values())

    assert len(set(names)) == len(names) == 249


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("CI", "象牙海岸"),
        ("HR", "克羅埃西亞"),
        ("LA", "寮國"),
        ("YE", "葉門"),
        ("QA", "卡達"),
        ("IS", "冰島"),
        ("MR", "茅利塔尼亞"),
        ("MU", "模里西斯"),
        ("NZ", "紐西蘭"),
        ("SA", "沙烏地阿拉伯"),
        ("SG", "新加坡"),
        ("IT", "義大利"),
        ("AU", "澳大利亞"),
        ("TW", "臺灣"),
    ],
)
def test_the_chinese_interface_uses_taiwan_usage(code, name):
    with translation.override("zh-hant"):
        assert countries.name(code) == name
        assert dict(country_choices())[code] == name
        assert dict(Person._meta.get_field("country").formfield().choices)[code] == name


def test_no_mainland_or_hong_kong_forms_and_no_simplified_tai():
    mainland = {"科特迪瓦", "克羅地亞", "老撾", "也門", "卡塔爾", "毛里塔尼亞", "毛里求斯", "新西蘭", "意大利"}

    assert not mainland & set(ZH_HANT_NAMES.values())
    assert not [name for name in ZH_HANT_NAMES.values() if "台" in name]


def test_the_english_interface_keeps_django_countries_english_names():
    with translation.override("en"):
        assert countries.name("CI") == "Côte d'Ivoire"
        assert countries.name("KR") == "South Korea"
        assert countries.name("TW") == "Taiwan"


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_choices_are_sorted_for_the_readers_language_after_taiwan_and_the_united_states(language):
    with translation.override(language):
        codes, names = zip(*country_choices(), strict=True)

    assert codes[:2] == ("TW", "US")
    rest = list(names[2:])
    if language == "zh-hant":
        # By code point: for these characters, by radical and then stroke count.
        assert rest == sorted(rest)
        assert rest[:3] == ["不丹", "中國大陸", "中非共和國"]
    else:
        assert rest[:3] == ["Afghanistan", "Åland Islands", "Albania"]
        assert rest[-1] == "Zimbabwe"


def test_exports_name_countries_the_same_way():
    from partners.exporters import both_scripts_country

    assert both_scripts_country("CI") == "象牙海岸 Côte d'Ivoire"


@pytest.mark.django_db
def test_an_import_still_reads_names_from_other_lists():
    from partners.resources import ImportLookups, simple_key

    lookups = ImportLookups()
    names = ("台灣", "臺灣", "科特迪瓦", "象牙海岸", "Côte d'Ivoire")

    assert [lookups.countries[simple_key(name)] for name in names] == [
        "TW",
        "TW",
        "CI",
        "CI",
        "CI",
    ]
