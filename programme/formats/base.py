"""What every programme format reads into: a ``Programme`` of sessions and their speakers.

A format reader turns bytes into a ``Programme``; instants are aware datetimes exactly as the
file states them. A reader records a problem as a ``ProgrammeError`` naming where it is (row and
column, or the JSON/XML path) and goes on, so the preview lists every problem at once.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

from django.utils.translation import gettext

from importing.files import MAX_FILE_BYTES, MAX_ROWS, ImportFileError

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "ImportFileError"]

# A programme with more sessions or appearances than a contact sheet may have rows is refused.
MAX_ENTRIES = MAX_ROWS


@dataclass
class ProgrammeError:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class SpeakerEntry:
    """One appearance in a session: a person (and/or an organization) with a role."""

    where: str
    key: str = ""
    name: str = ""
    name_zh: str = ""
    organization: str = ""
    parent_organization: str = ""
    title: str = ""
    role: str = "speaker"
    email: str = ""
    bio: str = ""

    @property
    def identity(self):
        """The same speaker across the sessions of one file: the file's id, else the names."""
        if self.key:
            return ("key", self.key)
        if self.name or self.name_zh:
            return ("name", self.name.strip().casefold(), self.name_zh.strip())
        return ("organization", self.organization.strip().casefold())


@dataclass
class SessionEntry:
    where: str
    key: str = ""
    title: str = ""
    title_zh: str = ""
    kind: str = "other"
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    summary: str = ""
    topics: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    # The instant came as a wall time without offset: it is read in the zone the import is told.
    naive_start: dt.datetime | None = None
    naive_end: dt.datetime | None = None


@dataclass
class Programme:
    format: str
    event_name: str = ""
    event_name_zh: str = ""
    event_key: str = ""
    city: str = ""
    country: str = ""
    venue: str = ""
    website: str = ""
    time_zone: str = ""  # the zone the file declares, if it does
    sessions: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def error(self, where, message):
        self.errors.append(ProgrammeError(where, str(message)))

    @property
    def needs_time_zone(self):
        return any(session.naive_start is not None for session in self.sessions)


SESSION_KINDS = {
    "welcome": "welcome",
    "opening": "welcome",
    "keynote": "keynote",
    "breakout": "breakout",
    "breakout session": "breakout",
    "talk": "breakout",
    "lecture": "breakout",
    "session": "breakout",
    "panel": "panel",
    "round table": "round_table",
    "roundtable": "round_table",
    "round_table": "round_table",
    "workshop": "workshop",
    "plenary": "plenary",
    "other": "other",
    "致歡迎詞": "welcome",
    "歡迎詞": "welcome",
    "開幕": "welcome",
    "主題演講": "keynote",
    "專題演講": "keynote",
    "分組研討": "breakout",
    "座談": "panel",
    "圓桌會議": "round_table",
    "圓桌論壇": "round_table",
    "工作坊": "workshop",
    "全體會議": "plenary",
    "其他": "other",
}

ROLES = {
    "speaker": "speaker",
    "moderator": "moderator",
    "chair": "moderator",
    "facilitator": "moderator",
    "panelist": "panelist",
    "panellist": "panelist",
    "presenter": "presenter",
    "survivor speaker": "survivor_speaker",
    "survivor_speaker": "survivor_speaker",
    "講者": "speaker",
    "主講人": "speaker",
    "主持人": "moderator",
    "與談人": "panelist",
    "報告人": "presenter",
    "倖存者講者": "survivor_speaker",
}


def session_kind(text, *, default="other"):
    """The ``Session.Kind`` of a kind or type as files name it; ``None`` for an unknown non-blank name."""
    text = " ".join(str(text or "").split()).casefold()
    if not text:
        return default
    return SESSION_KINDS.get(text) or SESSION_KINDS.get(text.replace("-", " "))


def appearance_role(text):
    """The ``Appearance.Role`` of a role as files name it; ``None`` for an unknown non-blank name."""
    text = " ".join(str(text or "").split()).casefold()
    if not text:
        return "speaker"
    return ROLES.get(text) or ROLES.get(text.replace("-", " "))


def known_zone(name):
    """The ``ZoneInfo`` of an IANA name, or ``None``."""
    try:
        return zoneinfo.ZoneInfo(str(name).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def parse_instant(text):
    """An ISO 8601 date and time: aware when it carries an offset, naive otherwise. ``ValueError`` if impossible."""
    text = str(text).strip()
    if not text:
        raise ValueError(gettext("no date and time"))
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)


DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_duration(text):
    """A frab duration, "HH:MM" or "D:HH:MM"; ``ValueError`` otherwise."""
    text = str(text).strip()
    found = DURATION.match(text)
    if not found:
        raise ValueError(gettext("“%(value)s” is not a duration (HH:MM)") % {"value": text})
    days, hours, minutes, seconds = found.groups()
    if int(minutes) > 59:
        raise ValueError(gettext("“%(value)s” is not a duration (HH:MM)") % {"value": text})
    return dt.timedelta(days=int(days or 0), hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))


def check_offset(programme, session, instant):
    """Note where an instant's offset disagrees with the zone the file declares: the offset's instant is kept."""
    zone = known_zone(programme.time_zone) if programme.time_zone else None
    if zone is None or instant is None or instant.tzinfo is None:
        return
    if instant.utcoffset() == dt.timedelta(0):
        return  # an instant in UTC ("Z") states no local time to disagree with
    if instant.utcoffset() != instant.astimezone(zone).utcoffset():
        programme.notes.append(
            gettext(
                "%(where)s: the time %(time)s has the offset %(offset)s, but the file's time zone "
                "%(zone)s had %(zone_offset)s then; the instant the offset states is kept."
            )
            % {
                "where": session.where,
                "time": instant.isoformat(),
                "offset": instant.strftime("%z"),
                "zone": programme.time_zone,
                "zone_offset": instant.astimezone(zone).strftime("%z"),
            }
        )


def set_times(programme, session, start, end):
    """Give ``session`` its start and end: aware as stated, or kept naive until the zone is known."""
    if start.tzinfo is None:
        session.naive_start = start
        session.naive_end = end
        zone = known_zone(programme.time_zone) if programme.time_zone else None
        if zone is not None:
            session.starts_at, session.ends_at = start.replace(tzinfo=zone), end.replace(tzinfo=zone)
            session.naive_start = session.naive_end = None
    else:
        session.starts_at, session.ends_at = start, end
        check_offset(programme, session, start)
    if end <= start:
        programme.error(session.where, gettext("the session ends before it starts"))


def apply_time_zone(programme, zone_name):
    """Read the naive wall times of ``programme`` in ``zone_name``; return whether it could."""
    zone = known_zone(zone_name) if zone_name else None
    if zone is None:
        return False
    for session in programme.sessions:
        if session.naive_start is not None:
            session.starts_at = session.naive_start.replace(tzinfo=zone)
            session.ends_at = session.naive_end.replace(tzinfo=zone)
            session.naive_start = session.naive_end = None
    return True


def text(value):
    """A scalar from a parsed file as stripped text ("" for null); anything else is not text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""
