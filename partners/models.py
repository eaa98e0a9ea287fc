"""Who our partners are: organizations, people, their jobs, contacts and expertise."""

import uuid

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from partners.names import NAME_KEY_LENGTH, name_key


class UUIDNaturalKeyManager(models.Manager):
    """Fixtures refer to rows by a stable UUID, so they load on any database."""

    def get_by_natural_key(self, key):
        return self.get(uuid=key)


class UUIDNaturalKeyMixin:
    def natural_key(self):
        return (str(self.uuid),)


# The shape of a BCP 47 language tag (RFC 5646 §2.1): a 2–8 letter language (or "x" for private
# use), then "-"-separated subtags of 1–8 letters or digits. The code is written into vCards
# (LANG) and file names; anything else (spaces, line breaks, ";") could inject content there.
validate_language_code = RegexValidator(
    r"\A(?:[A-Za-z]{2,8}|[xX])(?:-[A-Za-z0-9]{1,8})*\Z",
    _("Enter a language code such as “en”, “zh-Hant” or “es-419” (letters and digits in parts joined by “-”)."),
    code="invalid_language_code",
)


class Language(models.Model):
    """A language a person speaks, by its ISO 639-1 code (any BCP 47 tag is accepted)."""

    code = models.CharField(_("code"), max_length=12, primary_key=True, validators=[validate_language_code])
    name = models.CharField(_("English name"), max_length=80)
    name_zh = models.CharField(_("Chinese name"), max_length=80, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return f"{self.name_zh} {self.name}".strip() if self.name_zh else self.name

    def natural_key(self):
        return (self.code,)


class ExpertiseAreaQuerySet(MP_NodeQuerySet):
    def under(self, areas):
        """Areas equal to or below any of ``areas`` (a parent matches its descendants)."""
        condition = Q(pk__in=[])
        for area in areas:
            condition |= Q(path__startswith=area.path)
        return self.filter(condition)


class ExpertiseAreaManager(MP_NodeManager):
    def get_queryset(self):
        return ExpertiseAreaQuerySet(self.model, using=self._db).order_by("path")

    def get_by_natural_key(self, code):
        return self.get(code=code)

    def under(self, areas):
        return self.get_queryset().under(areas)


class ExpertiseArea(MP_Node):
    """One node of the bilingual expertise taxonomy ("Legal and immigration relief › T visa")."""

    code = models.SlugField(
        _("code"),
        max_length=100,
        unique=True,
        help_text=_("A stable short identifier, e.g. t-visa."),
    )
    name = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    # Paths are 4 characters a level; 255 allows 63 levels.
    steplen = 4

    objects = ExpertiseAreaManager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.code,)

    @property
    def label(self):
        """Both names, Chinese first: "T 簽證 T visa"."""
        return self.label_of(self.name, self.name_zh)

    @staticmethod
    def label_of(name, name_zh):
        return f"{name_zh} {name}".strip() if name_zh else name

    def ancestor_paths(self):
        """Paths of this area's ancestors, root first (no query)."""
        return [self.path[: self.steplen * depth] for depth in range(1, self.depth)]

    def full_name(self, separator=" › "):
        """The English path from the root, e.g. "Legal and immigration relief › T visa"."""
        ancestors = list(ExpertiseArea.objects.filter(path__in=self.ancestor_paths()))
        return separator.join([a.name for a in ancestors] + [self.name])

    def full_name_zh(self, separator=" › "):
        ancestors = list(ExpertiseArea.objects.filter(path__in=self.ancestor_paths()))
        return separator.join([a.name_zh or a.name for a in ancestors] + [self.name_zh or self.name])


