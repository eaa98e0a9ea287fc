"""What goes into a document: one read of an event or a workshop, already stripped of internal data.

Everything a writer (trip report, letters, calendar) prints comes from here, so the rules live
in one place:

- protected (sensitive) people appear only as 「受保護講者」 with their role, whoever asks —
  no name, no organization, no affiliation as printed, no expertise; their names are also
  blanked out of session summaries should an editor have typed them there;
- no suitability decision or reason, no notes (people's, organizations', expertise evidence's,
  the event's description) ever leave the database through a document;
- contact details only when the caller asks for them (the caller checks the right to export);
- invitation letters never go to a do-not-contact or a sensitive person.

Times: an instant is printed in the staff's own zone (``settings.TIME_ZONE``, Taipei) and in
the event's zone; sessions are grouped by their date in the event's own zone, as the
programme does (the seed's welcome at 23:45 Taipei on 15 March belongs to the programme's
first day, 15 March in Miami, which runs until 05:00 on 16 March in Taipei).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.models import ContactMethod, Person, PersonExpertise
from partners.names import has_cjk

PROTECTED_SPEAKER = "受保護講者"
PROTECTED_SPEAKER_EN = "Protected speaker"
NUMERALS = "一二三四五六七八九"


def chinese_number(n):
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 101 → 一百零一, 110 → 一百一十, as the report numbers
    its sections (a conference may have more than 99 sessions); from 10,000 in Arabic digits."""
    if n < 10:
        return NUMERALS[n - 1]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")
    if n >= 10_000:
        return str(n)
    text, zero = "", False
    for digit, unit in zip(f"{n:04d}", "千百十 ", strict=True):
        if digit == "0":
            zero = bool(text)
            continue
        text += ("零" if zero else "") + NUMERALS[int(digit) - 1] + unit.strip()
        zero = False
    return text


def zh_date(day):
    return f"{day.month}月{day.day}日"


def zh_span(first, last):
    """A span of dates as the report writes it: 3月17日, 3月15日－16日, 3月31日－4月1日."""
    if first == last:
        return zh_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.month}月{first.day}日－{last.day}日"
    return f"{zh_date(first)}－{zh_date(last)}"


def zh_full_span(first, last):
    """2022年3月15日至17日, 2022年3月31日至4月1日, 2022年12月31日至2023年1月2日."""
    start = f"{first.year}年{first.month}月{first.day}日"
    if first == last:
        return start
    if first.year != last.year:
        return f"{start}至{last.year}年{last.month}月{last.day}日"
    if first.month != last.month:
        return f"{start}至{last.month}月{last.day}日"
    return f"{start}至{last.day}日"


def en_full_span(first, last):
    """15–17 March 2022, 31 March – 1 April 2022, 31 December 2022 – 2 January 2023."""
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if first.year != last.year:
        return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day}–{last.day} {last:%B %Y}"


def last_day_of(end):
    """The date an interval ending at ``end`` (aware, in its zone) last touches: 00:00 belongs to the day before."""
    return (end - dt.timedelta(microseconds=1)).date()


def home_zone():
    """The staff's own zone (Taipei), in which reports and letters give times."""
    return timezone.get_default_timezone()


def zh_label(choice):
    """A model choice's label in Traditional Chinese, whatever the request's language."""
    with translation.override("zh-hant"):
        return str(choice.label)


def en_label(choice):
    with translation.override("en"):
        return str(choice.label)


def zh_country(country):
    """A country's Chinese name in Taiwan usage (django-countries writes 台灣, Taiwan writes 臺灣)."""
    if not country:
        return ""
    with translation.override("zh-hant"):
        return str(country.name).replace("台", "臺")


def redactor(people):
    """A function blanking the names of ``people`` (protected speakers) out of a text."""
    names = set()
    for person in people:
        names.update(
            name.strip()
            for name in (person.full_name, person.name_zh, person.given_name, person.family_name)
            if name and len(name.strip()) >= 2
        )
    if not names:
        return lambda text: text
    # Whole words for names in Latin script ("Lee" must not blank "fleeing"); Chinese has no word breaks.
    alternatives = [
        re.escape(name) if has_cjk(name) else rf"(?<!\w){re.escape(name)}(?!\w)"
        for name in sorted(names, key=len, reverse=True)
    ]
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    return lambda text: pattern.sub(PROTECTED_SPEAKER, text)


