"""What Liaison keeps about its own use of the data: export purposes, the export log, and the
pairs staff marked as "not the same" for the duplicate finder."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportPurpose(models.Model):
    """A purpose an export of personal data may serve ("workshop invitation"), kept by administrators."""

    name = models.CharField(_("English name"), max_length=120, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    active = models.BooleanField(_("offered"), default=True, help_text=_("Offered when someone exports."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("export purpose")
        verbose_name_plural = _("export purposes")

    def __str__(self):
        return f"{self.name_zh} {self.name}".strip() if self.name_zh else self.name


class ExportLogQuerySet(models.QuerySet):
    def printed(self):
        """Printable sheets shown in the browser (to print), as against files downloaded."""
        return self.filter(format=ExportLog.Format.PRINTABLE).exclude(source=ExportLog.Source.COMMAND)

    def downloaded(self):
        """Files that left the system: every export but a printable sheet shown in the browser."""
        return self.exclude(pk__in=self.printed().values("pk"))


class ExportLog(models.Model):
    """One contact-sheet export: who, when, what format, how many rows, which filters, for what purpose
    and which people (``person_ids``: ",12,40," so that "who exported person 12" is one ``contains``)."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel workbook (XLSX)")
        JSON = "json", _("JSON")
        VCARD = "vcf", _("vCard")
        PRINTABLE = "html", _("Printable sheet")
        DOCX = "docx", _("Word document (DOCX)")
        ZIP = "zip", _("Zip of Word documents")
        ICS = "ics", _("Calendar (iCalendar)")

    class Source(models.TextChoices):
        PRINTABLE_SHEET = "contact-sheet", _("Finder (printed)")
        FINDER = "candidate-finder", _("Candidate finder")
        SELECTED = "ids", _("Selected people")
        ADMIN_PEOPLE = "admin-people", _("People list")
        ADMIN_CANDIDACIES = "admin-candidacies", _("Candidacies list")
        COMMAND = "command", _("Command line")
        TRIP_REPORT = "trip-report", _("Trip report")
        INVITATION_LETTERS = "invitation-letters", _("Invitation letters")
        CALENDAR = "calendar", _("Calendar")

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
    purpose = models.ForeignKey(
        ExportPurpose, verbose_name=_("purpose"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose_detail = models.TextField(_("purpose (details)"), blank=True)
    person_ids = models.TextField(_("people (ids)"), blank=True, default="")

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

    @staticmethod
    def person_ids_text(ids):
        """``[40, 12]`` as stored in ``person_ids``: ",12,40," (empty for none)."""
        ids = sorted({int(pk) for pk in ids})
        return f",{','.join(map(str, ids))}," if ids else ""

    @staticmethod
    def person_ids_lookup(person_id):
        """The filter for entries that included person ``person_id``."""
        return {"person_ids__contains": f",{int(person_id)},"}

    @property
    def people_ids(self):
        return [int(pk) for pk in self.person_ids.strip(",").split(",") if pk]


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
