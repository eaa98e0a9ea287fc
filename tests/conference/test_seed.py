"""The seed record (fixtures/fnusa_2022.json): the 2022 Freedom Network USA conference as the trip report gives it."""

import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.models import ContactMethod, ExpertiseArea, Organization, Person, PersonExpertise

pytestmark = pytest.mark.django_db

FIXTURE = "fnusa_2022"
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
MIAMI = ZoneInfo("America/New_York")
TAIPEI = ZoneInfo("Asia/Taipei")

WELCOME = "Welcome"
KEYNOTE_1 = "Equity and Engaging Youth Impacted by CSE"
BREAKOUT_1 = "Widening the Frame: Labor Trafficking of U.S. Adults and Minors"
BREAKOUT_2 = "Crime Victims' Rights and Immigration Relief Intersections"
ROUND_TABLE = "Training and Technical Assistance Round Table"
USCIS_PANEL = "USCIS Panel"
BREAKOUT_4 = "Coding New Pathways to Careers"
KEYNOTE_3 = "Trafficking During Crises: Centering Race, Gender, & Disability"
ASK_A_FED = "Ask A Fed: Federal Response to Human Trafficking"
BREAKOUT_6 = "Cultural Humility When Serving Foreign Born Survivors"

SPEAKERS = {
    WELCOME: {"Jean Bruggeman"},
    KEYNOTE_1: {"Joy Thompson", "Kanesha Lenore Jean-Baptiste", "Dashamir Pettway"},
    BREAKOUT_1: {"Regina Bernadin"},
    BREAKOUT_2: {"Rose Mukhar", "Lynette Parker", "Bora Lee", "Saerom Choi"},
    ROUND_TABLE: {"Erika Gonzalez"},
    USCIS_PANEL: {"Nidhi Kaura", "Sarah Krieger", "Beth Bokan", "Catherine Longkumer"},
    BREAKOUT_4: {"Laura Hackney", "Jakki Bedsole", "Iram Shaikh"},
    KEYNOTE_3: {"Justice Shorter"},
    ASK_A_FED: set(),
    BREAKOUT_6: {"Hao Nguyen", "Chulita Havill"},
}
ALL_SPEAKERS = set().union(*SPEAKERS.values())


def load_seed():
    call_command("loaddata", FIXTURE, verbosity=0)


@pytest.fixture
def conference():
    load_seed()
    return Event.objects.get(kind=Event.Kind.CONFERENCE, organizer__acronym="FNUSA", start_date__year=2022)


@pytest.fixture
def workshop(conference):
    return Event.objects.get(kind=Event.Kind.WORKSHOP, name_zh="2022年防制人口販運國際工作坊")


def seed_models():
    """Every model of both apps, history and many-to-many tables included."""
    models = []
    for label in ("partners", "conference"):
        models.extend(apps.get_app_config(label).get_models(include_auto_created=True))
    return models


def counts():
    return {model._meta.label: model._default_manager.count() for model in seed_models()}


def test_loads_on_an_empty_database():
    assert Person.objects.count() == 0
    assert Event.objects.count() == 0

    load_seed()

    assert 60 <= ExpertiseArea.objects.count() <= 110
    assert Organization.objects.count() >= 30
    assert Person.objects.count() == 20
    assert Event.objects.conferences().count() == 1
    assert Event.objects.workshops().count() == 1
    assert Session.objects.count() == 10
    assert Appearance.objects.count() == 26
    assert Attendance.objects.count() == 10
    assert Candidacy.objects.count() == 20


def test_loading_twice_duplicates_nothing():
    load_seed()
    first = counts()
    load_seed()
    assert counts() == first


def test_fixture_uses_natural_keys_only():
    objects = json.loads((FIXTURES_DIR / f"{FIXTURE}.json").read_text(encoding="utf-8"))
    assert all("pk" not in obj for obj in objects)
    sessions = [obj["fields"] for obj in objects if obj["model"] == "conference.session"]
    assert sessions and all(s["starts_at"].endswith("+08:00") and s["ends_at"].endswith("+08:00") for s in sessions)


