"""Writing decisions about candidates (conference.services)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conference.models import Candidacy
from conference.services import (
    ALLOWED_STATUS_STEPS,
    StatusStepRefused,
    allowed_next_statuses,
    assess_candidates,
    change_candidacies_status,
    change_candidacy_status,
    save_candidacy,
)
from tests.factories import CandidacyFactory, EventFactory, PersonFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

Status = Candidacy.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def planner(make_user):
    return make_user("planner", "conference.assess_candidacy", first_name="Ru", last_name="Lin")


@pytest.fixture
def workshop():
    return WorkshopFactory()


def history(candidacy):
    return list(candidacy.history.order_by("history_date", "history_id"))


def test_assess_creates_and_updates_candidacies_with_who_and_when(planner, workshop):
    new_person = PersonFactory()
    known = CandidacyFactory(workshop=workshop, status=Status.SHORTLISTED)

    result = assess_candidates(
        [new_person, known.person], workshop=workshop, suitability="suitable", reason="Spoke on T visas", by=planner
    )

    created = Candidacy.objects.get(person=new_person)
    known.refresh_from_db()
    assert result.created == [created]
    assert result.updated == [known]
    assert result.count == 2
    for candidacy in (created, known):
        assert candidacy.suitability == "suitable"
        assert candidacy.reason == "Spoke on T visas"
        assert candidacy.decided_by == planner
        assert candidacy.decided_by_name == "Ru Lin"
        assert candidacy.decided_at is not None
    assert (created.status, created.version) == (Status.IDENTIFIED, 1)
    assert (known.status, known.version) == (Status.SHORTLISTED, 2)  # status untouched, version bumped


def test_assess_keeps_every_decision_in_the_history(planner, workshop):
    person = PersonFactory()

    assess_candidates([person], workshop=workshop, suitability="possible", reason="Maybe", by=planner)
    assess_candidates([person], workshop=workshop, suitability="not_suitable", reason="Off theme", by=planner)

    candidacy = Candidacy.objects.get()
    assert [(h.history_type, h.suitability, h.reason, h.history_user, h.version) for h in history(candidacy)] == [
        ("+", "possible", "Maybe", planner, 1),
        ("~", "not_suitable", "Off theme", planner, 2),
    ]


def test_assess_a_person_listed_twice_once(planner, workshop):
    person = PersonFactory()

    result = assess_candidates([person, person], workshop=workshop, suitability="suitable", reason="x", by=planner)

    assert result.count == 1
    assert Candidacy.objects.count() == 1


def test_assess_accepts_a_queryset(planner, workshop):
    people = [PersonFactory(), PersonFactory()]

    assess_candidates(type(people[0]).objects.all(), workshop=workshop, suitability="possible", reason="x", by=planner)

    assert set(Candidacy.objects.values_list("person", flat=True)) == {p.pk for p in people}


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "   "},
        {"suitability": "not_assessed"},
        {"suitability": "brilliant"},
        {"workshop": "conference"},
    ],
)
def test_assess_refuses_bad_input_and_writes_nothing(planner, workshop, change):
    arguments = {"workshop": workshop, "suitability": "suitable", "reason": "Good"}
    arguments.update(change)
    if arguments["workshop"] == "conference":
        arguments["workshop"] = EventFactory()

    with pytest.raises(ValidationError):
        assess_candidates([PersonFactory()], by=planner, **arguments)

    assert Candidacy.objects.count() == 0


def test_allowed_steps_table():
    assert ALLOWED_STATUS_STEPS[Status.IDENTIFIED] == {Status.SHORTLISTED, Status.WITHDRAWN}
    assert allowed_next_statuses(Status.INVITED) == [Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN]
    assert allowed_next_statuses(Status.DECLINED) == []
    assert allowed_next_statuses(None) == [Status.IDENTIFIED]


def test_status_walks_the_allowed_steps_with_history(planner):
    candidacy = CandidacyFactory()

    for status in (Status.SHORTLISTED, Status.INVITED, Status.CONFIRMED):
        change_candidacy_status(candidacy, status=status, by=planner)

    candidacy.refresh_from_db()
    assert candidacy.status == Status.CONFIRMED
    assert candidacy.version == 4
    assert candidacy.decided_by == planner
    assert [(h.status, h.history_user) for h in history(candidacy)] == [
        (Status.IDENTIFIED, None),
        (Status.SHORTLISTED, planner),
        (Status.INVITED, planner),
        (Status.CONFIRMED, planner),
    ]


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.IDENTIFIED, Status.CONFIRMED),
        (Status.IDENTIFIED, Status.INVITED),
        (Status.SHORTLISTED, Status.DECLINED),
        (Status.DECLINED, Status.INVITED),
        (Status.WITHDRAWN, Status.SHORTLISTED),
        (Status.CONFIRMED, Status.INVITED),
    ],
)
def test_an_illegal_step_is_refused_with_a_message_and_changes_nothing(planner, current, new):
    candidacy = CandidacyFactory(status=current)

    with pytest.raises(StatusStepRefused) as refused:
        change_candidacy_status(candidacy, status=new, by=planner)

    assert f"“{Status(current).label}” to “{Status(new).label}”" in refused.value.messages[0]
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.version, candidacy.decided_by) == (current, 1, None)
    assert len(history(candidacy)) == 1


@pytest.mark.parametrize("current", [Status.IDENTIFIED, Status.SHORTLISTED, Status.INVITED, Status.CONFIRMED])
def test_withdrawn_from_any_open_state(planner, current):
    candidacy = CandidacyFactory(status=current)

    change_candidacy_status(candidacy, status=Status.WITHDRAWN, by=planner)

    candidacy.refresh_from_db()
    assert candidacy.status == Status.WITHDRAWN


def test_a_stale_copy_cannot_skip_a_step(planner):
    candidacy = CandidacyFactory(status=Status.INVITED)
    stale = Candidacy.objects.get(pk=candidacy.pk)
    change_candidacy_status(candidacy, status=Status.DECLINED, by=planner)

    with pytest.raises(StatusStepRefused):
        change_candidacy_status(stale, status=Status.CONFIRMED, by=planner)

    candidacy.refresh_from_db()
    assert candidacy.status == Status.DECLINED


def test_bulk_status_change_is_all_or_nothing(planner):
    ready = CandidacyFactory(status=Status.SHORTLISTED)
    not_ready = CandidacyFactory(status=Status.IDENTIFIED, person=PersonFactory(full_name="Not Ready"))

    with pytest.raises(StatusStepRefused) as refused:
        change_candidacies_status([ready, not_ready], status=Status.INVITED, by=planner)

    assert "Not Ready" in refused.value.messages[0]
    assert refused.value.messages[-1] == "Nothing was changed."
    ready.refresh_from_db()
    assert ready.status == Status.SHORTLISTED


def test_bulk_status_change_moves_each_and_skips_those_already_there(planner):
    first, second = CandidacyFactory(status=Status.SHORTLISTED), CandidacyFactory(status=Status.SHORTLISTED)
    already = CandidacyFactory(status=Status.INVITED)

    count = change_candidacies_status(Candidacy.objects.all(), status=Status.INVITED, by=planner)

    assert count == 2
    for candidacy in (first, second):
        candidacy.refresh_from_db()
        assert (candidacy.status, candidacy.version, candidacy.decided_by) == (Status.INVITED, 2, planner)
        assert history(candidacy)[-1].history_user == planner
    already.refresh_from_db()
    assert (already.version, len(history(already))) == (1, 1)


def test_save_candidacy_enforces_steps_and_stamps_decisions(planner):
    candidacy = CandidacyFactory(status=Status.IDENTIFIED)

    candidacy.status = Status.CONFIRMED
    with pytest.raises(StatusStepRefused):
        save_candidacy(candidacy, by=planner)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.IDENTIFIED

    candidacy.status = Status.SHORTLISTED
    candidacy.reason = "Strong on T visas"
    save_candidacy(candidacy, by=planner)
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.decided_by, candidacy.version) == (Status.SHORTLISTED, planner, 2)
    assert history(candidacy)[-1].history_user == planner


def test_save_candidacy_new_ones_start_identified(planner, workshop):
    with pytest.raises(StatusStepRefused):
        save_candidacy(Candidacy(workshop=workshop, person=PersonFactory(), status=Status.INVITED), by=planner)

    saved = save_candidacy(Candidacy(workshop=workshop, person=PersonFactory()), by=planner)

    assert (saved.status, saved.decided_by, saved.version) == (Status.IDENTIFIED, planner, 1)


def test_save_candidacy_leaves_a_claimed_version_alone(planner):
    candidacy = CandidacyFactory()
    Candidacy.objects.filter(pk=candidacy.pk).update(version=2)  # as the admin's locking claims it
    candidacy.version = 2
    candidacy.status = Status.SHORTLISTED

    save_candidacy(candidacy, by=planner, version_claimed=True)

    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.version) == (Status.SHORTLISTED, 2)