# -- the trip report -------------------------------------------------------------------------------


@dataclass
class Speaker:
    """One appearance as printed: a person, an agency without a named person, or a protected speaker."""

    name: str
    name_zh: str
    role: str
    affiliation: str
    organization_label: str
    protected: bool = False

    @property
    def line(self):
        """E.g. "Jean Bruggeman（講者）：自由聯盟執行長（…）", or "受保護講者（倖存者講者）"."""
        if self.protected:
            return f"{PROTECTED_SPEAKER}（{self.role}）"
        name = self.name
        if self.name_zh and self.name_zh != self.name:
            name = f"{name}（{self.name_zh}）"
        where = self.affiliation
        if self.organization_label and self.organization_label not in where:
            where = f"{where}（{self.organization_label}）" if where else self.organization_label
        return f"{name}（{self.role}）：{where}" if where else f"{name}（{self.role}）"


@dataclass
class SessionBlock:
    session: Session
    number: int
    kind: str
    starts_home: dt.datetime
    ends_home: dt.datetime
    starts_local: dt.datetime
    ends_local: dt.datetime
    speakers: list
    summary: str
    attendees: list

    @property
    def title(self):
        return self.session.title

    @property
    def title_zh(self):
        return self.session.title_zh

    @property
    def label_zh(self):
        """E.g. "主題演講：公平對待…", or the title alone when it is the kind ("致歡迎詞")."""
        title = self.title_zh or self.title
        if self.kind in title:
            return title
        return f"{self.kind}：{title}"

    @property
    def heading(self):
        """E.g. "（二）主題演講：公平對待…（Equity and …）"."""
        heading = self.label_zh
        if self.title_zh and self.title and self.title != self.title_zh:
            heading = f"{heading}（{self.title}）"
        return f"（{chinese_number(self.number)}）{heading}"

    @property
    def home_times(self):
        """E.g. "23:45–00:00": the agenda's time range in Taipei; the day's label says which dates."""
        return f"{self.starts_home:%H:%M}–{self.ends_home:%H:%M}"

    def when(self, zone_name):
        """Both zones: 臺灣時間 3月15日 23:45 至 3月16日 00:00（當地時間 3月15日 11:45 至 12:00，America/New_York）."""
        home = zh_range(self.starts_home, self.ends_home)
        local = zh_range(self.starts_local, self.ends_local)
        return f"臺灣時間 {home}（當地時間 {local}，{zone_name}）"


def zh_range(start, end):
    """E.g. "3月15日 11:45 至 12:00", or with the end's date when it falls on another day."""
    if end.date() == start.date():
        return f"{zh_date(start)} {start:%H:%M} 至 {end:%H:%M}"
    return f"{zh_date(start)} {start:%H:%M} 至 {zh_date(end)} {end:%H:%M}"


@dataclass
class ReportDay:
    """The sessions of one programme day (a date in the event's zone), labelled by their Taipei dates."""

    local_date: dt.date
    label: str
    sessions: list


@dataclass
class Attendee:
    name: str
    title: str
    unit: str
    modes: list
    days: list

    @property
    def line(self):
        """E.g. "江如晴（內政部移民署移民事務組助理員）：視訊，3月15日－16日、3月18日"."""
        who = f"{self.name}（{self.unit}{self.title}）" if (self.unit or self.title) else self.name
        return f"{who}：{'、'.join(self.modes)}，{'、'.join(self.days)}"


@dataclass
class AnnexPerson:
    name: str
    name_zh: str
    roles: list
    organization: str
    country: str
    expertise: list
    contacts: list = field(default_factory=list)
    protected: bool = False


@dataclass
class AnnexOrganization:
    name: str
    name_zh: str
    kind: str
    country: str


@dataclass
class TripReport:
    event: Event
    zone_name: str
    local_dates: str
    home_dates: str
    days: list
    attendees: list
    people: list
    organizations: list
    with_contacts: bool

    @property
    def sessions(self):
        return [block for day in self.days for block in day.sessions]


def organization_label(organization):
    if organization is None:
        return ""
    if organization.name_zh and organization.name_zh != organization.name:
        return f"{organization.name_zh}（{organization}）"
    return str(organization)