def test_taxonomy_is_a_sound_bilingual_tree(conference):
    assert all(not problems for problems in ExpertiseArea.objects.find_problems())
    assert {area.depth for area in ExpertiseArea.objects.all()} == {1, 2, 3}
    for area in ExpertiseArea.objects.all():
        assert area.name and area.name_zh and area.description, area.code
    roots = set(ExpertiseArea.objects.get_root_nodes().values_list("code", flat=True))
    assert {
        "prevention",
        "protection",
        "prosecution",
        "partnership",
        "legal-immigration-relief",
        "labor-trafficking",
        "sex-trafficking",
        "youth",
        "data-research",
        "policy-funding",
        "digital-technology",
    } <= roots
    t_visa = ExpertiseArea.objects.get(code="t-visa")
    assert t_visa.full_name().startswith("Legal and immigration relief › ")
    for code in (
        "victim-services",
        "trauma-informed-practice",
        "cultural-humility",
        "shelter-case-management",
        "survivor-economic-empowerment",
        "law-enforcement",
        "criminal-prosecution",
        "financial-investigation",
        "digital-forensics",
        "online-exploitation",
        "supply-chain-forced-labor",
        "continued-presence",
        "crime-victims-rights",
        "criminal-record-relief",
        "racial-equity",
        "disability",
    ):
        assert ExpertiseArea.objects.filter(code=code).exists(), code


def test_conference(conference):
    assert conference.organizer.name == "Freedom Network USA"
    assert (conference.start_date, conference.end_date) == (date(2022, 3, 15), date(2022, 3, 17))
    assert conference.time_zone == "America/New_York"
    assert conference.venue == "Hyatt Regency Miami"
    assert conference.city == "Miami"
    assert conference.country == "US"
    assert conference.format == Event.Format.HYBRID
    assert conference.theme_zh == "全面提升－新時代之人口販運"
    assert "2002" in conference.description


def test_organization_hierarchy(conference):
    def ancestors(acronym_or_name):
        org = Organization.objects.filter(acronym=acronym_or_name).first() or Organization.objects.get(
            name=acronym_or_name
        )
        chain = []
        while org.parent_id:
            org = org.parent
            chain.append(org.name)
        return chain

    assert "U.S. Department of Justice" in ancestors("OVC")
    assert ancestors("HTPU")[:2] == ["Civil Rights Division", "U.S. Department of Justice"]
    assert ancestors("OTIP")[:2] == [
        "Administration for Children and Families",
        "U.S. Department of Health and Human Services",
    ]
    for acronym in ("USCIS", "HSI", "CBP", "ICE", "CCHT"):
        assert "U.S. Department of Homeland Security" in ancestors(acronym), acronym
    for acronym in ("DS", "J/TIP"):
        assert "U.S. Department of State" in ancestors(acronym), acronym
    assert Organization.objects.get(acronym="USCIS").name == "U.S. Citizenship and Immigration Services"
    assert Organization.objects.get(acronym="HSI").name == "Homeland Security Investigations"
    nia = Organization.objects.get(name_zh="內政部移民署")
    assert (nia.name, nia.country, nia.kind) == ("National Immigration Agency", "TW", Organization.Kind.GOVERNMENT)
    assert nia.parent.name_zh == "內政部"
    for name in ("Alliance for Safety and Justice", "National Crime Victim Law Institute", "The White House"):
        assert Organization.objects.filter(name=name).exists(), name


def test_sessions_per_day(conference):
    by_day = Counter(session.local_start().date() for session in conference.sessions.all())
    assert by_day == {date(2022, 3, 15): 4, date(2022, 3, 16): 3, date(2022, 3, 17): 3}
    kinds = Counter(conference.sessions.values_list("kind", flat=True))
    assert kinds == {"welcome": 1, "keynote": 2, "round_table": 1, "breakout": 6}
    first_day = conference.sessions.filter(starts_at__lt=datetime(2022, 3, 16, 12, tzinfo=MIAMI))
    assert sorted(first_day.values_list("kind", flat=True)) == ["breakout", "breakout", "keynote", "welcome"]
    for session in conference.sessions.all():
        assert session.title_zh and session.summary and session.topics.exists(), session.title
        assert session.ends_at > session.starts_at


def test_welcome_starts_at_1545_utc(conference):
    welcome = conference.sessions.get(kind=Session.Kind.WELCOME)
    assert welcome.starts_at == datetime(2022, 3, 15, 15, 45, tzinfo=UTC)
    assert welcome.ends_at == datetime(2022, 3, 15, 16, 0, tzinfo=UTC)
    assert welcome.starts_at.astimezone(TAIPEI) == datetime(2022, 3, 15, 23, 45, tzinfo=TAIPEI)
    assert welcome.local_start() == datetime(2022, 3, 15, 11, 45, tzinfo=MIAMI)
    assert welcome.participant_count == 799


def test_speakers_per_session(conference):
    for title, names in SPEAKERS.items():
        session = conference.sessions.get(title=title)
        people = set(session.appearances.filter(person__isnull=False).values_list("person__full_name", flat=True))
        assert people == names, title
    assert set(Person.objects.values_list("full_name", flat=True)) == ALL_SPEAKERS


