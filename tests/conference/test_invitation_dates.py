"""The invitation's dates: stamped by every path that changes a status; declining needs its reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conference.models import Candidacy
from conference.selectors import overdue_invitations, workshop_pipeline
from conference.services import (
    assess_candidates,
    change_candidacies_status,
    change_candidacy_status,
    save_candidacy,
)
from tests.factories import CandidacyFactory, PersonFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
Status = Candidacy.Status


@pytest.fixture
def planner(role_user):
    return role_user("Coordinator")


def test_each_step_stamps_its_date(planner):
    candidacy = CandidacyFactory()
    assert (candidacy.shortlisted_at, candidacy.invited_at, candidacy.answered_at) == (None, None, None)

    change_candidacy_status(candidacy, status=Status.SHORTLISTED, by=planner)
    change_candidacy_status(candidacy, status=Status.INVITED, by=planner)
    change_candidacy_status(candidacy, status=Status.CONFIRMED, by=planner)

    candidacy.refresh_from_db()
    assert candidacy.shortlisted_at <= candidacy.invited_at <= candidacy.answered_at
    assert [row.status for row in candidacy.history.order_by("history_date", "history_id")][-3:] == [
        "shortlisted",
        "invited",
        "confirmed",
    ]


def test_declining_needs_a_reason_and_keeps_it(planner):
    candidacy = CandidacyFactory(status=Status.INVITED, invited_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        change_candidacy_status(candidacy, status=Status.DECLINED, by=planner, declined_reason="  ")
    assert "declined_reason" in refused.value.message_dict
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.answered_at) == (Status.INVITED, None)

    change_candidacy_status(candidacy, status=Status.DECLINED, by=planner, declined_reason="Not available in May")
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.declined_reason) == (Status.DECLINED, "Not available in May")
    assert candidacy.answered_at is not None


def test_bulk_changes_stamp_dates_and_bulk_declining_needs_a_reason(planner):
    first, second = CandidacyFactory(status=Status.SHORTLISTED), CandidacyFactory(status=Status.SHORTLISTED)
    assert change_candidacies_status([first, second], status=Status.INVITED, by=planner) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.invited_at is not None and first.invited_at == second.invited_at

    with pytest.raises(ValidationError):
        change_candidacies_status([first, second], status=Status.DECLINED, by=planner)
    change_candidacies_status([first, second], status=Status.DECLINED, by=planner, declined_reason="Budget")
    assert list(Candidacy.objects.values_list("declined_reason", flat=True)) == ["Budget", "Budget"]


def test_bulk_tagging_keeps_the_invitation_dates(planner):
    workshop = WorkshopFactory()
    invited_at = timezone.now() - dt.timedelta(days=5)
    kept = CandidacyFactory(workshop=workshop, status=Status.INVITED, invited_at=invited_at)
    new_person = PersonFactory()

    assess_candidates(
        [kept.person, new_person], workshop=workshop, suitability="suitable", reason="Spoke on it", by=planner
    )

    kept.refresh_from_db()
    assert (kept.status, kept.invited_at) == (Status.INVITED, invited_at)
    created = Candidacy.objects.get(person=new_person)
    assert (created.status, created.shortlisted_at, created.invited_at) == (Status.IDENTIFIED, None, None)


def test_the_admin_form_stamps_the_date_and_asks_for_the_reason(client, planner):
    candidacy = CandidacyFactory(status=Status.SHORTLISTED)
    client.force_login(planner)
    url = reverse("admin:conference_candidacy_change", args=[candidacy.pk])
    data = {
        "workshop": candidacy.workshop_id,
        "person": candidacy.person_id,
        "suitability": "suitable",
        "reason": "Fits",
        "status": "invited",
        "declined_reason": "",
        "loaded_version": candidacy.version,
    }
    assert client.post(url, data).status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.invited_at is not None

    response = client.post(url, {**data, "status": "declined", "loaded_version": candidacy.version})
    assert response.status_code == 200
    assert "declined_reason" in response.context["adminform"].form.errors
    response = client.post(
        url, {**data, "status": "declined", "declined_reason": "Other commitments", "loaded_version": candidacy.version}
    )
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert (candidacy.declined_reason, candidacy.answered_at is not None) == ("Other commitments", True)


def test_the_decline_action_asks_for_the_reason_first(client, planner):
    candidacies = [CandidacyFactory(status=Status.INVITED) for _ in range(2)]
    client.force_login(planner)
    url = reverse("admin:conference_candidacy_changelist")
    selection = {"action": "mark_declined", "_selected_action": [c.pk for c in candidacies]}
    response = client.post(url, selection)
    assert response.status_code == 200
    assert "declined_reason" in response.content.decode()
    assert set(Candidacy.objects.values_list("status", flat=True)) == {"invited"}

    response = client.post(url, {**selection, "declined_reason": "Dates clash"})
    assert response.status_code == 302
    assert set(Candidacy.objects.values_list("status", "declined_reason")) == {("declined", "Dates clash")}


def test_save_candidacy_refuses_declined_without_reason(planner):
    candidacy = CandidacyFactory(status=Status.INVITED)
    candidacy.status = Status.DECLINED
    with pytest.raises(ValidationError):
        save_candidacy(candidacy, by=planner)


def test_reminders_after_the_workshops_days_not_before():
    now = timezone.now()
    workshop = WorkshopFactory(reminder_after_days=14)
    on_time = CandidacyFactory(workshop=workshop, status=Status.INVITED, invited_at=now - dt.timedelta(days=14))
    late = CandidacyFactory(workshop=workshop, status=Status.INVITED, invited_at=now - dt.timedelta(days=15))
    CandidacyFactory(workshop=workshop, status=Status.CONFIRMED, invited_at=now - dt.timedelta(days=40))
    quick = WorkshopFactory(reminder_after_days=3)
    quick_late = CandidacyFactory(workshop=quick, status=Status.INVITED, invited_at=now - dt.timedelta(days=4))

    assert overdue_invitations(Candidacy.objects.all(), now=now) == [late, quick_late]
    assert on_time not in overdue_invitations(Candidacy.objects.all(), now=now)


def test_the_workshop_page_shows_the_pipeline_with_days_waiting(admin_client, admin_user):
    now = timezone.now()
    workshop = WorkshopFactory(reminder_after_days=10)
    CandidacyFactory(
        workshop=workshop,
        status=Status.SHORTLISTED,
        shortlisted_at=now - dt.timedelta(days=2),
        person=PersonFactory(full_name="Shortlisted Person"),
    )
    CandidacyFactory(
        workshop=workshop,
        status=Status.INVITED,
        invited_at=now - dt.timedelta(days=12),
        person=PersonFactory(full_name="Invited Person"),
    )
    pipeline = workshop_pipeline(workshop, user=admin_user, now=now)
    assert [(row.candidacy.person.full_name, row.days_waiting, row.overdue) for row in pipeline.waiting] == [
        ("Invited Person", 12, True),
        ("Shortlisted Person", 2, False),
    ]
    assert {value: count for value, _label, count in pipeline.stages}["invited"] == 1

    page = admin_client.get(reverse("admin:conference_event_change", args=[workshop.pk])).content.decode()
    assert 'id="workshop-pipeline"' in page
    assert "Invited Person" in page and "pipeline-overdue" in page
