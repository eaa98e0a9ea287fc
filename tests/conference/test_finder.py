"""The candidate finder at /candidates/: access, ranking, each filter, Chinese search, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conference import views
from conference.filters import finder_queryset
from conference.models import Candidacy
from conference.services import assess_candidates
from partners.models import Organization, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
)

pytestmark = pytest.mark.django_db

URL = reverse("candidates")


def taipei(*args):
    return timezone.make_aware(dt.datetime(*args))


def spoke(person, area, *, event, starts_at):
    session = SessionFactory(event=event, starts_at=starts_at, title=f"{area.name} panel")
    appearance = AppearanceFactory(person=person, session=session)
    return PersonExpertise.objects.create(person=person, area=area, appearance=appearance)


@pytest.fixture
def planner(make_user):
    return make_user("planner", "partners.view_person", "conference.assess_candidacy")


@pytest.fixture
def client_for(client):
    def log_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return log_in


@pytest.fixture
def world():
    """Three candidates for a workshop on immigration relief, one off-theme person, two conferences."""
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="relief")
    immigration = make_area("Immigration relief", parent=relief, name_zh="移民救濟", code="immigration")
    t_visa = make_area("T visa", parent=immigration, name_zh="T 簽證", code="t-visa")
    technology = make_area("Digital technology", name_zh="數位科技", code="technology")
    workshop = WorkshopFactory(name="Relief Workshop")
    workshop.themes.add(immigration)
    conference_a = EventFactory(name="Conference Alpha", name_zh="")
    conference_b = EventFactory(name="Conference Beta", name_zh="")

    ana = PersonFactory(full_name="Ana Alvarez", name_zh="艾安娜", country="US", bio="Policy analyst.")
    AffiliationFactory(
        person=ana,
        organization=OrganizationFactory(
            name="Homeland Agency", name_zh="國土安全部", kind=Organization.Kind.GOVERNMENT, country="US"
        ),
    )
    ana.languages.add("en", "es")
    spoke(ana, immigration, event=conference_a, starts_at=taipei(2022, 3, 16, 1, 30))

    ben = PersonFactory(full_name="Ben Brown", name_zh="布班", country="TW", bio="Runs a shelter in Taipei.")
    AffiliationFactory(
        person=ben,
        organization=OrganizationFactory(name="Harbour House", kind=Organization.Kind.NGO, country="TW"),
    )
    ben.languages.add("zh")
    PersonExpertise.objects.create(person=ben, area=t_visa, note="Helped survivors apply.")

    cai = PersonFactory(full_name="Cai Chen", name_zh="陳才", country="TH", bio="")
    AffiliationFactory(
        person=cai,
        organization=OrganizationFactory(name="Justice Clinic", kind=Organization.Kind.LEGAL_AID, country="US"),
    )
    cai.languages.add("th")
    spoke(cai, t_visa, event=conference_b, starts_at=taipei(2022, 3, 17, 1, 30))

    dee = PersonFactory(full_name="Dee Dawson", name_zh="戴迪", country="US", bio="")
    spoke(dee, technology, event=conference_a, starts_at=taipei(2022, 3, 17, 3, 30))

    return {
        "workshop": workshop,
        "immigration": immigration,
        "t_visa": t_visa,
        "technology": technology,
        "conference_a": conference_a,
        "conference_b": conference_b,
        "ana": ana,
        "ben": ben,
        "cai": cai,
        "dee": dee,
    }


def people(response):
    assert response.status_code == 200
    return [row.person for row in response.context["rows"]]


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_view_person_is_refused(client, make_user):
    client.force_login(make_user("clerk"))

    assert client.get(URL).status_code == 403


def test_renders_in_the_admins_look_in_both_languages(client, planner, world):
    client.force_login(planner)
    for language in ("zh-hant", "en"):
        client.cookies["django_language"] = language
        response = client.get(URL, {"workshop": world["workshop"].pk})
        assert response.status_code == 200
        assert response.headers["Content-Language"] == language
        assert "admin/base_site.html" in [template.name for template in response.templates]
        assert response.context["site_header"]


def test_workshop_ranks_by_its_themes_with_score_and_why(client_for, planner, world):
    response = client_for(planner).get(URL, {"workshop": world["workshop"].pk})

    assert people(response) == [world["ana"], world["cai"], world["ben"]]
    assert [row.score for row in response.context["rows"]] == [4, 2, 1]
    content = response.content.decode()
    assert "Immigration relief panel" in content and "Conference Alpha" in content  # Ana's evidence
    assert "T visa panel" in content and "Conference Beta" in content  # Cai's evidence
    assert "Helped survivors apply." in content  # Ben's note
    assert "Homeland Agency" in content and "Thailand" in content


def test_without_workshop_or_expertise_everyone_contactable_by_name(client_for, planner, world):
    PersonFactory(full_name="Zed Hidden", do_not_contact=True)

    response = client_for(planner).get(URL)

    assert people(response) == [world["ana"], world["ben"], world["cai"], world["dee"]]


def test_expertise_alone_ranks(client_for, planner, world):
    client = client_for(planner)

    assert people(client.get(URL, {"expertise": world["technology"].pk})) == [world["dee"]]
    assert people(client.get(URL, {"expertise": [world["t_visa"].pk, world["technology"].pk]})) == [
        world["dee"],  # exact and most recent
        world["cai"],
        world["ben"],
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"expertise": "t_visa"}, ["cai", "ben"]),
        ({"country": "TW"}, ["ben"]),
        ({"country": "US"}, ["ana"]),  # not Cai, in Thailand though his organization is American
        ({"country": "TH"}, ["cai"]),
        ({"organization_kind": "government"}, ["ana"]),
        ({"organization_kind": "legal_aid"}, ["cai"]),
        ({"language": "es"}, ["ana"]),
        ({"event": "conference_b"}, ["cai"]),
        ({"q": "Homeland"}, ["ana"]),
        ({"q": "shelter taipei"}, ["ben"]),
        ({"q": "alvarez"}, ["ana"]),
    ],
)
def test_each_filter_narrows_the_workshop_ranking(client_for, planner, world, params, expected):
    query = {"workshop": world["workshop"].pk}
    for name, value in params.items():
        query[name] = world[value].pk if value in world else value

    response = client_for(planner).get(URL, query)

    assert people(response) == [world[name] for name in expected]


def test_suitability_and_status_filters_refer_to_the_workshop(client_for, planner, world):
    workshop = world["workshop"]
    assess_candidates([world["ana"]], workshop=workshop, suitability="suitable", reason="Spoke on it", by=planner)
    assess_candidates([world["ben"]], workshop=workshop, suitability="possible", reason="Maybe", by=planner)
    Candidacy.objects.filter(person=world["ben"]).update(status=Candidacy.Status.SHORTLISTED)
    client = client_for(planner)

    def get(**params):
        return people(client.get(URL, {"workshop": workshop.pk, **params}))

    assert get(suitability="suitable") == [world["ana"]]
    assert get(suitability=["suitable", "possible"]) == [world["ana"], world["ben"]]
    assert get(suitability="not_assessed") == [world["cai"]]
    assert get(status="shortlisted") == [world["ben"]]
    assert get(status="identified") == [world["ana"]]


def test_suitability_without_a_workshop_is_an_error_not_a_filter(client_for, planner, world):
    response = client_for(planner).get(URL, {"suitability": "suitable"})

    assert people(response) == [world["ana"], world["ben"], world["cai"], world["dee"]]
    assert "Choose a workshop" in response.content.decode()


def test_rows_show_current_suitability_and_status_for_the_workshop(client_for, planner, world):
    assess_candidates([world["cai"]], workshop=world["workshop"], suitability="not_suitable", reason="Busy", by=planner)

    response = client_for(planner).get(URL, {"workshop": world["workshop"].pk})

    rows = {row.person: row for row in response.context["rows"]}
    assert rows[world["cai"]].candidacy.get_suitability_display() == "Not suitable"
    assert rows[world["cai"]].candidacy.get_status_display() == "Identified"
    assert rows[world["ana"]].candidacy is None


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("布班", ["ben"]),  # a Chinese personal name
        ("國土安全部", ["ana"]),  # a Chinese organization name
        ("移民救濟", ["ana", "ben", "cai"]),  # a Chinese area name: holders of it and of the areas below
        ("簽證", ["ben", "cai"]),  # part of "T 簽證"
        ("數位科技", ["dee"]),
        ("immigration relief", ["ana", "ben", "cai"]),  # the English area name
    ],
)
def test_chinese_search(client_for, planner, world, q, expected):
    response = client_for(planner).get(URL, {"q": q})

    assert people(response) == [world[name] for name in expected]


def test_sensitive_people_need_the_permission(client_for, make_user, world):
    hidden = PersonFactory(full_name="Ana Hidden", sensitive=True)
    PersonExpertise.objects.create(person=hidden, area=world["immigration"], note="Survivor leader.")
    viewer = make_user("viewer", "partners.view_person")
    trusted = make_user("trusted", "partners.view_person", "partners.view_sensitive_person")

    assert hidden not in people(client_for(viewer).get(URL, {"workshop": world["workshop"].pk}))
    assert hidden in people(client_for(trusted).get(URL, {"workshop": world["workshop"].pk}))


def test_tag_checkboxes_only_for_those_who_may_assess(client_for, planner, make_user, world):
    viewer = make_user("viewer", "partners.view_person")
    params = {"workshop": world["workshop"].pk}

    with_permission = client_for(planner).get(URL, params).content.decode()
    without = client_for(viewer).get(URL, params).content.decode()

    assert f'name="person" value="{world["ana"].pk}" form="tag-form"' in with_permission
    assert 'form="tag-form"' not in without


def test_the_count_comes_with_the_ranked_page_and_a_page_out_of_range_shows_the_last(
    client_for, planner, world, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(planner)

    first = client.get(URL, {"workshop": world["workshop"].pk})
    past_the_end = client.get(URL, {"workshop": world["workshop"].pk, "page": 9})
    before_the_start = client.get(URL, {"workshop": world["workshop"].pk, "page": 0})
    nobody = client.get(URL, {"workshop": world["workshop"].pk, "country": "JP"})

    assert first.context["page"].paginator.count == 3
    assert "3 people" in first.content.decode()
    assert (past_the_end.context["page"].number, people(past_the_end)) == (2, [world["ben"]])
    assert before_the_start.context["page"].number == 2  # as Django's paginator: the last page
    assert people(nobody) == []
    assert "0 people" in nobody.content.decode() and "No one matches." in nobody.content.decode()


def test_pages_keep_the_query_string(client_for, planner, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(planner)

    first = client.get(URL, {"workshop": world["workshop"].pk})
    second = client.get(URL, {"workshop": world["workshop"].pk, "page": 2})

    assert people(first) == [world["ana"], world["cai"]]
    assert people(second) == [world["ben"]]
    assert f"?workshop={world['workshop'].pk}&amp;page=2" in first.content.decode()


def test_finder_queryset_gives_the_same_people_for_the_same_query_string(planner, world):
    request = RequestFactory().get(URL, {"workshop": world["workshop"].pk, "organization_kind": "ngo"})
    request.user = planner

    assert list(finder_queryset(request)) == [world["ben"]]
    request = RequestFactory().get(URL, {"workshop": world["workshop"].pk})
    request.user = planner
    assert list(finder_queryset(request)) == [world["ana"], world["cai"], world["ben"]]


def candidate_graph(workshop, area, conference):
    """One more matching person with everything a row can show."""
    person = PersonFactory(country="US")
    AffiliationFactory(person=person, organization=OrganizationFactory(parent=OrganizationFactory()))
    AffiliationFactory(person=person)
    person.languages.add("en", "es")
    spoke(person, area, event=conference, starts_at=taipei(2022, 3, 16, 1, 30))
    PersonExpertise.objects.create(person=person, area=area, note="Also a note.")
    Candidacy.objects.create(workshop=workshop, person=person, suitability="possible", reason="Maybe")
    return person


def count_queries(client, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.context["rows"])


def test_query_count_is_the_same_for_one_and_three_results(client_for, planner):
    area = make_area("Protection", name_zh="保護")
    workshop = WorkshopFactory()
    workshop.themes.add(area)
    conference = EventFactory()
    candidate_graph(workshop, area, conference)
    client = client_for(planner)
    params = {"workshop": workshop.pk, "country": "US", "q": "Given", "suitability": "possible"}

    with_one, rows_one = count_queries(client, params)
    candidate_graph(workshop, area, conference)
    candidate_graph(workshop, area, conference)
    with_three, rows_three = count_queries(client, params)

    assert (rows_one, rows_three) == (1, 3)
    # Session, user, the device that passed the second step, the user's and the groups'
    # permissions, workshop, its themes, the areas below them, the ranked page (with its count),
    # the page's matching links, affiliations and candidacies, the workshop and language lists of
    # the filter form: no COUNT of its own, no list of every area or event.
    assert with_one == with_three == 14


def test_the_finder_hands_its_query_string_to_the_exports_only_for_those_allowed(client, make_user):
    from tests.factories import PersonFactory

    PersonFactory(full_name="Export Candidate", country="PH")
    exporter = make_user("exporter", "partners.view_person", "partners.export_person")
    client.force_login(exporter)
    content = client.get("/candidates/", {"country": "PH"}).content.decode()
    assert 'href="/contact-sheet/?country=PH"' in content
    assert 'href="/contact-sheet/export/?country=PH&amp;format=xlsx"' in content

    client.force_login(make_user("looker", "partners.view_person"))
    assert "/contact-sheet/export/" not in client.get("/candidates/", {"country": "PH"}).content.decode()


def test_the_expertise_and_event_pickers_hold_only_the_chosen_options(client_for, planner, world):
    response = client_for(planner).get(URL, {"expertise": world["t_visa"].pk, "event": world["conference_a"].pk})

    content = response.content.decode()
    assert f'<option value="{world["t_visa"].pk}" selected>T 簽證 T visa</option>' in content
    assert "數位科技" not in content  # another area of the taxonomy, not chosen
    assert f'<option value="{world["conference_a"].pk}" selected>Conference Alpha' in content
    assert "Conference Beta" not in content
    assert content.count(f'data-ajax--url="{reverse("candidates-autocomplete")}"') == 2
    assert "admin/js/autocomplete.js" in content


AUTOCOMPLETE = reverse("candidates-autocomplete")
AREAS = {"app_label": "partners", "model_name": "personexpertise", "field_name": "area"}
EVENTS = {"app_label": "conference", "model_name": "session", "field_name": "event"}


def test_the_pickers_search_areas_and_events_for_anyone_who_may_use_the_finder(client_for, planner, world):
    client = client_for(planner)  # may view people, not areas or events in the admin

    areas = client.get(AUTOCOMPLETE, {**AREAS, "term": "簽證"})
    events = client.get(AUTOCOMPLETE, {**EVENTS, "term": "beta"})

    assert areas.json()["results"] == [{"id": str(world["t_visa"].pk), "text": "T 簽證 T visa"}]
    assert [result["id"] for result in events.json()["results"]] == [str(world["conference_b"].pk)]


def test_the_pickers_search_nothing_else_and_only_for_finder_users(client, client_for, planner, make_user, world):
    people_of_jobs = {"app_label": "partners", "model_name": "affiliation", "field_name": "person"}

    assert client.get(AUTOCOMPLETE, {**AREAS, "term": "visa"}).status_code == 302  # to the log-in
    assert client_for(make_user("clerk")).get(AUTOCOMPLETE, {**AREAS, "term": "visa"}).status_code == 403
    planner_client = client_for(planner)
    assert planner_client.get(AUTOCOMPLETE, {**people_of_jobs, "term": "Ana"}).status_code == 403
    assert planner_client.get(AUTOCOMPLETE, {"term": "visa"}).status_code == 403