def test_roles(conference):
    round_table = conference.sessions.get(title=ROUND_TABLE)
    assert round_table.appearances.get().role == Appearance.Role.MODERATOR
    survivor = Appearance.objects.get(person__full_name="Chulita Havill")
    assert survivor.role == Appearance.Role.SURVIVOR_SPEAKER
    jean = Appearance.objects.get(person__full_name="Jean Bruggeman")
    assert jean.person.affiliations.get().title == "Executive Director"


def test_every_appearance_names_someone(conference):
    assert not Appearance.objects.filter(person__isnull=True, organization__isnull=True).exists()
    ask_a_fed = conference.sessions.get(title=ASK_A_FED)
    presenters = ask_a_fed.appearances.all()
    assert all(a.person_id is None and a.role == Appearance.Role.PRESENTER for a in presenters)
    assert {a.organization.acronym for a in presenters} == {"OVC", "HTPU", "OTIP", "CCHT", "DS", "J/TIP"}


def test_every_speaker_has_expertise_evidenced_by_an_appearance(conference):
    for person in Person.objects.all():
        links = person.expertise_links.filter(appearance__isnull=False)
        assert links.exists(), person.full_name
        assert all(link.appearance.person_id == person.pk for link in links), person.full_name


def test_immigration_relief_speakers_carry_legal_relief_expertise(conference):
    relief = ExpertiseArea.objects.get(code="legal-immigration-relief")
    t_visa = ExpertiseArea.objects.get(code="t-visa")
    for title in (BREAKOUT_2, USCIS_PANEL):
        for appearance in conference.sessions.get(title=title).appearances.all():
            held = ExpertiseArea.objects.filter(person_links__person=appearance.person)
            assert held.under([relief]).exists(), appearance.person.full_name
            assert t_visa in held, appearance.person.full_name


def test_only_the_survivor_is_sensitive(conference):
    assert list(Person.objects.filter(sensitive=True).values_list("full_name", flat=True)) == ["Chulita Havill"]
    session = conference.sessions.get(title=BREAKOUT_6)
    assert "Chulita" not in session.summary


def test_no_contact_details_were_invented(conference):
    assert ContactMethod.objects.count() == 0
    for person in Person.objects.all():
        assert "2022年美國防制人口販運自由聯盟會議出國報告" in person.source
        assert "聯絡資訊待查" in person.notes


def test_workshop_themes_exist_and_no_speaker_expertise_lies_on_them(workshop):
    assert workshop.organizer.name_zh == "內政部移民署"
    assert workshop.country == "TW"
    assert workshop.time_zone == "Asia/Taipei"
    themes = list(workshop.themes.all())
    assert {area.code for area in themes} == {"digital-technology", "investigation"}
    covered = set(ExpertiseArea.objects.all().under(themes).values_list("code", flat=True))
    assert {"digital-forensics", "online-exploitation", "financial-investigation", "law-enforcement"} <= covered
    assert not PersonExpertise.objects.filter(area__code__in=covered).exists()


def test_every_speaker_is_a_not_suitable_candidate(workshop):
    candidacies = Candidacy.objects.filter(workshop=workshop)
    assert set(candidacies.values_list("person__full_name", flat=True)) == ALL_SPEAKERS
    for candidacy in candidacies:
        assert candidacy.suitability == Candidacy.Suitability.NOT_SUITABLE
        assert candidacy.status == Candidacy.Status.IDENTIFIED
        assert "人口販運被害人保護領域" in candidacy.reason
        assert "數位科技及查緝" in candidacy.reason
        assert candidacy.decided_by_name == "江如晴、林宜萱"
        assert candidacy.decided_at is None


def test_attendance_matches_the_report(conference):
    rows = Attendance.objects.filter(event=conference)
    assert all(row.mode == Attendance.Mode.VIDEO and row.unit == "內政部移民署移民事務組" for row in rows)
    assert all(row.day == row.session.local_start().date() for row in rows)
    taipei_days = {}
    for row in rows:
        taipei_days.setdefault((row.staff_name, row.staff_title), set()).add(
            row.session.starts_at.astimezone(TAIPEI).date()
        )
    # 3/15-16 is one agenda day in Taipei (the welcome starts at 23:45 on the 15th).
    assert taipei_days == {
        ("江如晴", "助理員"): {date(2022, 3, 15), date(2022, 3, 16), date(2022, 3, 18)},
        ("林宜萱", "專員"): {date(2022, 3, 17)},
    }
    assert rows.filter(staff_name="江如晴").count() == 7
    assert rows.filter(staff_name="林宜萱").count() == 3
    assert set(rows.values_list("session", flat=True)) == set(conference.sessions.values_list("pk", flat=True))


def test_every_fixture_in_the_fixtures_folder_loads():
    paths = sorted(str(path) for path in FIXTURES_DIR.glob("*.json"))
    assert paths
    call_command("loaddata", *paths, verbosity=0)
