"""The expertise picker ranks the exact name first, in either script, so that Enter picks it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_browser(client, role_user):
    call_command("loaddata", "fnusa_2022", verbosity=0)
    client.force_login(role_user("Editor"))
    return client


def picked(browser, term, source=("partners", "personexpertise", "area")):
    app_label, model_name, field_name = source
    response = browser.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_exact_chinese_name_comes_before_names_that_merely_contain_its_words(editor_browser):
    results = picked(editor_browser, "T 簽證")

    assert results[0] == "T 簽證 T visa"
    assert any(result.startswith("護照及簽證偽變造") for result in results[1:])


def test_a_chinese_name_prefix_comes_before_a_chinese_name_holding_the_term(editor_browser):
    results = picked(editor_browser, "被害人")

    assert results[:3] == [
        "被害人鑑別 Victim identification and screening",
        "被害人服務 Victim services",
        "被害人及證人協助 Victim and witness assistance",
    ]
    assert results.index("犯罪被害人權利 Crime victims' rights") > 2


def test_an_english_word_ranks_name_prefix_then_word_in_name_then_description(editor_browser):
    from partners.models import ExpertiseArea

    results = picked(editor_browser, "victim")

    areas = {area.label: area for area in ExpertiseArea.objects.all()}
    chosen = [areas[label] for label in results]

    def rank(area):
        name = area.name.lower()
        if name == "victim":
            return 0
        if name.startswith("victim") or (area.name_zh or "").startswith("victim"):
            return 1
        if " victim" in name or "-victim" in name:
            return 2
        if "victim" in name:
            return 3
        return 4

    ranks = [rank(area) for area in chosen]
    assert ranks == sorted(ranks)
    assert ranks[0] == 1  # "Victim …" areas lead
    assert ranks[-1] == 4  # areas only described with the word come last
    assert len(results) >= 10


def test_the_finder_picker_ranks_the_same_way(editor_browser):
    from django.urls import reverse as url

    response = editor_browser.get(
        url("candidates-autocomplete"),
        {"app_label": "partners", "model_name": "personexpertise", "field_name": "area", "term": "T 簽證"},
    )

    assert response.json()["results"][0]["text"] == "T 簽證 T visa"
