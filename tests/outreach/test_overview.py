"""The overview's figures equal those counted independently here; protection holds; queries constant."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from conference.models import Candidacy
from partners.models import ExpertiseArea, PersonExpertise
from tests.factories import (
    AppearanceFactory,
    CandidacyFactory,
    ContactMethodFactory,
    EventFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
)
from tests.test_admin_pages import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("overview")


@pytest.fixture
def world():
    today = timezone.localdate()
    relief = make_area("Legal relief", name_zh="法律救濟", code="legal-relief")
    visa = make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    digital = make_area("Digital investigation", name_zh="數位調查", code="digital")
    make_area("Victim services", name_zh="被害人服務", code="victim-services")
    people = {
        "ana": PersonFactory(country="US", last_confirmed=today),
        "ben": PersonFactory(country="US", last_confirmed=today - dt.timedelta(days=1000)),
        "cho": PersonFactory(country="KR", last_confirmed=None),
        "dee": PersonFactory(country="", last_confirmed=None),
        "sam": PersonFactory(country="PH", sensitive=True, last_confirmed=None),
    }
    ContactMethodFactory(person=people["ben"], marked_wrong=True)
    for key, area in [("ana", visa), ("ana", relief), ("ben", relief), ("cho", digital), ("sam", digital)]:
        PersonExpertise.objects.create(person=people[key], area=area, note="test")
    upcoming = WorkshopFactory(start_date=today + dt.timedelta(days=40), end_date=today + dt.timedelta(days=41))
    upcoming.themes.add(digital, visa)
    past = WorkshopFactory(start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=399))
    past.themes.add(relief)
    CandidacyFactory(workshop=upcoming, person=people["cho"], status=Candidacy.Status.INVITED)
    CandidacyFactory(workshop=upcoming, person=people["ana"], status=Candidacy.Status.SHORTLISTED)
    CandidacyFactory(workshop=upcoming, person=people["sam"], status=Candidacy.Status.INVITED)
    c2021 = EventFactory(start_date=dt.date(2021, 5, 1), end_date=dt.date(2021, 5, 2))
    c2022a = EventFactory(start_date=dt.date(2022, 3, 15), end_date=dt.date(2022, 3, 16))
    c2022b = EventFactory(start_date=dt.date(2022, 9, 1), end_date=dt.date(2022, 9, 2))
    for event, key in [(c2021, "ana"), (c2022a, "ana"), (c2022a, "ben"), (c2022b, "ben"), (c2022b, "sam")]:
        AppearanceFactory(person=people[key], session=SessionFactory(event=event))
    return people, upcoming


def table(response, chart_id):
    return next(chart for chart in response.context["charts"] if chart["id"] == chart_id)["rows"]


def test_figures_equal_those_counted_independently(client, role_user, world):
    people, upcoming = world
    client.force_login(role_user("Viewer"))
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    visible = [p for key, p in people.items() if key != "sam"]

    # Expertise, top level: count by hand from the links of visible people.
    expected = Counter()
    for person in visible:
        tops = {ExpertiseArea.objects.get(path=link.area.path[:4]).code for link in person.expertise_links.all()}
        expected.update(tops)
    rows = {row[0]: row[1:] for row in table(response, "expertise")}
    assert rows == {
        "法律救濟 Legal relief": [expected["legal-relief"], 1],
        "數位調查 Digital investigation": [expected["digital"], 1],
        "被害人服務 Victim services": [0, 0],
    }
    assert expected["legal-relief"] == 2 and expected["digital"] == 1

    assert dict(table(response, "pipeline")) == {
        "Identified": 0,
        "Shortlisted": 1,
        "Invited": 1,  # the sensitive invitee is not counted for a viewer
        "Confirmed": 0,
        "Declined": 0,
        "Withdrawn": 0,
    }

    countries = Counter(person.country.code or "" for person in visible)
    assert sorted(count for _label, count in table(response, "countries")) == sorted(countries.values())

    # Regions (UN M49): US in Northern America, KR in Eastern Asia; no country counted apart.
    assert table(response, "regions") == [
        ["Americas", "Northern America", countries["US"]],
        ["Asia", "Eastern Asia", countries["KR"]],
        ["", "Other or none", countries[""]],
    ]

    assert table(response, "years") == [[2021, 1, 1], [2022, 2, 2]]

    assert [count for _label, count in table(response, "reconfirm")] == [1, 1, 2, 1]


def test_a_user_allowed_sensitive_people_sees_them_counted(client, role_user, world):
    client.force_login(role_user("Viewer", sensitive=True))
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert ["Asia", "Southeast Asia", 1] in table(response, "regions")  # the sensitive person, in PH
    assert sum(count for _label, count in table(response, "pipeline")) == 3
    assert table(response, "years") == [[2021, 1, 1], [2022, 2, 3]]


def test_every_chart_has_its_table_and_the_data_as_json(admin_client, world):
    page = admin_client.get(URL).content.decode()
    for chart_id in ["expertise", "pipeline", "countries", "regions", "years", "reconfirm"]:
        assert f'id="table-{chart_id}"' in page and f'data-chart="{chart_id}"' in page
    assert 'id="overview-data"' in page
    assert "vendor/chart.js/chart.umd.min.js" in page
    assert "<script>" not in page.replace('<script type="application/json"', "")


def test_the_overview_costs_the_same_queries_for_1_and_3_rows(admin_client):
    area = make_area("Legal relief", code="legal-relief")
    workshop = WorkshopFactory(start_date=None, end_date=None)
    workshop.themes.add(area)

    def add_row(number):
        person = PersonFactory(country=["US", "KR", "PH"][number])
        PersonExpertise.objects.create(person=person, area=area, note="test")
        CandidacyFactory(workshop=workshop, person=person)
        event = EventFactory(start_date=dt.date(2020 + number, 1, 1), end_date=dt.date(2020 + number, 1, 2))
        AppearanceFactory(person=person, session=SessionFactory(event=event))

    add_row(0)
    admin_client.get(URL)
    with_one = count_queries(admin_client, URL)
    add_row(1)
    add_row(2)
    assert count_queries(admin_client, URL) == with_one


def test_regions_follow_the_un_m49_table_in_both_languages(client, role_user):
    from django.utils import translation

    from outreach.regions import people_by_region, sub_region_of

    assert sub_region_of()["TW"] == "030" and sub_region_of()["MX"] == "013" and "AQ" not in sub_region_of()
    rows = people_by_region({"US": 3, "CA": 1, "FR": 2, "AQ": 1, "": 4})
    with translation.override("en"):
        assert [(str(a), str(b), n) for a, b, n in rows] == [
            ("Americas", "Northern America", 4),
            ("Europe", "Western Europe", 2),
            ("", "", 5),
        ]
    with translation.override("zh-hant"):
        assert [(str(a), str(b)) for a, b, _n in rows[:2]] == [("美洲", "北美"), ("歐洲", "西歐")]
