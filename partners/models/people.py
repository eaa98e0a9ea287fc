"""People and what belongs to them: their jobs (affiliations), contact details and expertise."""

import uuid

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partners.models.base import UUIDNaturalKeyManager, UUIDNaturalKeyMixin
from partners.models.organizations import Organization
from partners.models.taxonomy import ExpertiseArea, Language
from partners.names import NAME_KEY_LENGTH, name_key
from partners.textsearch import search_text


class PersonQuerySet(models.QuerySet):
    def contactable(self):
        """People we may contact: not marked do-not-contact."""
        return self.filter(do_not_contact=False)

    def visible_to(self, user):
        """The people ``user`` may see: sensitive people only with ``view_sensitive_person``.

        Every list, search, export and count of people goes through this method. Erased people
        (``erased_at``, privacy/services.py) are in no list, search or export; they are not
        hidden either (``hidden_from``): their appearances stay, as anonymous speakers.
        """
        if self.sees_sensitive(user):
            return self.filter(erased_at__isnull=True)
        return self.filter(sensitive=False, erased_at__isnull=True)

    def hidden_from(self, user):
        """The people ``user`` may not see: the complement of ``visible_to`` (few, or none)."""
        if self.sees_sensitive(user):
            return self.none()
        return self.filter(sensitive=True)

    @staticmethod
    def sees_sensitive(user):
        return user is not None and user.is_active and user.has_perm("partners.view_sensitive_person")

    def with_expertise_under(self, area):
        """People holding ``area`` or any area below it in the taxonomy."""
        return self.filter(expertise_links__area__path__startswith=area.path).distinct()

    # The stored name keys follow the names on every bulk write too (``save`` covers the rest).

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.refresh_name_keys()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        fields = list(fields)
        if {"full_name", "name_zh"} & set(fields):
            objs = list(objs)
            for person in objs:
                person.refresh_name_keys()
            fields += [name for name in Person.NAME_KEY_FIELDS if name not in fields]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        for name, key_name in (("full_name", "name_key"), ("name_zh", "name_zh_key")):
            if name not in kwargs or key_name in kwargs:  # bulk_update passes both
                continue
            if not isinstance(kwargs[name], str):
                raise TypeError(f"Update {name} with a text, or give {key_name} (normalize_name of it) too.")
            kwargs[key_name] = name_key(kwargs[name])
        if {"full_name", "name_zh"} & set(kwargs) and "search_text" not in kwargs:
            # The search text joins both names: read the other one of the rows being updated.
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            people = list(Person.objects.filter(pk__in=ids).only("pk", "full_name", "name_zh"))
            for person in people:
                person.search_text = search_text(person.full_name, person.name_zh)
            models.QuerySet.bulk_update(Person.objects.all(), people, ["search_text"], batch_size=1000)
            return count
        return super().update(**kwargs)


class PersonManager(UUIDNaturalKeyManager.from_queryset(PersonQuerySet)):
    pass


