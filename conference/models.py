"""Where we met partners (events, sessions, appearances) and where we want them (candidacies)."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partners.models import (
    ExpertiseArea,
    Organization,
    Person,
    UUIDNaturalKeyManager,
    UUIDNaturalKeyMixin,
)


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone (e.g. America/New_York, Asia/Taipei)."),
            params={"value": value},
        ) from None


def name_for_reader(original, chinese):
    """An event's or session's name as the reader's language wants it.

    In Chinese the Chinese name (the original when there is none); in any other language the
    original, with the Chinese beside it rather than instead: "Ask a Fed / 聯邦機關問答".
    """
    if not chinese or chinese == original:
        return original
    if (get_language() or "").lower().startswith("zh"):
        return chinese
    return f"{original} / {chinese}"


class EventQuerySet(models.QuerySet):
    def workshops(self):
        return self.filter(kind=Event.Kind.WORKSHOP)

    def conferences(self):
        return self.filter(kind=Event.Kind.CONFERENCE)


class Event(UUIDNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference we attended")
        WORKSHOP = "workshop", _("Workshop we organize")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    name = models.CharField(_("name (original)"), max_length=300)
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_events",
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("In the event's own time zone. A workshop still being planned may have none yet."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Taipei",
        validators=[validate_time_zone],
        help_text=_("IANA name of the venue's time zone, e.g. America/New_York."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    theme = models.CharField(_("theme (original)"), max_length=300, blank=True)
    theme_zh = models.CharField(_("Chinese theme"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        ExpertiseArea,
        verbose_name=_("themes (expertise areas)"),
        blank=True,
        related_name="events",
        help_text=_("For a workshop: the expertise its speakers should have."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = UUIDNaturalKeyManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="event_end_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind="workshop") | (Q(start_date__isnull=False) & Q(end_date__isnull=False)),
                name="event_conference_has_dates",
                violation_error_message=_("Give the dates of a conference we attended."),
            ),
        ]

    def __str__(self):
        return self.label_of(self.name, self.name_zh, self.start_date)

    @staticmethod
    def label_of(name, name_zh, start_date):
        label = name_for_reader(name, name_zh)
        return f"{label} ({start_date:%Y})" if start_date else label

    @property
    def is_workshop(self):
        return self.kind == self.Kind.WORKSHOP

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class Session(UUIDNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        KEYNOTE = "keynote", _("Keynote")
        BREAKOUT = "breakout", _("Breakout session")
        PANEL = "panel", _("Panel")
        ROUND_TABLE = "round_table", _("Round table")
        WORKSHOP = "workshop", _("Workshop")
        PLENARY = "plenary", _("Plenary")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BREAKOUT)
    title = models.CharField(_("title (original)"), max_length=300)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    summary = models.TextField(_("summary"), blank=True)
    topics = models.ManyToManyField(ExpertiseArea, verbose_name=_("topics"), blank=True, related_name="sessions")
    participant_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self):
        return name_for_reader(self.title, self.title_zh)

    def local_start(self):
        """Start in the event's own time zone (e.g. Miami)."""
        return self.starts_at.astimezone(self.event.zone)

    def local_end(self):
        return self.ends_at.astimezone(self.event.zone)


class Appearance(UUIDNaturalKeyMixin, models.Model):
    """Who spoke in a session, and as what. An agency may appear without a named person."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELIST = "panelist", _("Panelist")
        PRESENTER = "presenter", _("Presenter")
        SURVIVOR_SPEAKER = "survivor_speaker", _("Survivor speaker")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="appearances"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appearances",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appearances",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    affiliation_as_printed = models.CharField(
        _("affiliation as printed"),
        max_length=500,
        blank=True,
        help_text=_("Title and organization as the programme gives them."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["session__starts_at", "order", "pk"]
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="appearance_names_someone",
                violation_error_message=_("An appearance must name a person or an organization."),
            ),
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(person__isnull=False),
                name="appearance_unique_person_per_session",
                violation_error_message=_("This person already appears in this session."),
            ),
            models.UniqueConstraint(
                fields=["session", "organization"],
                condition=Q(person__isnull=True),
                name="appearance_unique_organization_per_session",
                violation_error_message=_("This organization already appears in this session."),
            ),
        ]

    def __str__(self):
        who = self.person or self.organization
        return f"{who} — {self.session} ({self.get_role_display()})"


class Attendance(UUIDNaturalKeyMixin, models.Model):
    """Which of our staff attended which session or day of an event, and how."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("By video")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("Leave empty when the whole day was attended."),
    )
    day = models.DateField(_("day"), null=True, blank=True, help_text=_("In the event's own time zone."))
    staff_name = models.CharField(_("staff member"), max_length=100)
    staff_title = models.CharField(_("staff title"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)

    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["event", "day", "session__starts_at", "staff_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(day__isnull=False),
                name="attendance_session_or_day",
                violation_error_message=_("Say which session or which day was attended."),
            ),
        ]

    def __str__(self):
        when = self.session or self.day
        return f"{self.staff_name} — {when}"

    def clean(self):
        super().clean()
        if self.session_id and self.event_id and self.session.event_id != self.event_id:
            raise ValidationError({"session": _("The session belongs to another event.")})


class Candidacy(UUIDNaturalKeyMixin, models.Model):
    """A person considered for one of our workshops: suitability, reason, invitation status."""

    class Suitability(models.TextChoices):
        NOT_ASSESSED = "not_assessed", _("Not yet assessed")
        SUITABLE = "suitable", _("Suitable")
        POSSIBLE = "possible", _("Possible")
        NOT_SUITABLE = "not_suitable", _("Not suitable")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    workshop = models.ForeignKey(
        Event,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="candidacies",
        limit_choices_to={"kind": Event.Kind.WORKSHOP},
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="candidacies")
    suitability = models.CharField(
        _("suitability"), max_length=20, choices=Suitability.choices, default=Suitability.NOT_ASSESSED
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("invitation status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_name = models.CharField(
        _("decided by (name)"),
        max_length=150,
        blank=True,
        help_text=_("Kept when the decision came from a report or the account is gone."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["workshop", "person__full_name", "pk"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"],
                name="candidacy_unique_person_per_workshop",
                violation_error_message=_("This person is already a candidate for this workshop."),
            ),
        ]
        permissions = [
            ("assess_candidacy", _("Can assess candidates and manage invitations")),
        ]

    def __str__(self):
        return f"{self.person} → {self.workshop}"

    def clean(self):
        super().clean()
        if self.workshop_id and self.workshop.kind != Event.Kind.WORKSHOP:
            raise ValidationError(
                {"workshop": _("Candidacies are for our own workshops, not conferences we attended.")}
            )
