"""Invitation-letter templates the agency uploads; the newest one is used, the shipped default otherwise."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterTemplateQuerySet(models.QuerySet):
    def current(self):
        """The template letters are written with: the newest upload, or ``None`` for the shipped default."""
        return self.order_by("-uploaded_at", "-pk").first()


class LetterTemplate(models.Model):
    """A DOCX with placeholders (``{{ recipient_name }}`` …) for the invitation letters.

    The file is kept in the database, not on one server's disk: every app server behind the
    load balancer reads the same template, and the database backup carries it.
    """

    name = models.CharField(_("name"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255, editable=False)
    content = models.BinaryField(_("file"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self):
        return self.name