class Person(UUIDNaturalKeyMixin, models.Model):
    class Consent(models.TextChoices):
        UNKNOWN = "unknown", _("Not asked")
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    # The contexts give a person's name its own Chinese word (姓名), apart from an organization's (名稱).
    full_name = models.CharField(
        pgettext_lazy("person", "name (original)"),
        max_length=200,
        help_text=_("As the person writes it, e.g. Jean Bruggeman."),
    )
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    name_zh = models.CharField(pgettext_lazy("person", "Chinese name"), max_length=100, blank=True)
    honorific = models.CharField(_("honorific"), max_length=40, blank=True, help_text=_("e.g. Ms., Dr."))
    country = CountryField(_("country"), blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True, related_name="speakers")
    bio = models.TextField(_("short bio"), blank=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where this record and its contact details came from."),
    )
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True)
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    consent = models.CharField(
        _("consent to be contacted"), max_length=20, choices=Consent.choices, default=Consent.UNKNOWN
    )
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Identity must be protected (e.g. a survivor). Hidden from users without permission."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # -- personal data (privacy/: consent stamps, legal hold, retention review, erasure) --
    consent_changed_at = models.DateTimeField(_("consent recorded"), null=True, blank=True, editable=False)
    consent_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_("Kept for a legal reason: never proposed for review and never erased while set."),
    )
    retention_reviewed_at = models.DateTimeField(_("retention last reviewed"), null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # ``normalize_name`` of each name, kept true on every write (``save``, the queryset's bulk
    # writes, fixtures): the duplicate matcher finds a name with one index lookup.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, default="", editable=False)
    name_zh_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, default="", editable=False)
    # ``partners.textsearch.search_text`` of both names, kept true with the name keys: what the
    # finder and the person list search (「T簽證」 = 「T 簽證」, Simplified finds Traditional).
    search_text = models.TextField(blank=True, default="", editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "name_key", "name_zh_key", "search_text"],
        m2m_fields=[languages],
        history_change_reason_field=models.TextField(null=True),
        # Indexes no query of the history uses (it is read by person, ``id``, and by history row):
        # each costs every history row written, a third of an import's history copies. "language"
        # is the language history's (``historicalperson_languages``).
        no_db_index=["uuid", "consent_changed_by", "last_confirmed_by", "language"],
    )
    objects = PersonManager()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_family_given_idx"),
            models.Index(fields=["name_zh"], name="person_name_zh_idx"),
            # The list's order: a changelist page reads 100 entries instead of sorting everyone.
            models.Index(fields=["full_name", "id"], name="person_name_order_idx"),
            models.Index(fields=["name_key"], name="person_name_key_idx"),
            models.Index(fields=["name_zh_key"], name="person_name_zh_key_idx"),
            # The candidate finder's people by country, with what its ranking reads of them (the
            # exclusions — erased included — and the name for ties), from the index alone on
            # PostgreSQL (INCLUDE): without ``erased_at`` the ranking read the whole table.
            models.Index(
                fields=["country", "id"],
                include=["full_name", "do_not_contact", "sensitive", "erased_at"],
                name="person_country_finder_idx",
            ),
            # The few people outside someone's view (``hidden_from``, erased), read by id in
            # counts over everyone (the overview) instead of a pass over all people.
            models.Index(fields=["id"], condition=Q(sensitive=True), name="person_sensitive_idx"),
            models.Index(fields=["id"], condition=Q(erased_at__isnull=False), name="person_erased_idx"),
        ]
        permissions = [
            ("view_sensitive_person", _("Can see people marked sensitive")),
            ("export_person", _("Can export contact sheets")),
            ("import_person", _("Can import people and organizations")),
            ("merge_person", _("Can merge duplicate people and organizations")),
        ]

    NAME_KEY_FIELDS = ("name_key", "name_zh_key", "search_text")

    def __str__(self):
        if self.name_zh and self.name_zh != self.full_name:
            return f"{self.full_name}（{self.name_zh}）"
        return self.full_name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        deferred = self.get_deferred_fields()
        if update_fields is None and deferred and not self._state.adding:
            # What Django saves of a partly loaded row: the loaded fields.
            update_fields = {field.attname for field in self._meta.concrete_fields if not field.primary_key}
            update_fields -= deferred
        names = {"full_name", "name_zh"}
        if update_fields is None:
            self.refresh_name_keys()
        elif names & set(update_fields):
            self.refresh_name_keys()
            kwargs["update_fields"] = {*update_fields, *self.NAME_KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return str(self)

    def current_affiliations(self):
        """Current jobs; iterates ``affiliations.all()`` so a prefetch is reused."""
        return [a for a in self.affiliations.all() if a.is_current]

    def primary_contact(self, kind):
        """The primary contact of ``kind``, from a prefetch where there is one."""
        for method in self.contact_methods.all():
            if method.kind == kind and method.is_primary:
                return method
        return None

    def refresh_name_keys(self):
        """Set ``name_key``, ``name_zh_key`` and ``search_text`` from the names (no query)."""
        self.name_key = name_key(self.full_name)
        self.name_zh_key = name_key(self.name_zh)
        self.search_text = self.search_text_of(self.full_name, self.name_zh)

    @staticmethod
    def search_text_of(full_name, name_zh):
        """What ``search_text`` holds for these names (for writes that bypass the model, e.g. COPY)."""
        return search_text(full_name, name_zh)


@receiver(pre_save, sender=Person)
def refresh_name_keys_of_loaded_person(sender, instance, raw, **kwargs):
    """Fixtures too: ``loaddata`` saves through ``Model.save_base``, past ``Person.save``."""
    if raw:
        instance.refresh_name_keys()


class Affiliation(UUIDNaturalKeyMixin, models.Model):
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    # A job's title (職稱), apart from a session's (標題).
    title = models.CharField(pgettext_lazy("job", "title (original)"), max_length=300, blank=True)
    title_zh = models.CharField(pgettext_lazy("job", "Chinese title"), max_length=300, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    history = HistoricalRecords()
    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["-is_current", "-start_date", "pk"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_end_after_start",
                violation_error_message=_("An affiliation cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(end_date__isnull=True),
                name="affiliation_current_has_no_end",
                violation_error_message=_("A current affiliation cannot have an end date."),
            ),
        ]

    def __str__(self):
        title = self.title or self.title_zh
        return f"{title}, {self.organization}" if title else str(self.organization)


class ContactMethod(UUIDNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        WEBSITE = "website", _("Website")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="contact_methods"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=320)
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("e.g. work, mobile"))
    is_primary = models.BooleanField(_("primary"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True)
    marked_wrong = models.BooleanField(
        _("wrong or bounced"),
        default=False,
        help_text=_("The address bounced or was found to be wrong; the person is listed for reconfirmation."),
    )

    history = HistoricalRecords()
    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["kind", "-is_primary", "pk"]
        verbose_name = _("contact method")
        verbose_name_plural = _("contact methods")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_kind",
                violation_error_message=_("A person can have only one primary contact of each kind."),
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "value"],
                name="contact_unique_value",
                violation_error_message=_("This person already has this contact detail."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "value"], name="contact_kind_value_idx"),
            # The few e-mails marked wrong or bounced (the reconfirm list and the overview).
            models.Index(fields=["person"], condition=Q(marked_wrong=True), name="contact_marked_wrong_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        super().clean()
        country = self.person.country if self.person_id else None
        self.value = normalize_contact_value(self.kind, self.value, country=country)


validate_url = URLValidator()  # one for all: each URLValidator() compiles its patterns again


def normalize_contact_value(kind, value, *, country=None):
    """Validate ``value`` for ``kind``; return e-mails lower-cased and phones in E.164.

    A phone written without its country code is read as a number of ``country`` (the person's
    country, an ISO code), else of ``PHONENUMBER_DEFAULT_REGION`` (Taiwan).
    Raises ``ValidationError`` on the ``value`` field with a message naming the problem.
    """
    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": _("A contact detail cannot be empty.")})
    if kind == ContactMethod.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                {"value": _("“%(value)s” is not a valid e-mail address.") % {"value": value}}
            ) from None
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    if kind == ContactMethod.Kind.PHONE:
        try:
            number = phonenumbers.parse(value, str(country or "") or settings.PHONENUMBER_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                {
                    "value": _(
                        "“%(value)s” is not a valid phone number; write it with its country code, e.g. +1 202 555 0100."
                    )
                    % {"value": value}
                }
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == ContactMethod.Kind.WEBSITE:
        try:
            validate_url(value)
        except ValidationError:
            raise ValidationError(
                {"value": _("“%(value)s” is not a valid web address (start it with https://).") % {"value": value}}
            ) from None
    return value


class PersonExpertise(UUIDNaturalKeyMixin, models.Model):
    """A person's expertise in one area, with the evidence for it."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="expertise_links"
    )
    area = models.ForeignKey(
        ExpertiseArea,
        verbose_name=_("expertise area"),
        on_delete=models.PROTECT,
        related_name="person_links",
    )
    appearance = models.ForeignKey(
        "conference.Appearance",
        verbose_name=_("evidence: appearance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expertise_links",
        help_text=_(
            "The session where the person spoke on this. Removing the appearance removes the expertise it shows."
        ),
    )
    note = models.TextField(_("evidence: note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["area__path", "pk"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "area", "appearance"],
                name="expertise_unique_evidence",
                violation_error_message=_("This person already has this expertise with this evidence."),
            ),
            models.UniqueConstraint(
                fields=["person", "area"],
                condition=Q(appearance__isnull=True),
                name="expertise_unique_note_only",
                violation_error_message=_("This person already has this expertise backed by a note."),
            ),
            models.CheckConstraint(
                condition=Q(appearance__isnull=False) | ~Q(note=""),
                name="expertise_has_evidence",
                violation_error_message=_("Give the evidence for this expertise: an appearance or a note."),
            ),
        ]
        # Who holds the areas of a subtree and with what evidence, read from the index alone
        # (expertise filter; the candidate finder's ranking groups these entries by person).
        indexes = [models.Index(fields=["area", "person", "appearance"], name="expertise_area_evidence_idx")]

    def __str__(self):
        return f"{self.person} — {self.area}"

    def clean(self):
        super().clean()
        if self.appearance_id and self.person_id and self.appearance.person_id not in (None, self.person_id):
            raise ValidationError({"appearance": _("The evidence must be an appearance of this person.")})
