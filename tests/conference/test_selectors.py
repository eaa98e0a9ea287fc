"""Ranking candidates by fit (conference.selectors), on a small taxonomy and on the seed record."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from conference.models import Candidacy, Event
from conference.selectors import (
    all_candidates,
    candidacy_decisions,
    candidates_for_areas,
    candidates_for_workshop,
    match_reasons,
    workshop_shortlist,
)
from conference.services import assess_candidates
from partners.models import ExpertiseArea, Person, PersonExpertise
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


def taipei(*args):
    return timezone.make_aware(dt.datetime(*args))


def ago(days, hours=0):
    """A session start ``days`` (and ``hours``) before now: recency then keeps its weight whenever the tests run."""
    return timezone.now().replace(microsecond=0) - dt.timedelta(days=days, hours=hours)


@pytest.fixture
def taxonomy():
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="relief")
    immigration = make_area("Immigration relief", parent=relief, name_zh="移民救濟", code="immigration")
    t_visa = make_area("T visa", parent=immigration, name_zh="T 簽證", code="t-visa")
    technology = make_area("Digital technology", name_zh="數位科技", code="technology")
    return relief, immigration, t_visa, technology


@pytest.fixture
def conference():
    return EventFactory(name="Test Conference 2022")


def spoke(person, area, *, starts_at, event):
    """``person`` spoke on ``area`` in a session of ``event`` starting at ``starts_at``."""
    session = SessionFactory(event=event, starts_at=starts_at, title=f"Session on {area.name} at {starts_at:%d %H:%M}")
    appearance = AppearanceFactory(person=person, session=session)
    return PersonExpertise.objects.create(person=person, area=area, appearance=appearance)


def noted(person, area, note="Knows this well, says a colleague."):
    return PersonExpertise.objects.create(person=person, area=area, note=note)


@pytest.fixture
def ranked_people(taxonomy, conference):
    """People at every kind of fit for the theme "Immigration relief"."""
    relief, immigration, t_visa, technology = taxonomy
    exact_spoken = PersonFactory(full_name="Zoe Exact-Spoken")
    spoke(exact_spoken, immigration, starts_at=ago(40), event=conference)
    exact_noted = PersonFactory(full_name="Yuri Exact-Noted")
    noted(exact_noted, immigration)
    below_spoken_recent = PersonFactory(full_name="Xena Below-Recent")
    spoke(below_spoken_recent, t_visa, starts_at=ago(30), event=conference)
    below_spoken_older = PersonFactory(full_name="Adam Below-Older")
    spoke(below_spoken_older, t_visa, starts_at=ago(31), event=conference)
    below_noted_b = PersonFactory(full_name="Bea Below-Noted")
    noted(below_noted_b, t_visa)
    below_noted_a = PersonFactory(full_name="Abe Below-Noted")
    noted(below_noted_a, t_visa)
    off_theme = PersonFactory(full_name="Off Theme")
    spoke(off_theme, technology, starts_at=ago(30), event=conference)
    noted(off_theme, relief)  # the parent of the theme does not match it
    do_not_contact = PersonFactory(full_name="Do Not Contact", do_not_contact=True)
    spoke(do_not_contact, immigration, starts_at=taipei(2022, 3, 17, 1, 30), event=conference)
    sensitive = PersonFactory(full_name="Sensitive Survivor", sensitive=True)
    spoke(sensitive, immigration, starts_at=taipei(2022, 3, 17, 1, 30), event=conference)
    return {
        "exact_spoken": exact_spoken,
        "exact_noted": exact_noted,
        "below_spoken_recent": below_spoken_recent,
        "below_spoken_older": below_spoken_older,
        "below_noted_a": below_noted_a,
        "below_noted_b": below_noted_b,
        "off_theme": off_theme,
        "do_not_contact": do_not_contact,
        "sensitive": sensitive,
    }


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", "partners.view_person")


@pytest.fixture
def trusted(make_user):
    return make_user("trusted", "partners.view_person", "partners.view_sensitive_person")


def test_one_theme_the_area_itself_and_talks_above_notes_then_recency_then_name(taxonomy, ranked_people, viewer):
    immigration = taxonomy[1]

    ranked = list(candidates_for_areas([immigration], user=viewer))

    p = ranked_people
    # A talk on the T visa (one level below) outweighs a note on immigration relief itself:
    # closeness 20 + a talk 13 + recency against closeness 30 + a note 6.
    assert ranked == [
        p["exact_spoken"],
        p["below_spoken_recent"],
        p["below_spoken_older"],
        p["exact_noted"],
        p["below_noted_a"],
        p["below_noted_b"],
    ]
    assert [(person.coverage, person.closeness, person.talks) for person in ranked] == [
        (1, 30, 1),
        (1, 20, 1),
        (1, 20, 1),
        (1, 30, 0),
        (1, 20, 0),
        (1, 20, 0),
    ]
    assert ranked[1].score > ranked[2].score  # a day more recent
    assert ranked[4].score == ranked[5].score  # every part equal: the name decides


def test_do_not_contact_and_sensitive_are_absent_for_a_viewer(taxonomy, ranked_people, viewer, trusted):
    immigration = taxonomy[1]

    for_viewer = set(candidates_for_areas([immigration], user=viewer))
    for_trusted = set(candidates_for_areas([immigration], user=trusted))

    assert ranked_people["do_not_contact"] not in for_viewer | for_trusted
    assert ranked_people["sensitive"] not in for_viewer
    assert ranked_people["sensitive"] in for_trusted
    assert ranked_people["off_theme"] not in for_viewer | for_trusted


def test_anonymous_user_never_sees_sensitive_people(taxonomy, ranked_people):
    ranked = set(candidates_for_areas([taxonomy[1]], user=AnonymousUser()))

    assert ranked_people["sensitive"] not in ranked


def test_the_why_names_matched_areas_and_the_sessions_behind_them(taxonomy, conference, viewer):
    relief, immigration, t_visa, technology = taxonomy
    person = PersonFactory(full_name="Mixed Evidence")
    noted(person, immigration, note="Ran a legal clinic.")
    older = spoke(person, t_visa, starts_at=taipei(2022, 3, 16, 3, 30), event=conference)
    recent = spoke(person, t_visa, starts_at=taipei(2022, 3, 17, 1, 30), event=conference)
    spoke(person, technology, starts_at=taipei(2022, 3, 17, 3, 30), event=conference)

    [ranked] = list(candidates_for_areas([immigration], user=viewer))

    assert (ranked.coverage, ranked.closeness, ranked.talks) == (1, 30, 2)
    assert ranked.latest == recent.appearance.session.starts_at
    reasons = match_reasons(ranked)
    assert [(r.area, r.exact, r.sessions, r.notes) for r in reasons] == [
        (immigration, True, [], ["Ran a legal clinic."]),
        (t_visa, False, [recent.appearance.session, older.appearance.session], []),
    ]
    assert reasons[1].sessions[0].event == conference


def test_several_themes_each_count_as_exact(taxonomy, ranked_people, conference, viewer):
    relief, immigration, t_visa, technology = taxonomy
    techie = ranked_people["off_theme"]

    ranked = list(candidates_for_areas([immigration, technology], user=viewer))

    assert ranked[:2] == [techie, ranked_people["exact_spoken"]]  # both exact and spoken; techie's is more recent
    assert [r.area for r in match_reasons(ranked[0])] == [technology]


def test_the_why_costs_no_query_per_row(taxonomy, ranked_people, viewer, django_assert_num_queries):
    immigration = taxonomy[1]
    queryset = candidates_for_areas([immigration], user=viewer)  # one query: the areas under the themes

    with django_assert_num_queries(4):  # people, their matching links, current affiliations, track record
        ranked = list(queryset)
    with django_assert_num_queries(0):
        reasons = [match_reasons(person) for person in ranked]
        organizations = [person.current_affiliations() for person in ranked]

    assert len(reasons) == len(organizations) == 6


def test_workshop_uses_its_themes_and_without_themes_has_no_candidates(taxonomy, ranked_people, viewer):
    immigration = taxonomy[1]
    workshop = WorkshopFactory()
    workshop.themes.add(immigration)

    by_areas = list(candidates_for_areas([immigration], user=viewer))
    assert list(candidates_for_workshop(workshop, user=viewer)) == by_areas
    assert list(candidates_for_workshop(WorkshopFactory(), user=viewer)) == []


def test_narrowing_people_keeps_the_ranking(taxonomy, ranked_people, viewer):
    immigration = taxonomy[1]
    p = ranked_people
    some = Person.objects.filter(pk__in=[p["below_noted_a"].pk, p["exact_noted"].pk, p["off_theme"].pk])

    ranked = list(candidates_for_areas([immigration], user=viewer, people=some))

    assert ranked == [p["exact_noted"], p["below_noted_a"]]


def test_all_candidates_lists_everyone_contactable_and_visible_by_name(ranked_people, viewer):
    listed = list(all_candidates(user=viewer))

    assert listed == sorted(
        [person for key, person in ranked_people.items() if key not in {"do_not_contact", "sensitive"}],
        key=lambda person: person.full_name,
    )
    assert {person.score for person in listed} == {None}


def test_shortlist_groups_by_suitability_and_counts_by_status(viewer, make_user):
    workshop = WorkshopFactory()
    planner = make_user("planner")
    alice, bob, carol = (PersonFactory(full_name=name) for name in ("Alice", "Bob", "Carol"))
    assess_candidates([alice, bob], workshop=workshop, suitability="suitable", reason="Spoke on it", by=planner)
    assess_candidates([carol], workshop=workshop, suitability="not_suitable", reason="Off theme", by=planner)
    Candidacy.objects.filter(person=bob).update(status=Candidacy.Status.INVITED)
    hidden = PersonFactory(full_name="Hidden", sensitive=True)
    CandidacyFactory(workshop=workshop, person=hidden)

    shortlist = workshop_shortlist(workshop, user=viewer)

    assert shortlist.total == 3
    assert [(g.suitability, [c.person for c in g.candidacies]) for g in shortlist.groups] == [
        ("suitable", [alice, bob]),
        ("possible", []),
        ("not_assessed", []),
        ("not_suitable", [carol]),
    ]
    suitable_counts = {value: count for value, label, count in shortlist.groups[0].status_counts}
    assert suitable_counts == {
        "identified": 1,
        "shortlisted": 0,
        "invited": 1,
        "confirmed": 0,
        "declined": 0,
        "withdrawn": 0,
    }
    assert [(value, count) for value, label, count in shortlist.status_totals if count] == [
        ("identified", 2),
        ("invited", 1),
    ]


def test_candidacy_decisions_newest_first_with_who(make_user):
    planner = make_user("planner")
    person = PersonFactory()
    workshop = WorkshopFactory()
    assess_candidates([person], workshop=workshop, suitability="possible", reason="Maybe", by=planner)
    assess_candidates([person], workshop=workshop, suitability="suitable", reason="Yes after all", by=planner)

    decisions = candidacy_decisions(Candidacy.objects.get())

    assert [(d.suitability, d.reason, d.history_user) for d in decisions] == [
        ("suitable", "Yes after all", planner),
        ("possible", "Maybe", planner),
    ]


# The seed record: the 2022 Freedom Network USA conference and the workshop it was scouted for.

USCIS_PANEL = ["Beth Bokan", "Catherine Longkumer", "Nidhi Kaura", "Sarah Krieger"]
IMMIGRATION_ATTORNEYS = ["Bora Lee", "Lynette Parker", "Rose Mukhar", "Saerom Choi"]
CAST_ATTORNEY = "Erika Gonzalez"  # senior attorney, legal services round table


@pytest.fixture
def seed():
    call_command("loaddata", "fnusa_2022", verbosity=0)


def test_seed_2022_workshop_has_no_fitting_speaker_as_the_report_concludes(seed, viewer):
    workshop = Event.objects.workshops().get(name_zh="2022年防制人口販運國際工作坊")
    themes = list(workshop.themes.all())

    ranked = list(candidates_for_workshop(workshop, user=viewer))

    assert sorted(area.code for area in themes) == ["digital-technology", "investigation"]
    assert ranked == []
    speakers = Person.objects.filter(appearances__session__event__kind=Event.Kind.CONFERENCE).distinct()
    assert speakers.count() >= 19
    assert not PersonExpertise.objects.filter(person__in=speakers, area__in=ExpertiseArea.objects.under(themes))


def test_seed_immigration_relief_workshop_ranks_uscis_panel_and_attorneys_first(seed, viewer):
    workshop = WorkshopFactory(name="Immigration relief for victims of trafficking")
    workshop.themes.add(ExpertiseArea.objects.get(code="immigration-relief"))

    ranked = [person.full_name for person in candidates_for_workshop(workshop, user=viewer)]

    # Erika Gonzalez holds immigration relief itself; the others hold the T visa below it,
    # the USCIS panel (17 March) more recently than the crime-victims' rights session (16 March).
    assert ranked == [CAST_ATTORNEY, *USCIS_PANEL, *IMMIGRATION_ATTORNEYS]


def test_seed_legal_relief_workshop_ranks_areas_one_level_below_above_two_levels_below(seed, viewer):
    workshop = WorkshopFactory(name="Legal and immigration relief")
    workshop.themes.add(ExpertiseArea.objects.get(code="legal-immigration-relief"))

    ranked = list(candidates_for_workshop(workshop, user=viewer))

    # Legal representation, crime victims' rights, benefits eligibility and immigration relief
    # sit one level below the theme (closeness 20); the USCIS officers hold only the T visa,
    # two levels below (12). Among the talks at 20, the latest session first (16 March), then
    # the 15 March panel by name, then Regina Bernadin's earlier session that day; the moderator
    # after the speakers.
    assert [person.full_name for person in ranked] == [
        "Catherine Longkumer",
        *IMMIGRATION_ATTORNEYS,
        "Regina Bernadin",
        CAST_ATTORNEY,
        *[name for name in USCIS_PANEL if name != "Catherine Longkumer"],
    ]
    assert [person.closeness for person in ranked] == [20] * 7 + [12] * 3
