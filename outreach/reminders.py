"""Reminders: invitations waiting too long for an answer, follow-ups due; for the users they concern.

An unanswered invitation concerns whoever made the candidacy's last decision (usually
who invited), or every coordinator when nobody is recorded; a follow-up concerns the
interaction's officer (an account) or, when the officer is only a name (an officer abroad
without an account), whoever recorded the interaction (its history's first row). People a
user may not see are never named to them.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Candidacy
from conference.selectors import days_between, overdue_invitations
from outreach.models import Interaction
from partners.protection import with_visible_people

ASSESS_PERMISSION = "conference.assess_candidacy"


@dataclass
class Reminder:
    kind: str  # "invitation" or "follow_up"
    text: str
    url: str
    since: object  # a date: invited on, or follow-up due on


def reminders_for(user, *, now=None):
    """``user``'s due reminders, oldest first: overdue invitations, then follow-ups due. Two queries."""
    now = now or timezone.now()
    if user is None or not user.is_active:
        return []
    reminders = []
    if user.has_perm("conference.view_candidacy"):
        mine = Q(decided_by=user)
        if user.has_perm(ASSESS_PERMISSION):
            mine |= Q(decided_by__isnull=True)
        candidacies = with_visible_people(Candidacy.objects.filter(mine), user)
        for candidacy in overdue_invitations(candidacies, now=now):
            reminders.append(
                Reminder(
                    kind="invitation",
                    text=_("%(person)s: invited to %(workshop)s %(days)d days ago, no answer yet")
                    % {
                        "person": candidacy.person,
                        "workshop": candidacy.workshop,
                        "days": days_between(candidacy.invited_at, now),
                    },
                    url=reverse("admin:conference_candidacy_change", args=[candidacy.pk]),
                    since=timezone.localdate(candidacy.invited_at),
                )
            )
    if user.has_perm("outreach.view_interaction"):
        due = Interaction.objects.follow_ups_due(timezone.localdate(now)).filter(follow_ups_concerning(user))
        due = with_visible_people(due, user).select_related("person", "organization")
        for interaction in due.order_by("follow_up_due", "pk"):
            reminders.append(
                Reminder(
                    kind="follow_up",
                    text=_("Follow-up due %(due)s with %(who)s: %(what)s")
                    % {
                        "due": interaction.follow_up_due.isoformat(),
                        "who": interaction.person or interaction.organization,
                        "what": interaction.follow_up,
                    },
                    url=reverse("admin:outreach_interaction_change", args=[interaction.pk]),
                    since=interaction.follow_up_due,
                )
            )
    return reminders


def follow_ups_concerning(user):
    """Interactions whose follow-up is ``user``'s: theirs as the officer, or recorded by them
    (the history's "+" row) when the officer is only a named person, not an account."""
    recorded = Interaction.history.filter(history_type="+", history_user=user).values("id")
    return Q(officer=user) | Q(officer__isnull=True, pk__in=recorded)


def users_to_remind():
    """Active staff accounts, by user name (each is asked for its own reminders)."""
    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
