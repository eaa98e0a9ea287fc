"""Shared reference data: the languages people speak and the bilingual expertise taxonomy."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

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

    def ranked_by_match(self, term):
        """The areas ordered by how well ``term`` matches them, best first; none left out.

        In either script: the exact name, then a name starting with it, then a
        word of the name starting with it (in Chinese, which has no spaces, the
        name holding it), then the term inside a word, then the description;
        ties in taxonomy order. The admin's picker filters, this ranks, so that
        Enter picks 「T 簽證」 rather than 護照及簽證偽變造.
        """
        term = " ".join(term.split())
        if not term:
            return self
        rank = models.Case(
            models.When(Q(name__iexact=term) | Q(name_zh__iexact=term) | Q(code__iexact=term), then=0),
            models.When(Q(name__istartswith=term) | Q(name_zh__istartswith=term), then=1),
            models.When(
                Q(name__icontains=f" {term}") | Q(name__icontains=f"-{term}") | Q(name_zh__icontains=term), then=2
            ),
            models.When(name__icontains=term, then=3),
            models.When(description__icontains=term, then=4),
            default=5,
            output_field=models.IntegerField(),
        )
        return self.alias(match_rank=rank).order_by("match_rank", "path")


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