def read_trip_report(event, *, with_contacts=False):
    """The trip report's content for ``event`` (a conference), internal data left out (see the module).

    ``with_contacts`` adds the speakers' contact details to the annex; the caller decides
    whether the user may have them (``partners.export_person``). Protected speakers are
    anonymised whoever asks. A few queries, whatever the number of sessions.
    """
    zone, home = event.zone, home_zone()
    appearances = Appearance.objects.select_related("person", "organization").order_by("order", "pk")
    sessions = list(
        event.sessions.order_by("starts_at", "pk").prefetch_related(Prefetch("appearances", queryset=appearances))
    )
    attendances = list(event.attendances.select_related("session").order_by("staff_name", "pk"))
    protected = {
        a.person_id: a.person for s in sessions for a in s.appearances.all() if a.person and a.person.sensitive
    }
    redact = redactor(protected.values())

    # Programme days in the event's own zone.
    days, by_date = [], {}
    for session in sessions:
        local_date = session.starts_at.astimezone(zone).date()
        if local_date not in by_date:
            by_date[local_date] = ReportDay(local_date=local_date, label="", sessions=[])
            days.append(by_date[local_date])
        by_date[local_date].sessions.append(session)
    for day in days:
        first = day.sessions[0].starts_at.astimezone(home).date()
        last = max(last_day_of(s.ends_at.astimezone(home)) for s in day.sessions)
        day.label = zh_span(first, max(first, last))

    def day_label(local_date):
        return by_date[local_date].label if local_date in by_date else zh_date(local_date)

    # Our staff: who attended which session, or which whole day.
    session_attendees, day_attendees, staff = {}, {}, {}
    for attendance in attendances:
        local_date = attendance.session.starts_at.astimezone(zone).date() if attendance.session else attendance.day
        mode = zh_label(Attendance.Mode(attendance.mode))
        if attendance.session_id:
            session_attendees.setdefault(attendance.session_id, {})[attendance.staff_name] = mode
        else:
            day_attendees.setdefault(local_date, {})[attendance.staff_name] = mode
        person = staff.setdefault(
            attendance.staff_name,
            Attendee(name=attendance.staff_name, title=attendance.staff_title, unit=attendance.unit, modes=[], days=[]),
        )
        if mode not in person.modes:
            person.modes.append(mode)
        if local_date not in person.days:
            person.days.append(local_date)
    attendees = list(staff.values())
    for attendee in attendees:
        attendee.days = [day_label(d) for d in sorted(attendee.days)]

    # One block per session.
    for day in days:
        blocks = []
        for number, session in enumerate(day.sessions, start=1):
            speakers = []
            for appearance in session.appearances.all():
                role = zh_label(Appearance.Role(appearance.role))
                person = appearance.person
                if person is not None and person.sensitive:
                    speakers.append(Speaker("", "", role, "", "", protected=True))
                elif person is not None:
                    speakers.append(
                        Speaker(
                            person.full_name,
                            person.name_zh,
                            role,
                            appearance.affiliation_as_printed,
                            organization_label(appearance.organization),
                        )
                    )
                else:
                    organization = appearance.organization
                    speakers.append(
                        Speaker(organization.name, organization.name_zh, role, appearance.affiliation_as_printed, "")
                    )
            names = {**day_attendees.get(day.local_date, {}), **session_attendees.get(session.pk, {})}
            blocks.append(
                SessionBlock(
                    session=session,
                    number=number,
                    kind=zh_label(Session.Kind(session.kind)),
                    starts_home=session.starts_at.astimezone(home),
                    ends_home=session.ends_at.astimezone(home),
                    starts_local=session.starts_at.astimezone(zone),
                    ends_local=session.ends_at.astimezone(zone),
                    speakers=speakers,
                    summary=redact(session.summary),
                    attendees=[f"{name}（{mode}）" for name, mode in sorted(names.items())],
                )
            )
        day.sessions = blocks

    people, organizations = annex(event, sessions, with_contacts=with_contacts)
    local_dates = zh_full_span(event.start_date, event.end_date) if event.start_date and event.end_date else ""
    home_dates = ""
    if sessions:
        first = min(s.starts_at for s in sessions).astimezone(home).date()
        last = max(last_day_of(s.ends_at.astimezone(home)) for s in sessions)
        home_dates = zh_full_span(first, max(first, last))
    return TripReport(
        event=event,
        zone_name=event.time_zone,
        local_dates=local_dates,
        home_dates=home_dates,
        days=days,
        attendees=attendees,
        people=people,
        organizations=organizations,
        with_contacts=with_contacts,
    )


