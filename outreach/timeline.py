"""A person's timeline: everything we know about them, newest first, from six sources.

Appearances at events, interactions, candidacies and their changes (from the candidacy
history), jobs starting and ending, and changes to the record (the person's history).
Each source is one query limited to the rows the requested page can need, so the
number of queries is the same however long the history is.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Candidacy
from outreach.models import Interaction

PAGE_SIZE = 20

# Fields of a person's history rows that are bookkeeping, not the record.
NOT_RECORD_FIELDS = {"id", "uuid", "version", "created_at", "updated_at", "name_key", "name_zh_key"}


@dataclass
class TimelineEntry:
    when: dt.datetime  # aware, for ordering
    shown_when: str  # as shown, with its zone ("2022-03-15 09:00 America/New_York") or a date
    kind: str  # appearance, interaction, candidacy, job, record
    kind_label: str
    text: str
    who: str
    url: str = ""


@dataclass
class TimelinePage:
    entries: list
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def _day(date):
    """A date (jobs) as the start of that day in Taipei, to order it among instants."""
    return timezone.make_aware(dt.datetime.combine(date, dt.time.min))


def _taipei(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") + " " + _("Taipei time")


def _user_label(user, fallback=""):
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


def _appearances(person, limit):
    appearances = person.appearances.select_related("session__event").order_by("-session__starts_at", "-pk")
    for appearance in appearances[:limit]:
        session = appearance.session
        local = session.starts_at.astimezone(session.event.zone)
        yield TimelineEntry(
            when=session.starts_at,
            shown_when=f"{local:%Y-%m-%d %H:%M} {session.event.time_zone}",
            kind="appearance",
            kind_label=_("Appearance"),
            text=_("%(role)s at “%(session)s”, %(event)s")
            % {"role": appearance.get_role_display(), "session": session, "event": session.event},
            who=appearance.affiliation_as_printed,
            url=reverse("admin:conference_session_change", args=[session.pk]),
        )


def _interactions(person, limit):
    interactions = Interaction.objects.filter(person=person).select_related("officer", "organization", "event")
    for interaction in interactions.order_by("-occurred_at", "-pk")[:limit]:
        local = interaction.local_occurred_at()
        text = _("%(kind)s: %(summary)s") % {"kind": interaction.get_kind_display(), "summary": interaction.summary}
        if interaction.place:
            text += f" ({interaction.place})"
        if interaction.follow_up:
            due = f" {interaction.follow_up_due:%Y-%m-%d}" if interaction.follow_up_due else ""
            text += " — " + _("follow-up%(due)s: %(what)s") % {"due": due, "what": interaction.follow_up}
        who = interaction.officer_label
        if interaction.unit:
            who = f"{who}, {interaction.unit}" if who else interaction.unit
        yield TimelineEntry(
            when=interaction.occurred_at,
            shown_when=f"{local:%Y-%m-%d %H:%M} {interaction.time_zone}",
            kind="interaction",
            kind_label=_("Interaction"),
            text=text,
            who=who,
            url=reverse("admin:outreach_interaction_change", args=[interaction.pk]),
        )


def _candidacy_changes(person, limit):
    """The candidacy history rows of this person's candidacies (moved ones included), each told by what changed."""
    current = Candidacy.objects.filter(person=person).values("pk")
    rows = list(
        Candidacy.history.filter(Q(person_id=person.pk) | Q(id__in=current))
        .select_related("history_user", "workshop")
        .order_by("-history_date", "-history_id")[:limit]
    )
    # The row before each one (of the same candidacy), where the page holds it.
    older = {}
    for row in reversed(rows):
        row.previous = older.get(row.id)
        older[row.id] = row
    for row in rows:
        status = Candidacy.Status(row.status).label
        suitability = Candidacy.Suitability(row.suitability).label
        workshop = row.workshop if row.workshop_id else "—"
        if row.history_type == "+":
            text = _("Candidate for %(workshop)s: %(status)s, %(suitability)s")
        elif row.history_type == "-":
            text = _("Candidacy for %(workshop)s removed")
        elif row.previous is not None and row.previous.status != row.status:
            text = _("Candidacy for %(workshop)s: status now %(status)s")
        elif row.previous is not None and row.previous.suitability != row.suitability:
            text = _("Candidacy for %(workshop)s: assessed %(suitability)s")
        else:
            text = _("Candidacy for %(workshop)s updated: %(status)s, %(suitability)s")
        text %= {"workshop": workshop, "status": status, "suitability": suitability}
        if row.status == Candidacy.Status.DECLINED and row.declined_reason:
            text += " — " + row.declined_reason
        elif row.reason and row.history_type != "-":
            text += " — " + row.reason
        yield TimelineEntry(
            when=row.history_date,
            shown_when=_taipei(row.history_date),
            kind="candidacy",
            kind_label=_("Candidacy"),
            text=text,
            who=_user_label(row.history_user, row.decided_by_name),
            url=reverse("admin:conference_candidacy_change", args=[row.id]) if row.history_type != "-" else "",
        )


def _jobs(person, limit):
    jobs = person.affiliations.select_related("organization")
    for job in jobs.filter(start_date__isnull=False).order_by("-start_date", "-pk")[:limit]:
        yield TimelineEntry(
            when=_day(job.start_date),
            shown_when=f"{job.start_date:%Y-%m-%d}",
            kind="job",
            kind_label=_("Job"),
            text=_("Started: %(job)s") % {"job": job},
            who=str(job.organization),
        )
    for job in jobs.filter(end_date__isnull=False).order_by("-end_date", "-pk")[:limit]:
        yield TimelineEntry(
            when=_day(job.end_date),
            shown_when=f"{job.end_date:%Y-%m-%d}",
            kind="job",
            kind_label=_("Job"),
            text=_("Ended: %(job)s") % {"job": job},
            who=str(job.organization),
        )


def _record_changes(person, limit):
    rows = list(person.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    fields = [
        field
        for field in type(person)._meta.concrete_fields
        if field.attname not in NOT_RECORD_FIELDS and not field.name.startswith("history")
    ]
    for index, row in enumerate(rows):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        if row.history_type == "+":
            text = _("Record created")
        elif previous is None:
            text = _("Record changed")
        else:
            changed = [
                str(field.verbose_name)
                for field in fields
                if getattr(row, field.attname, None) != getattr(previous, field.attname, None)
            ]
            text = (_("Changed: %(fields)s") % {"fields": ", ".join(changed)}) if changed else _("Record saved")
        if row.history_change_reason:
            text += " — " + row.history_change_reason[:200]
        yield TimelineEntry(
            when=row.history_date,
            shown_when=_taipei(row.history_date),
            kind="record",
            kind_label=_("Record"),
            text=text,
            who=_user_label(row.history_user),
        )


SOURCES = [_appearances, _interactions, _candidacy_changes, _jobs, _record_changes]


def person_timeline(person, *, page=1, page_size=PAGE_SIZE):
    """One page (``page``, from 1) of ``person``'s timeline, newest first.

    Six queries whatever the length: each source reads at most the ``page × page_size + 1``
    newest rows it has, which is all a page can need. The caller checks that the user may
    see ``person`` (their page does). History rows of a merged-away record stay with that
    record; the merge's own history row on the survivor says what was merged.
    """
    page = max(1, page)
    limit = page * page_size + 1
    entries = [entry for source in SOURCES for entry in source(person, limit)]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    start = (page - 1) * page_size
    return TimelinePage(
        entries=entries[start : start + page_size],
        number=page,
        has_previous=page > 1,
        has_next=len(entries) > start + page_size,
    )
