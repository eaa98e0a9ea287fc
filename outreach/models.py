"""What happened between partners and us: meetings, calls, messages, with their follow-ups.

Sits above ``partners`` and ``conference`` (it links to both); neither imports it.
"""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conference.models import Event, validate_time_zone
from partners.models import Organization, Person


class InteractionQuerySet(models.QuerySet):
    def follow_ups_open(self):
        """Interactions with a follow-up due date not yet marked done."""
        return self.filter(follow_up_due__isnull=False, follow_up_done=False)

    def follow_ups_due(self, on=None):
        """Open follow-ups due on or before ``on`` (today in Taipei when not given)."""
        on = on or timezone.localdate()
        return self.follow_ups_open().filter(follow_up_due__lte=on)

    def about_country(self, code):
        """Interactions with a person or an organization of country ``code``."""
        return self.filter(Q(person__country=code) | Q(person__isnull=True, organization__country=code))


class Interaction(models.Model):
    """One contact with a person or an organization: who on our side, when (in the place's zone), what."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        EMAIL = "email", _("E-mail")
        MESSAGE = "message", _("Message")
        VISIT = "visit", _("Visit")
        SIDE_MEETING = "side_meeting", _("Side meeting at an event")
        LETTER = "letter", _("Letter")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interactions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interactions",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("conference or workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        help_text=_("The conference or workshop this contact concerns, if any."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    occurred_at = models.DateTimeField(_("when"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Taipei",
        validators=[validate_time_zone],
        help_text=_("IANA name of the place's time zone, e.g. America/New_York; the time is entered in it."),
    )
    place = models.CharField(_("where"), max_length=300, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer (account)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    officer_name = models.CharField(
        _("officer (name)"),
        max_length=150,
        blank=True,
        help_text=_("Who on our side, when not a Liaison user (or the account is gone)."),
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True, help_text=_("e.g. a post abroad"))
    summary = models.TextField(_("summary"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="interaction_names_someone",
                violation_error_message=_("An interaction is with a person or an organization: name at least one."),
            ),
            models.CheckConstraint(
                condition=~Q(officer__isnull=True, officer_name=""),
                name="interaction_names_officer",
                violation_error_message=_("Say who on our side: choose a user or write the officer's name."),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="interaction_person_when_idx"),
            models.Index(fields=["follow_up_due"], name="interaction_follow_up_idx"),
            # The list's order: a page reads its 100 newest instead of joining and sorting all.
            models.Index(fields=["-occurred_at", "-id"], name="interaction_list_order_idx"),
        ]

    def __str__(self):
        who = self.person or self.organization
        return f"{self.get_kind_display()}: {who} ({self.local_occurred_at():%Y-%m-%d})"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_occurred_at(self):
        """When it happened, in the place's own time zone."""
        return self.occurred_at.astimezone(self.zone)

    @property
    def officer_label(self):
        if self.officer_id and self.officer:
            return self.officer.get_full_name() or self.officer.get_username()
        return self.officer_name