def annex(event, sessions, *, with_contacts):
    """The annex: every speaker once (in order of first appearance) and every organization that appeared."""
    people, organizations, order = {}, {}, []
    for session in sessions:
        for appearance in session.appearances.all():
            role = zh_label(Appearance.Role(appearance.role))
            person = appearance.person
            if person is not None and person.sensitive:
                key = ("protected", appearance.pk)
                people[key] = AnnexPerson(PROTECTED_SPEAKER, "", [role], "", "", [], protected=True)
                order.append(key)
                continue
            if appearance.organization is not None:
                organizations.setdefault(appearance.organization.pk, appearance.organization)
            if person is None:
                continue
            key = ("person", person.pk)
            if key not in people:
                people[key] = AnnexPerson(
                    name=person.full_name,
                    name_zh=person.name_zh,
                    roles=[],
                    organization=organization_label(appearance.organization) or appearance.affiliation_as_printed,
                    country=zh_country(person.country),
                    expertise=[],
                )
                order.append(key)
            label = f"{role}（{session.title_zh or session.title}）"
            if label not in people[key].roles:
                people[key].roles.append(label)
    person_ids = [key[1] for key in order if key[0] == "person"]
    # Expertise shown at this conference only (the evidence is an appearance here); never the notes.
    for link in (
        PersonExpertise.objects.filter(person_id__in=person_ids, appearance__session__event=event)
        .select_related("area")
        .order_by("area__path")
    ):
        labels = people[("person", link.person_id)].expertise
        if link.area.label not in labels:
            labels.append(link.area.label)
    if with_contacts:
        for method in ContactMethod.objects.filter(person_id__in=person_ids).order_by("kind", "-is_primary", "pk"):
            people[("person", method.person_id)].contacts.append(
                f"{zh_label(ContactMethod.Kind(method.kind))}：{method.value}"
            )
    with translation.override("zh-hant"):
        orgs = [
            AnnexOrganization(
                name=str(organization),
                name_zh=organization.name_zh,
                kind=str(organization.get_kind_display()),
                country=zh_country(organization.country),
            )
            for organization in organizations.values()
        ]
    return [people[key] for key in order], orgs


# -- invitation letters ------------------------------------------------------------------------------


def letter_recipients(workshop, *, status, user=None):
    """The candidacies of ``workshop`` in ``status`` that may get a letter, by name.

    Never a do-not-contact or a sensitive person (whoever asks); only people ``user`` may see.
    Current affiliations come prefetched.
    """
    people = Person.objects.visible_to(user) if user is not None else Person.objects.all()
    return (
        Candidacy.objects.filter(workshop=workshop, status=status)
        .filter(person__in=people.filter(do_not_contact=False, sensitive=False))
        .select_related("person", "workshop__organizer")
        .prefetch_related("person__affiliations__organization")
        .order_by("person__full_name", "pk")
    )


def excluded_recipients_count(workshop, *, status, user):
    """How many visible candidacies in ``status`` get no letter because their person is do-not-contact."""
    visible = Person.objects.visible_to(user).filter(sensitive=False)
    return Candidacy.objects.filter(
        workshop=workshop, status=status, person__in=visible, person__do_not_contact=True
    ).count()


def workshop_dates(workshop):
    """(English, Chinese) dates of the workshop, or "to be announced" while it has none."""
    if not workshop.start_date:
        return "to be announced", "另行通知"
    end = workshop.end_date or workshop.start_date
    return en_full_span(workshop.start_date, end), zh_full_span(workshop.start_date, end)


