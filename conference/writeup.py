"""Writing a conference up on its event page: the programme by day, times in the event's own
zone beside Taipei time, time zones found by city and country, expertise from a session's topics.

Reads (``event_programme``), one write (``record_speakers_expertise``) and the time helpers the
event and session admin share; kept apart from ``selectors``/``services`` so this page's code
reads in one place.
"""

import zoneinfo
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext
from django_countries import countries

from conference.models import Appearance
from partners.models import Person, PersonExpertise

TAIPEI = "Asia/Taipei"


def utc_offset(value):
    """``UTC+08:00`` / ``UTC−04:00`` of an aware datetime."""
    offset = value.strftime("%z")
    sign = "−" if offset.startswith("-") else "+"
    return f"UTC{sign}{offset[1:3]}:{offset[3:5]}"


def zone_name(zone):
    """A zone as staff read it: "Taipei time" for Taipei (never "CST"), else its IANA name."""
    return gettext("Taipei time") if zone.key == TAIPEI else zone.key


def in_zone(value, zone):
    """``2022-03-15 09:00 America/New_York (UTC−04:00)``: a time always says its zone and offset."""
    if not value:
        return ""
    local = timezone.localtime(value, zone)
    return f"{local:%Y-%m-%d %H:%M} {zone_name(zone)} ({utc_offset(local)})"


def span_in_zone(start, end, zone):
    """``2022-03-15 09:00–10:00 America/New_York (UTC−04:00)``; the end's date is shown when it differs."""
    if not start or not end:
        return ""
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    end_text = f"{local_end:%H:%M}" if local_end.date() == local_start.date() else f"{local_end:%Y-%m-%d %H:%M}"
    return f"{local_start:%Y-%m-%d %H:%M}–{end_text} {zone_name(zone)} ({utc_offset(local_start)})"


def taipei_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# -- time zones by city and country ------------------------------------------------------------


@cache
def zones_by_country():
    """``{country code: [zone, …]}`` from the tz database's ``zone.tab`` (shipped with tzdata)."""
    table = {}
    for path in _zone_tab_paths():
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) >= 3:
                    table.setdefault(parts[0], []).append(parts[2])
            break
    return table


def _zone_tab_paths():
    try:
        import tzdata

        yield Path(tzdata.__file__).parent / "zoneinfo" / "zone.tab"
    except ImportError:
        pass
    yield Path("/usr/share/zoneinfo/zone.tab")


def zone_choices(*, country="", city=""):
    """``[(zone, label)]`` for a searchable list: "New York — United States (UTC−04:00 now)", the
    zones of ``country`` first (suggested; a zone named after ``city`` before them), then every
    zone by country name, then UTC."""
    now = timezone.now()
    countries_of = {}
    for code, zones in zones_by_country().items():
        for name in zones:
            countries_of.setdefault(name, []).append(code)

    def label(name):
        city = name.rsplit("/", 1)[-1].replace("_", " ")
        where = ", ".join(str(countries.name(code)) for code in countries_of.get(name, []))
        offset = utc_offset(now.astimezone(zoneinfo.ZoneInfo(name)))
        return f"{city} — {where} · {name} ({offset})" if where else f"{city} · {name} ({offset})"

    suggested = suggested_zones(country=country, city=city)
    listed = sorted(countries_of, key=lambda name: (label(name).split(" — ")[-1], name))
    # Legacy aliases (CST6CDT, US/Eastern, …) are left out: a city names every zone still in use.
    rest = ["UTC"]
    seen, choices = set(), []
    for name in [*suggested, *listed, *rest]:
        if name not in seen:
            seen.add(name)
            choices.append((name, label(name)))
    return choices


def suggested_zones(*, country="", city=""):
    """The zones of ``country`` (tz database order), the one named after ``city`` first if any."""
    zones = list(zones_by_country().get(str(country or ""), []))
    wanted = str(city or "").strip().casefold().replace(" ", "_")
    named = [name for name in zones if wanted and name.rsplit("/", 1)[-1].casefold() == wanted]
    return named + [name for name in zones if name not in named]


# -- the programme on the event page -----------------------------------------------------------


