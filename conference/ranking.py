"""How the candidate finder ranks people for a set of themes: the score's parts, their weights, one query.

A candidate's score is the sum of parts a planner can check on the row:

========== ====================================================================== ==============
part       what it measures                                                       points
========== ====================================================================== ==============
coverage   themes the person's expertise reaches, each theme once                 100 a theme
closeness  per theme, the nearest link: the theme itself 30, one level below 20,  0–30
           two levels 12, further 6; averaged over the workshop's themes
evidence   talks on the themes (distinct sessions): 36 × (1 − 0.8^points), a     0–36
           speaker, panelist, presenter or survivor speaker 2 points, a
           moderator 1 (diminishing returns: 1 talk 13, 2 talks 21, 3 talks
           27); without a talk, a note 6
recency    the latest talk on the themes: 18 × 0.75^years (2 years ago 10,       0–18
           5 years ago 4); notes carry no date
record     our own workshops: confirmed for another one +8, else declined −4      −4…+8
========== ====================================================================== ==============

Everything but coverage adds up to at most 92 and at least −4, so a person reaching
one more theme always ranks higher: nothing outweighs coverage. Equal scores are
ordered by the stronger part (coverage, closeness, evidence, recency, record), then
by name; a name decides only when every part is equal. "Not suitable" for another
workshop with one of the same themes is shown on the row, not scored: the reason may
not hold for this workshop. Planner preferences (a workshop's languages or countries)
are not part of the score: an event records neither.

The same parts are computed two ways: from the links' side for the finder's page
(``RankedCandidates``: a GROUP BY over the matching links, the page's top rows, a
capped count), and from the people's side for a whole selection (``annotate_people``:
a ranked ``Person`` queryset for contact sheets). Both read the same expressions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Power
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.models import Appearance, Candidacy
from partners.models import ExpertiseArea


class Weights:
    """The weights of the table above; the only place they are written."""

    COVERAGE = 100
    CLOSENESS = {0: 30, 1: 20, 2: 12}  # levels below the theme → points
    CLOSENESS_FURTHER = 6
    TALKS = 36
    TALK_DECAY = 0.8  # each talk point keeps this share of what is still missing
    TALK_POINTS = 2
    MODERATOR_POINTS = 1
    NOTE = 6
    RECENCY = 18
    RECENCY_DECAY = 0.75  # a year
    CONFIRMED = 8
    DECLINED = -4

    @classmethod
    def closeness(cls, levels_below):
        return cls.CLOSENESS.get(levels_below, cls.CLOSENESS_FURTHER)

    @classmethod
    def most_besides_coverage(cls):
        return max(cls.CLOSENESS.values()) + cls.TALKS + cls.RECENCY + cls.CONFIRMED

    @classmethod
    def least_besides_coverage(cls):
        return min(0, cls.DECLINED)


# The order of the parts when breaking a tie: the stronger part first.
PARTS = ("coverage", "closeness", "evidence", "recency", "record")
SECONDS_A_YEAR = 365.25 * 24 * 3600


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UTC text; julianday reads it.
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


@dataclass
class Theme:
    """One theme and the areas it reaches, grouped by how many levels below it they sit."""

    area: ExpertiseArea
    ids_by_levels: dict[int, list[int]] = field(default_factory=dict)

    @property
    def ids(self):
        return [pk for ids in self.ids_by_levels.values() for pk in ids]

    def reaches(self, area):
        return area.path.startswith(self.area.path)


class RankingPlan:
    """The themes and every area below them, read in one query; what the score expressions are built from."""

    def __init__(self, areas, *, workshop=None, now=None):
        self.themes = [Theme(area) for area in dict.fromkeys(areas)]
        self.workshop = workshop
        self.now = now or timezone.now()
        self.area_ids = []
        if not self.themes:
            return
        for pk, path, depth in ExpertiseArea.objects.under([t.area for t in self.themes]).values_list(
            "pk", "path", "depth"
        ):
            self.area_ids.append(pk)
            for theme in self.themes:
                if path.startswith(theme.area.path):
                    theme.ids_by_levels.setdefault(depth - theme.area.depth, []).append(pk)

    def __bool__(self):
        return bool(self.area_ids)

    def themes_of(self, area):
        """The themes ``area`` reaches (a theme below another theme reaches both)."""
        return [theme.area for theme in self.themes if theme.reaches(area)]

    # -- the score's expressions; ``link`` is the path from the grouped row to PersonExpertise,
    # ``person`` the grouped row's person id.

    def expressions(self, *, link="", person="person_id"):
        """Aggregate expressions of every part, ``score`` and the figures the row shows."""

        def f(name):
            return f"{link}{name}"

        n = len(self.themes)
        parts = {}
        for index, theme in enumerate(self.themes):
            parts[f"theme_{index}"] = Max(
                Case(
                    *[
                        When(Q(**{f("area_id__in"): ids}), then=Value(Weights.closeness(levels)))
                        for levels, ids in sorted(theme.ids_by_levels.items())
                    ],
                    default=Value(0),
                )
            )
        # A theme is reached when its nearest link scores: one aggregate a theme, read twice.
        themes = [F(f"theme_{index}") for index in range(n)]
        parts["coverage"] = _sum(
            [Case(When(**{f"theme_{index}__gt": 0}, then=Value(1)), default=Value(0)) for index in range(n)],
            IntegerField(),
        )
        parts["closeness"] = _sum([Cast(theme, FloatField()) for theme in themes], FloatField()) / Value(float(n))

        moderator = Q(**{f("appearance__role"): Appearance.Role.MODERATOR})
        talked = Q(**{f("appearance_id__isnull"): False})
        talks = Count(Case(When(talked & ~moderator, then=F(f("appearance_id")))), distinct=True)
        moderated = Count(Case(When(talked & moderator, then=F(f("appearance_id")))), distinct=True)
        parts["talks"] = talks
        parts["moderated"] = moderated
        points = talks * Value(Weights.TALK_POINTS) + moderated * Value(Weights.MODERATOR_POINTS)
        noted = Max(Case(When(Q(**{f("appearance_id__isnull"): True}), then=Value(1)), default=Value(0)))
        parts["noted"] = noted
        parts["evidence"] = Case(
            When(
                Q(talks__gt=0) | Q(moderated__gt=0),
                then=Value(float(Weights.TALKS)) * (Value(1.0) - Power(Value(Weights.TALK_DECAY), points)),
            ),
            When(noted=1, then=Value(float(Weights.NOTE))),
            default=Value(0.0),
            output_field=FloatField(),
        )

        latest = Max(f("appearance__session__starts_at"))
        parts["latest"] = latest
        years = (Value(self.now.timestamp()) - EpochSeconds(latest)) / Value(SECONDS_A_YEAR)
        parts["recency"] = Case(
            When(latest__isnull=False, then=Value(float(Weights.RECENCY)) * Power(Value(Weights.RECENCY_DECAY), years)),
            default=Value(0.0),
            output_field=FloatField(),
        )

        others = Candidacy.objects.exclude(workshop=self.workshop) if self.workshop else Candidacy.objects.all()
        confirmed = others.filter(status=Candidacy.Status.CONFIRMED).values("person_id")
        declined = others.filter(status=Candidacy.Status.DECLINED).values("person_id")
        parts["record"] = Max(
            Case(
                When(Q(**{f"{person}__in": confirmed}), then=Value(Weights.CONFIRMED)),
                When(Q(**{f"{person}__in": declined}), then=Value(Weights.DECLINED)),
                default=Value(0),
            )
        )
        return parts

    def annotate(self, queryset, *, link="", person="person_id"):
        """``queryset`` (grouped by person) with every part, ``score`` and the tie-breaking order."""
        parts = self.expressions(link=link, person=person)
        queryset = queryset.annotate(**parts)
        score = (
            Cast(F("coverage"), FloatField()) * Value(float(Weights.COVERAGE))
            + F("closeness")
            + F("evidence")
            + F("recency")
            + Cast(F("record"), FloatField())
        )
        return queryset.annotate(score=score)

    @staticmethod
    def ordering(name="full_name", pk="pk"):
        return ["-score", *(f"-{part}" for part in PARTS), name, pk]


def _sum(expressions, output_field):
    total = expressions[0]
    for expression in expressions[1:]:
        total = total + expression
    if len(expressions) == 1:
        total = total + Value(0)
    total.output_field = output_field
    return total


@dataclass
class ScoreParts:
    """A candidate's parts as the finder shows them."""

    themes: int
    theme_count: int
    closeness: float
    evidence: float
    recency: float
    record: int
    talks: int
    moderated: int
    noted: bool
    latest: dt.datetime | None
    score: float

    @classmethod
    def from_row(cls, row, *, theme_count):
        return cls(
            themes=row["coverage"],
            theme_count=theme_count,
            closeness=row["closeness"],
            evidence=row["evidence"],
            recency=row["recency"],
            record=row["record"],
            talks=row["talks"],
            moderated=row["moderated"],
            noted=bool(row["noted"]),
            latest=row["latest"],
            score=row["score"],
        )

    def summary(self):
        """ "2 of 3 themes · 3 talks · latest 2024" in the reader's language."""
        bits = [
            _("%(reached)d of %(count)d themes") % {"reached": self.themes, "count": self.theme_count}
            if self.theme_count > 1
            else _("the theme")
        ]
        if self.talks:
            bits.append(ngettext("%(count)d talk", "%(count)d talks", self.talks) % {"count": self.talks})
        if self.moderated:
            bits.append(
                ngettext("moderated %(count)d", "moderated %(count)d", self.moderated) % {"count": self.moderated}
            )
        if not self.talks and not self.moderated and self.noted:
            bits.append(_("from a note"))
        if self.latest:
            bits.append(_("latest %(year)d") % {"year": timezone.localtime(self.latest).year})
        if self.record > 0:
            bits.append(_("confirmed for one of our workshops"))
        elif self.record < 0:
            bits.append(_("declined one of our workshops"))
        return " · ".join(str(bit) for bit in bits)

    def breakdown(self):
        """The points of each part, for the score's tooltip."""
        return _(
            "coverage %(coverage)d + closeness %(closeness).1f + evidence %(evidence).1f"
            " + recency %(recency).1f + record %(record)+d"
        ) % {
            "coverage": self.themes * Weights.COVERAGE,
            "closeness": self.closeness,
            "evidence": self.evidence,
            "recency": self.recency,
            "record": self.record,
        }