def letter_context(candidacy, *, contact, letter_date):
    """The placeholders of one letter (README.md, "Invitation letters", lists them)."""
    person, workshop = candidacy.person, candidacy.workshop
    affiliation = next(iter(person.current_affiliations()), None)
    organization = affiliation.organization if affiliation else None
    dates_en, dates_zh = workshop_dates(workshop)
    family = person.family_name or person.full_name
    salutation = f"Dear {person.honorific} {family}" if person.honorific else f"Dear {person.full_name}"
    organizer = workshop.organizer
    with translation.override("en"):
        country_en = str(workshop.country.name) if workshop.country else ""
    country_zh = zh_country(workshop.country)
    return {
        "recipient_name": person.full_name,
        "recipient_name_zh": person.name_zh or person.full_name,
        "honorific": person.honorific,
        "salutation": salutation,
        "recipient_title": (affiliation.title or affiliation.title_zh) if affiliation else "",
        "recipient_title_zh": (affiliation.title_zh or affiliation.title) if affiliation else "",
        "organization": organization.name if organization else "",
        "organization_zh": (organization.name_zh or organization.name) if organization else "",
        "workshop_name": workshop.name,
        "workshop_name_zh": workshop.name_zh or workshop.name,
        "theme": workshop.theme or workshop.theme_zh,
        "theme_zh": workshop.theme_zh or workshop.theme,
        "dates": dates_en,
        "dates_zh": dates_zh,
        "venue": ", ".join(part for part in (workshop.venue, workshop.city, country_en) if part) or "to be announced",
        "venue_zh": "，".join(part for part in (workshop.venue, workshop.city, country_zh) if part) or "另行通知",
        "format": en_label(Event.Format(workshop.format)).lower(),
        "format_zh": zh_label(Event.Format(workshop.format)),
        "organizer": organizer.name if organizer else "the organizers",
        "organizer_zh": (organizer.name_zh or organizer.name) if organizer else "主辦單位",
        "contact_name": contact.get("name", ""),
        "contact_title": contact.get("title", ""),
        "contact_email": contact.get("email", ""),
        "contact_phone": contact.get("phone", ""),
        "letter_date": f"{letter_date.day} {letter_date:%B %Y}",
        "letter_date_zh": f"{letter_date.year}年{letter_date.month}月{letter_date.day}日",
    }


# -- calendars ---------------------------------------------------------------------------------------


@dataclass
class CalendarEntry:
    uid: str
    summary: str
    description: str
    location: str
    starts: object  # aware datetime in the event's zone, or a date for a whole day
    ends: object


def calendar_entries(event):
    """The calendar of ``event``: its sessions (times in the event's zone, speakers named, protected
    speakers anonymised) and, for a workshop, its dates as one whole-day entry."""
    zone = event.zone
    appearances = Appearance.objects.select_related("person", "organization").order_by("order", "pk")
    sessions = list(
        event.sessions.order_by("starts_at", "pk").prefetch_related(Prefetch("appearances", queryset=appearances))
    )
    protected = [a.person for s in sessions for a in s.appearances.all() if a.person and a.person.sensitive]
    redact = redactor(protected)
    location = ", ".join(
        part for part in (event.venue, event.city, str(event.country.name) if event.country else "") if part
    )
    entries = []
    if event.is_workshop and event.start_date:
        entries.append(
            CalendarEntry(
                uid=f"{event.uuid}@liaison",
                summary=" / ".join(dict.fromkeys(filter(None, [event.name_zh, event.name]))),
                description="\n".join(filter(None, [event.theme_zh, event.theme])),
                location=location,
                starts=event.start_date,
                ends=(event.end_date or event.start_date) + dt.timedelta(days=1),
            )
        )
    for session in sessions:
        lines = []
        for appearance in session.appearances.all():
            person = appearance.person
            role = f"{zh_label(Appearance.Role(appearance.role))} {en_label(Appearance.Role(appearance.role))}"
            if person is not None and person.sensitive:
                lines.append(f"{PROTECTED_SPEAKER} {PROTECTED_SPEAKER_EN} ({role})")
                continue
            who = person.full_name if person else appearance.organization.name
            zh = person.name_zh if person else appearance.organization.name_zh
            if zh and zh != who:
                who = f"{who}（{zh}）"
            where = appearance.affiliation_as_printed or organization_label(appearance.organization)
            lines.append(f"{who} ({role})" + (f" — {where}" if where and person else ""))
        title = " / ".join(dict.fromkeys(filter(None, [session.title_zh, session.title])))
        description = [
            f"{event.name_zh or event.name}",
            f"{zh_label(Session.Kind(session.kind))} {en_label(Session.Kind(session.kind))}",
        ]
        if lines:
            description += ["", "講者 Speakers:", *lines]
        entries.append(
            CalendarEntry(
                uid=f"{session.uuid}@liaison",
                summary=title,
                description=redact("\n".join(description)),
                location=location,
                starts=session.starts_at.astimezone(zone),
                ends=session.ends_at.astimezone(zone),
            )
        )
    return entries