@dataclass
class ProgrammeDay:
    day: object
    sessions: list = field(default_factory=list)


def event_programme(event, *, user):
    """The event's sessions grouped by day in the event's own zone, each with its appearances
    (people the user may see, their organizations) prefetched: three queries, however many sessions.
    Each session gets ``local_span`` and ``taipei_span`` texts."""
    visible = Person.objects.visible_to(user)
    appearances = Appearance.objects.select_related("person", "organization").filter(
        Q(person__isnull=True) | Q(person__in=visible)
    )
    sessions = event.sessions.order_by("starts_at", "pk").prefetch_related(
        Prefetch("appearances", queryset=appearances.order_by("order", "pk"))
    )
    zone, taipei = event.zone, taipei_zone()
    days = []
    for session in sessions:
        session.local_span = span_in_zone(session.starts_at, session.ends_at, zone)
        session.taipei_span = span_in_zone(session.starts_at, session.ends_at, taipei)
        day = timezone.localtime(session.starts_at, zone).date()
        if not days or days[-1].day != day:
            days.append(ProgrammeDay(day))
        days[-1].sessions.append(session)
    return days


# -- expertise from a session's topics -----------------------------------------------------------


@transaction.atomic
def record_speakers_expertise(sessions, *, by=None):
    """ "Its speakers know its topics": each person appearing in ``sessions`` gets each of the
    session's topics as expertise, that appearance as evidence. Returns how many were added;
    links already there are left alone, organizations appearing alone get none."""
    sessions = sessions.prefetch_related("topics", "appearances")
    existing = set(
        PersonExpertise.objects.filter(appearance__session__in=sessions).values_list(
            "person_id", "area_id", "appearance_id"
        )
    )
    added = 0
    for session in sessions:
        for appearance in session.appearances.all():
            if appearance.person_id is None:
                continue
            for area in session.topics.all():
                key = (appearance.person_id, area.pk, appearance.pk)
                if key in existing:
                    continue
                link = PersonExpertise(person_id=appearance.person_id, area=area, appearance=appearance)
                link._change_reason = gettext("Its speakers know its topics: %(session)s") % {"session": session}
                link.save()
                existing.add(key)
                added += 1
    return added


# -- a speaker added from the event page ---------------------------------------------------------


@transaction.atomic
def add_appearance(
    session,
    *,
    person=None,
    new_person=None,
    organization=None,
    new_organization="",
    title="",
    role=Appearance.Role.SPEAKER,
    printed="",
    by=None,
):
    """Add an appearance to ``session``; return it.

    ``person`` (stored) or ``new_person`` (``{"full_name", "name_zh", "country"}``: created, the
    event's country by default); ``organization`` (stored) or ``new_organization`` (a name: created).
    A new person's job becomes that organization with ``title``; ``printed`` defaults to "title,
    organization". Raises ``ValidationError`` when the person or organization already appears.
    """
    from partners.models import Affiliation, Organization

    reason = gettext("Added from the event page: %(session)s") % {"session": session}
    if organization is None and new_organization.strip():
        organization = Organization(name=new_organization.strip()[:300], country=session.event.country)
        organization._change_reason = reason
        organization.save()
    if person is None and new_person:
        person = Person(
            full_name=new_person["full_name"].strip()[:200] or new_person.get("name_zh", "").strip()[:200],
            name_zh=new_person.get("name_zh", "").strip()[:100],
            country=new_person.get("country") or session.event.country,
            source=gettext("Programme of %(event)s") % {"event": session.event},
        )
        person._change_reason = reason
        person.save()
        if organization is not None:
            job = Affiliation(person=person, organization=organization, title=title[:300], is_current=True)
            job._change_reason = reason
            job.save()
    printed = printed or ", ".join(part for part in (title, organization.name if organization else "") if part)
    order = max((a.order for a in session.appearances.all()), default=0) + 1
    appearance = Appearance(
        session=session,
        person=person,
        organization=organization,
        role=role,
        affiliation_as_printed=printed[:500],
        order=order,
    )
    appearance.full_clean()
    appearance.save()
    return appearance