class Organization(UUIDNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government agency")
        NGO = "ngo", _("Non-governmental organization")
        INTERNATIONAL = "international", _("International organization")
        LEGAL_AID = "legal_aid", _("Legal aid")
        ACADEMIC = "academic", _("Academic or research")
        PRIVATE = "private", _("Private sector")
        NETWORK = "network", _("Network or coalition")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name (original)"), max_length=300)
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    focus_areas = models.ManyToManyField(
        ExpertiseArea,
        verbose_name=_("focus areas"),
        blank=True,
        related_name="organizations",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # A text change reason: a merge records the removed record's values there (duplicates/merging.py).
    history = HistoricalRecords(excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True))
    objects = UUIDNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organization_unique_name_country",
                violation_error_message=_("An organization with this name and country already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.label_of(self.name, self.acronym)

    @staticmethod
    def label_of(name, acronym):
        return f"{name} ({acronym})" if acronym else name

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organization cannot sit inside itself or its own descendants.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class PersonQuerySet(models.QuerySet):
    def contactable(self):
        """People we may contact: not marked do-not-contact."""
        return self.filter(do_not_contact=False)

    def visible_to(self, user):
        """The people ``user`` may see: sensitive people only with ``view_sensitive_person``.

        Every list, search, export and count of people goes through this method.
        """
        if self.sees_sensitive(user):
            return self
        return self.filter(sensitive=False)

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
    full_name = models.CharField(
        _("name (original)"),
        max_length=200,
        help_text=_("As the person writes it, e.g. Jean Bruggeman."),
    )
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # ``normalize_name`` of each name, kept true on every write (``save``, the queryset's bulk
    # writes, fixtures): the duplicate matcher finds a name with one index lookup.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, default="", editable=False)
    name_zh_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, default="", editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "name_key", "name_zh_key"],
        m2m_fields=[languages],
        history_change_reason_field=models.TextField(null=True),
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
        ]
        permissions = [
            ("view_sensitive_person", _("Can see people marked sensitive")),
            ("export_person", _("Can export contact sheets")),
            ("import_person", _("Can import people and organizations")),
            ("merge_person", _("Can merge duplicate people and organizations")),
        ]

    NAME_KEY_FIELDS = ("name_key", "name_zh_key")

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
        """Set ``name_key`` and ``name_zh_key`` from the names (no query)."""
        self.name_key = name_key(self.full_name)
        self.name_zh_key = name_key(self.name_zh)


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
    title = models.CharField(_("title (original)"), max_length=300, blank=True)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
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
        indexes = [models.Index(fields=["kind", "value"], name="contact_kind_value_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        super().clean()
        country = self.person.country if self.person_id else None
        self.value = normalize_contact_value(self.kind, self.value, country=country)


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
        from django.core.validators import URLValidator

        try:
            URLValidator()(value)
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
        # Who holds the areas of a subtree, read from the index alone (expertise filter, candidate finder).
        indexes = [models.Index(fields=["area", "person"], name="expertise_area_person_idx")]

    def __str__(self):
        return f"{self.person} — {self.area}"

    def clean(self):
        super().clean()
        if self.appearance_id and self.person_id and self.appearance.person_id not in (None, self.person_id):
            raise ValidationError({"appearance": _("The evidence must be an appearance of this person.")})


class ExportLogQuerySet(models.QuerySet):
    def printed(self):
        """Printable sheets shown in the browser (to print), as against files downloaded."""
        return self.filter(format=ExportLog.Format.PRINTABLE).exclude(source=ExportLog.Source.COMMAND)

    def downloaded(self):
        """Files that left the system: every export but a printable sheet shown in the browser."""
        return self.exclude(pk__in=self.printed().values("pk"))


class ExportLog(models.Model):
    """One contact-sheet export: who, when, what format, how many rows, which filters."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel workbook (XLSX)")
        JSON = "json", _("JSON")
        VCARD = "vcf", _("vCard")
        PRINTABLE = "html", _("Printable sheet")

    class Source(models.TextChoices):
        PRINTABLE_SHEET = "contact-sheet", _("Finder (printed)")
        FINDER = "candidate-finder", _("Candidate finder")
        SELECTED = "ids", _("Selected people")
        ADMIN_PEOPLE = "admin-people", _("People list")
        ADMIN_CANDIDACIES = "admin-candidacies", _("Candidacies list")
        COMMAND = "command", _("Command line")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    source = models.CharField(_("from"), max_length=40, blank=True, choices=Source.choices)
    row_count = models.PositiveIntegerField(_("rows"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    included_sensitive = models.BooleanField(_("included sensitive people"), default=False)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")

    def __str__(self):
        return f"{self.username} {self.format} {self.row_count} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def printed(self):
        """A printable sheet shown in the browser rather than a file (see ``ExportLogQuerySet.printed``)."""
        return self.format == self.Format.PRINTABLE and self.source != self.Source.COMMAND


class DistinctPair(models.Model):
    """Two people (or two organizations) a user said are not the same: never offered as duplicates again.

    Plain ids, smaller first, so one row covers the pair either way round; rows naming a record
    that is gone are harmless and a merge moves the duplicate's rows to the survivor.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("people")
        ORGANIZATION = "organization", _("organizations")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    first_id = models.PositiveBigIntegerField(_("first record"))
    second_id = models.PositiveBigIntegerField(_("second record"))
    created_at = models.DateTimeField(_("marked"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "first_id", "second_id"]
        verbose_name = _("pair marked not a duplicate")
        verbose_name_plural = _("pairs marked not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_id", "second_id"], name="distinct_pair_unique"),
            models.CheckConstraint(condition=Q(first_id__lt=models.F("second_id")), name="distinct_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.kind} {self.first_id} ≠ {self.second_id}"
