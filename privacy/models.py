"""Personal data: who looked at protected records and why, erasures on request, people due for review.

The rows here name people by id only, never by name: an erased person's audit line must not
bring back what the erasure removed, and an administrator without sensitive access reads the
access log without learning a protected person's name.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Person


class AccessLog(models.Model):
    """One look at a protected (sensitive) person's record, or one list that included protected people."""

    class View(models.TextChoices):
        PAGE = "page", _("person's page")
        HISTORY = "history", _("history")
        INTERACTIONS = "interactions", _("interactions")
        CONTACTS = "contacts", _("contact details")
        PERSON_LIST = "person-list", _("person list")
        FINDER = "finder", _("candidate finder")

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
    # No database constraint: the line outlives a deleted person and keeps their id.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="access_log",
    )
    view = models.CharField(_("what"), max_length=20, choices=View.choices)
    path = models.CharField(_("page"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from (address)"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    protected_count = models.PositiveIntegerField(
        _("protected people included"), default=0, help_text=_("For lists: how many protected people were shown.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("record access log")
        indexes = [models.Index(fields=["person", "-created_at"], name="accesslog_person_idx")]

    def __str__(self):
        return f"{self.username} {self.view} #{self.person_id or '-'}"


class ErasureRecord(models.Model):
    """The kept audit line of one erasure on request: who erased which person (by id) and why."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    person_id_erased = models.PositiveBigIntegerField(_("person (id)"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    reason = models.TextField(_("reason"))
    removed = models.JSONField(
        _("removed"), default=dict, blank=True, help_text=_("Rows removed or scrubbed, by kind.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        permissions = [("erase_person", _("Can erase a person's data on request"))]

    def __str__(self):
        return f"#{self.person_id_erased} {self.username} ({self.created_at:%Y-%m-%d})"


class RetentionReview(Person):
    """People due for a retention review (``privacy.retention.people_due_for_review``): an admin list."""

    class Meta:
        proxy = True
        verbose_name = _("person due for review")
        verbose_name_plural = _("people due for review")
