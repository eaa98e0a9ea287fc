"""Reminders on the admin index and from `manage.py remind`: due ones, for the users they concern."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conference.models import Candidacy
from outreach.reminders import reminders_for
from tests.factories import CandidacyFactory, InteractionFactory, PersonFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(role_user):
    now = timezone.now()
    planner = role_user("Coordinator", username="planner")
    planner.email = "planner@example.test"
    planner.save()
    other = role_user("Coordinator", username="other-planner")
    workshop = WorkshopFactory(reminder_after_days=14)
    late = CandidacyFactory(
        workshop=workshop,
        person=PersonFactory(full_name="Late Answerer"),
        status=Candidacy.Status.INVITED,
        invited_at=now - dt.timedelta(days=20),
        decided_by=planner,
    )
    CandidacyFactory(
        workshop=workshop,
        person=PersonFactory(full_name="Recent Invitee"),
        status=Candidacy.Status.INVITED,
        invited_at=now - dt.timedelta(days=3),
        decided_by=planner,
    )
    follow_up = InteractionFactory(
        officer=planner,
        person=PersonFactory(full_name="Met Partner"),
        follow_up="Send the agenda",
        follow_up_due=timezone.localdate() - dt.timedelta(days=1),
    )
    InteractionFactory(officer=planner, follow_up="Later", follow_up_due=timezone.localdate() + dt.timedelta(days=5))
    return planner, other, late, follow_up


def test_each_user_sees_only_their_due_reminders(setting):
    planner, other, late, follow_up = setting
    reminders = reminders_for(planner)
    assert [(r.kind, r.url) for r in reminders] == [
        ("invitation", reverse("admin:conference_candidacy_change", args=[late.pk])),
        ("follow_up", reverse("admin:outreach_interaction_change", args=[follow_up.pk])),
    ]
    assert "Late Answerer" in reminders[0].text and "20 days" in reminders[0].text
    assert reminders_for(other) == []


def test_a_sensitive_persons_reminder_is_not_named_to_those_who_may_not_see_them(setting):
    planner, _other, late, _follow_up = setting
    late.person.sensitive = True
    late.person.save()
    assert [r.kind for r in reminders_for(planner)] == ["follow_up"]


def test_the_admin_index_lists_the_reminders(client, setting):
    planner, other, _late, _follow_up = setting
    client.force_login(planner)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="outreach-panel"' in page
    assert "Late Answerer" in page and "Send the agenda" in page and "Recent Invitee" not in page
    client.force_login(other)
    assert "Late Answerer" not in client.get(reverse("admin:index")).content.decode()


def test_remind_prints_and_emails_each_users_reminders(setting):
    out = StringIO()
    call_command("remind", stdout=out)
    printed = out.getvalue()
    assert "planner (2):" in printed and "Late Answerer" in printed and "Send the agenda" in printed
    assert "other-planner" not in printed
    assert [message.to for message in mail.outbox] == [["planner@example.test"]]
    assert "Late Answerer" in mail.outbox[0].body


def test_remind_without_email_only_prints(setting, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST_CONFIGURED = False
    out = StringIO()
    call_command("remind", stdout=out)
    assert "Late Answerer" in out.getvalue()
    assert mail.outbox == []


def test_a_follow_up_of_a_named_officer_reminds_who_recorded_it(client, setting, role_user):
    planner, other, _late, _follow_up = setting
    recorder = role_user("Editor", username="desk-officer")
    recorder.email = "desk@example.test"
    recorder.save()
    abroad = InteractionFactory.build(
        officer=None,
        officer_name="Officer at the post in Manila",
        person=PersonFactory(full_name="Manila Partner"),
        follow_up="Send the visa letter",
        follow_up_due=timezone.localdate() - dt.timedelta(days=2),
    )
    abroad._history_user = recorder  # recorded by the desk officer, as the admin's add form does
    abroad.save()
    # Someone else edits it later: the follow-up still concerns who recorded it.
    abroad.summary = "Edited later"
    abroad._history_user = other
    abroad.save()

    assert [r.text for r in reminders_for(recorder)] == [
        f"Follow-up due {abroad.follow_up_due.isoformat()} with {abroad.person}: Send the visa letter"
    ]
    assert "Send the visa letter" not in [r.text for r in reminders_for(other)]
    assert "Send the visa letter" not in " ".join(r.text for r in reminders_for(planner))

    client.force_login(recorder)
    assert "Send the visa letter" in client.get(reverse("admin:index")).content.decode()
    out = StringIO()
    call_command("remind", stdout=out)
    printed = out.getvalue()
    assert "desk-officer (1):" in printed and "Send the visa letter" in printed
    assert ["desk@example.test"] in [message.to for message in mail.outbox]
