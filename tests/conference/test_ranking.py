"""The graded score (conference.ranking) on built data, both ways of computing it, and on the seed record."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from conference.models import Appearance, Candidacy
from conference.ranking import PARTS, RankingPlan, Weights
from conference.selectors import candidate_rows, candidates_for_areas, ranked_candidates, ranking_plan
from partners.models import ExpertiseArea, PersonExpertise
from tests.factories import (
    AppearanceFactory,
    CandidacyFactory,
    EventFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
)

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now().replace(microsecond=0) - dt.timedelta(days=days)


@pytest.fixture
def themes():
    protection = make_area("Protection", code="protection")
    shelter = make_area("Shelter", parent=protection, code="shelter")
    legal = make_area("Legal relief", code="legal")
    t_visa = make_area("T visa", parent=legal, code="t-visa")
    return {"protection": protection, "shelter": shelter, "legal": legal, "t_visa": t_visa}


@pytest.fixture
def conference():
    return EventFactory(name="Built Conference")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", "partners.view_person")


def talk(person, *areas, days_ago, event, role=Appearance.Role.SPEAKER):
    """``person`` spoke on ``areas`` in one new session ``days_ago`` days ago."""
    session = SessionFactory(event=event, starts_at=ago(days_ago))
    appearance = AppearanceFactory(person=person, session=session, role=role)
    for area in areas:
        PersonExpertise.objects.create(person=person, area=area, appearance=appearance)
    return appearance


def both_ways(areas, viewer, workshop=None):
    """The ranking from the people's side (a whole selection) and from the links' side (a page): the same."""
    people = list(candidates_for_areas(areas, user=viewer, workshop=workshop))
    page = ranked_candidates(areas, user=viewer, workshop=workshop)[0:50]
    assert [person.pk for person in page] == [person.pk for person in people]
    for person, paged in zip(people, page, strict=True):
        assert paged.score_parts.score == pytest.approx(person.score)
        assert paged.score_parts.themes == person.coverage
    return people


def test_coverage_outweighs_every_other_part_together():
    assert Weights.most_besides_coverage() - Weights.least_besides_coverage() < Weights.COVERAGE
    assert PARTS[0] == "coverage"


def test_two_themes_beat_one(themes, conference, viewer):
    # The one-theme person has everything else: the theme itself, three recent talks, a confirmed record.
    one = PersonFactory(full_name="Aaron One-Theme")
    for days in (1, 2, 3):
        talk(one, themes["protection"], days_ago=days, event=conference)
    CandidacyFactory(person=one, status=Candidacy.Status.CONFIRMED)
    two = PersonFactory(full_name="Zed Two-Themes")
    PersonExpertise.objects.create(person=two, area=themes["shelter"], note="Runs a shelter.")
    PersonExpertise.objects.create(person=two, area=themes["t_visa"], note="Helps with applications.")

    ranked = both_ways([themes["protection"], themes["legal"]], viewer)

    assert ranked == [two, one]
    assert [person.coverage for person in ranked] == [2, 1]


def test_three_talks_beat_one_talk_of_the_same_recency_with_diminishing_returns(themes, conference, viewer):
    one = PersonFactory(full_name="Aaron One-Talk")
    talk(one, themes["shelter"], days_ago=10, event=conference)
    three = PersonFactory(full_name="Zed Three-Talks")
    for days in (10, 400, 800):
        talk(three, themes["shelter"], days_ago=days, event=conference)
    two = PersonFactory(full_name="Mia Two-Talks")
    for days in (10, 400):
        talk(two, themes["shelter"], days_ago=days, event=conference)

    ranked = both_ways([themes["protection"]], viewer)

    assert ranked == [three, two, one]
    assert [person.talks for person in ranked] == [3, 2, 1]
    gains = [ranked[1].evidence - ranked[2].evidence, ranked[0].evidence - ranked[1].evidence]
    assert gains[0] > gains[1] > 0  # the third talk adds less than the second
    assert ranked[0].recency == ranked[1].recency == ranked[2].recency


def test_a_more_recent_talk_beats_an_older_one_when_all_else_is_equal(themes, conference, viewer):
    older = PersonFactory(full_name="Aaron Older")
    talk(older, themes["shelter"], days_ago=3 * 365, event=conference)
    recent = PersonFactory(full_name="Zed Recent")
    talk(recent, themes["shelter"], days_ago=30, event=conference)

    ranked = both_ways([themes["protection"]], viewer)

    assert ranked == [recent, older]
    assert ranked[0].recency > ranked[1].recency > 0
    assert ranked[0].recency <= Weights.RECENCY
    assert (ranked[0].coverage, ranked[0].closeness, ranked[0].evidence) == (
        ranked[1].coverage,
        ranked[1].closeness,
        ranked[1].evidence,
    )


def test_a_talk_beats_moderating_and_moderating_beats_a_note(themes, conference, viewer):
    noted = PersonFactory(full_name="Aaron Noted")
    PersonExpertise.objects.create(person=noted, area=themes["shelter"], note="Knows shelters.")
    moderator = PersonFactory(full_name="Bea Moderator")
    talk(moderator, themes["shelter"], days_ago=30, event=conference, role=Appearance.Role.MODERATOR)
    panelist = PersonFactory(full_name="Zed Panelist")
    talk(panelist, themes["shelter"], days_ago=30, event=conference, role=Appearance.Role.PANELIST)

    ranked = both_ways([themes["protection"]], viewer)

    assert ranked == [panelist, moderator, noted]
    assert ranked[0].evidence > ranked[1].evidence > ranked[2].evidence == Weights.NOTE


def test_a_confirmed_past_speaker_beats_an_equal_stranger_and_declining_lowers_a_little(themes, conference, viewer):
    people = {}
    for name in ("Aaron Stranger", "Mia Declined", "Zed Confirmed"):
        people[name] = PersonFactory(full_name=name)
        talk(people[name], themes["shelter"], days_ago=30, event=conference)
    CandidacyFactory(person=people["Zed Confirmed"], status=Candidacy.Status.CONFIRMED)
    CandidacyFactory(person=people["Mia Declined"], status=Candidacy.Status.DECLINED)
    workshop = WorkshopFactory()
    workshop.themes.add(themes["protection"])

    ranked = both_ways([themes["protection"]], viewer, workshop=workshop)

    assert [person.full_name for person in ranked] == ["Zed Confirmed", "Aaron Stranger", "Mia Declined"]
    assert [person.record for person in ranked] == [Weights.CONFIRMED, 0, Weights.DECLINED]


def test_the_workshop_being_planned_is_no_track_record_of_its_own(themes, conference, viewer):
    person = PersonFactory()
    talk(person, themes["shelter"], days_ago=30, event=conference)
    workshop = WorkshopFactory()
    workshop.themes.add(themes["protection"])
    CandidacyFactory(person=person, workshop=workshop, status=Candidacy.Status.CONFIRMED)

    [ranked] = both_ways([themes["protection"]], viewer, workshop=workshop)

    assert ranked.record == 0


def test_not_suitable_for_a_workshop_with_the_same_themes_is_shown_not_scored(themes, conference, viewer):
    person = PersonFactory()
    talk(person, themes["shelter"], days_ago=30, event=conference)
    earlier = WorkshopFactory(name="Earlier shelter workshop")
    earlier.themes.add(themes["protection"])
    unrelated = WorkshopFactory(name="Unrelated workshop")
    unrelated.themes.add(themes["legal"])
    judged = CandidacyFactory(person=person, workshop=earlier, suitability=Candidacy.Suitability.NOT_SUITABLE)
    CandidacyFactory(person=person, workshop=unrelated, suitability=Candidacy.Suitability.NOT_SUITABLE)
    workshop = WorkshopFactory()
    workshop.themes.add(themes["protection"])

    plan = ranking_plan([themes["protection"]], workshop=workshop)
    [row] = candidate_rows(ranked_candidates([], user=viewer, plan=plan)[0:50], plan=plan)

    assert row.record == [judged]
    assert row.parts.record == 0


def test_the_order_is_stable_and_a_name_decides_only_when_every_part_is_equal(themes, conference, viewer):
    # "Aaron" would come first by name; his closeness is lower (an area below), so he does not.
    aaron = PersonFactory(full_name="Aaron Below")
    talk(aaron, themes["shelter"], days_ago=30, event=conference)
    zed = PersonFactory(full_name="Zed Itself")
    talk(zed, themes["protection"], days_ago=30, event=conference)
    twins = [PersonFactory(full_name=name) for name in ("Twin B", "Twin A")]
    for twin in twins:
        PersonExpertise.objects.create(person=twin, area=themes["shelter"], note="Same note.")

    first = both_ways([themes["protection"]], viewer)
    again = both_ways([themes["protection"]], viewer)

    assert first == again == [zed, aaron, twins[1], twins[0]]
    assert first[2].score == first[3].score


def test_the_rows_reasons_say_which_theme_each_link_covers_and_the_parts(themes, conference, viewer):
    person = PersonFactory(full_name="Rae Reasons")
    appearance = talk(person, themes["shelter"], themes["t_visa"], days_ago=30, event=conference)
    talk(person, themes["shelter"], days_ago=60, event=conference)
    plan = ranking_plan([themes["protection"], themes["legal"], make_area("Data", code="data")])

    [row] = candidate_rows(ranked_candidates([], user=viewer, plan=plan)[0:50], plan=plan)

    assert [(reason.area, reason.themes, len(reason.appearances)) for reason in row.reasons] == [
        (themes["shelter"], [themes["protection"]], 2),
        (themes["t_visa"], [themes["legal"]], 1),
    ]
    assert row.reasons[1].appearances == [appearance]
    assert row.parts.summary() == f"2 of 3 themes · 2 talks · latest {timezone.localtime(ago(30)).year}"
    assert "coverage 200 + closeness" in row.parts.breakdown()


def test_a_page_costs_the_same_queries_for_one_and_three_candidates(
    themes, conference, viewer, django_assert_num_queries
):
    plan = ranking_plan([themes["protection"]], workshop=WorkshopFactory())

    def page():
        ranked = ranked_candidates([], user=viewer, plan=plan)
        # The capped count, the grouped page, its people, their links, jobs, track record, candidacies.
        with django_assert_num_queries(7):
            rows = candidate_rows(ranked[0:50], plan=plan)
            ranked.count()
        return rows

    talk(PersonFactory(), themes["shelter"], days_ago=5, event=conference)
    assert len(page()) == 1
    talk(PersonFactory(), themes["shelter"], days_ago=5, event=conference)
    talk(PersonFactory(), themes["protection"], days_ago=5, event=conference)
    assert len(page()) == 3


def test_the_count_is_capped_and_says_so(themes, conference, viewer, monkeypatch):
    from conference.selectors import RankedCandidates

    for _ in range(3):
        PersonExpertise.objects.create(person=PersonFactory(), area=themes["shelter"], note="Note.")
    monkeypatch.setattr(RankedCandidates, "COUNT_LIMIT", 2)

    ranked = ranked_candidates([themes["protection"]], user=viewer)

    assert (ranked.count(), ranked.count_is_capped) == (2, True)
    assert len(ranked[0:50]) == 3  # the cap limits the count, not the ranking


def test_recency_needs_no_clock_of_the_database():
    plan = RankingPlan([], now=timezone.now())
    assert not plan and plan.themes == []


# The seed record.


USCIS_OFFICERS = ["Beth Bokan", "Nidhi Kaura", "Sarah Krieger"]
USCIS_PANEL = ["Beth Bokan", "Catherine Longkumer", "Nidhi Kaura", "Sarah Krieger"]
IMMIGRATION_ATTORNEYS = ["Bora Lee", "Lynette Parker", "Rose Mukhar", "Saerom Choi"]


@pytest.fixture
def seed():
    call_command("loaddata", "fnusa_2022", verbosity=0)


def test_seed_immigration_relief_and_t_visa_workshop_puts_the_uscis_panel_and_attorneys_first(seed, viewer):
    workshop = WorkshopFactory(name="Immigration relief and the T visa")
    workshop.themes.add(*ExpertiseArea.objects.filter(code__in=["immigration-relief", "t-visa"]))

    ranked = both_ways(list(workshop.themes.all()), viewer, workshop=workshop)

    names = [person.full_name for person in ranked]
    assert names == [*USCIS_PANEL, *IMMIGRATION_ATTORNEYS, "Erika Gonzalez"]
    # Both themes for the panellists (the T visa is below immigration relief); the moderator
    # of the legal-services round table reaches immigration relief only.
    assert [person.coverage for person in ranked] == [2] * 8 + [1]
    # Not all tied: the USCIS panel (16 March, Miami) is a day more recent than the attorneys' panel.
    assert ranked[0].score > ranked[4].score > ranked[8].score
    assert len({round(person.score, 6) for person in ranked}) == 3


def test_seed_victim_services_and_cultural_humility_ranks_api_chaya_above_the_uscis_officers(seed, viewer):
    workshop = WorkshopFactory(name="Victim services and cultural humility")
    workshop.themes.add(*ExpertiseArea.objects.filter(code__in=["protection", "cultural-humility"]))

    ranked = both_ways(list(workshop.themes.all()), viewer, workshop=workshop)

    names = [person.full_name for person in ranked]
    assert names[0] == "Hao Nguyen"  # API Chaya: shelter, interpretation and cultural humility in one talk
    assert all(names.index("Hao Nguyen") < names.index(officer) for officer in USCIS_OFFICERS)
    assert [ranked[names.index(officer)].coverage for officer in USCIS_OFFICERS] == [1, 1, 1]
    assert ranked[0].coverage == 2

    narrower = WorkshopFactory(name="Victim services and cultural humility (narrow)")
    narrower.themes.add(*ExpertiseArea.objects.filter(code__in=["victim-services", "cultural-humility"]))
    narrow = both_ways(list(narrower.themes.all()), viewer, workshop=narrower)
    assert narrow[0].full_name == "Hao Nguyen"
    assert not set(USCIS_OFFICERS) & {person.full_name for person in narrow}
