"""What a programme import remembers between files: which expertise area a file's topic or track means."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import ExpertiseArea


def topic_key(label):
    """How a topic label is looked up: case and spacing do not matter."""
    return " ".join(str(label).split()).casefold()[:200]


class TopicMapping(models.Model):
    """A topic or track as programme files name it → the expertise area it means (confirmed in a preview)."""

    key = models.CharField(_("topic (normalised)"), max_length=200, unique=True)
    label = models.CharField(_("topic or track as a file names it"), max_length=200)
    area = models.ForeignKey(
        ExpertiseArea,
        verbose_name=_("expertise area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the topic is known and deliberately mapped to no area."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("topic mapping")
        verbose_name_plural = _("topic mappings")

    def __str__(self):
        return f"{self.label} → {self.area or '—'}"
