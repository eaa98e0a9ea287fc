"""Organizations: agencies, NGOs, international organizations…, with their parents and focus areas."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partners.models.base import UUIDNaturalKeyManager, UUIDNaturalKeyMixin
from partners.models.taxonomy import ExpertiseArea


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
