"""The programme import's benchmark file: a frab schedule.json of many sessions and speakers,
a fifth of them stored people (found by the matcher by name), the rest invented."""

import datetime as dt
import json

from devtools.demo.builder import DemoBuilder
from partners.models import Person


def build_programme_file(people, *, sessions, speakers, seed):
    """``(bytes, composition)``: ``sessions`` sessions over three days, ``speakers`` distinct
    speakers (each in one or two sessions), a fifth of them named like stored people."""
    from partners.names import normalize_name

    stored = list(people.order_by("uuid").values_list("full_name", flat=True)[: speakers // 5])
    builder = DemoBuilder(seed=seed + 104729)
    taken = {normalize_name(name) for name in Person.objects.values_list("full_name", flat=True)}
    names = list(stored)
    while len(names) < speakers:
        full_name = builder.person_name("US")[0]
        if normalize_name(full_name) not in taken:
            taken.add(normalize_name(full_name))
            names.append(full_name)
    persons = [{"code": f"SPK{number:05d}", "public_name": name} for number, name in enumerate(names)]
    start = dt.datetime(2031, 5, 6, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    days, per_day = {}, -(-sessions // 3)
    for number in range(sessions):
        day, slot = divmod(number, per_day)
        room = f"Room {slot % 10 + 1}"
        begins = start + dt.timedelta(days=day, minutes=30 * (slot // 10))
        talk = {
            "guid": f"00000000-0000-4000-8000-{number:012d}",
            "code": f"S{number:05d}",
            "date": begins.isoformat(),
            "start": f"{begins:%H:%M}",
            "duration": "00:30",
            "room": room,
            "title": f"Benchmark session {number}",
            "type": "talk",
            "track": f"Track {number % 12}",
            "persons": [persons[(number * 2 + offset) % speakers] for offset in range(2)],
        }
        days.setdefault(day, {"index": day, "date": f"{begins:%Y-%m-%d}", "rooms": {}})["rooms"].setdefault(
            room, []
        ).append(talk)
    schedule = {
        "schedule": {
            "version": "benchmark",
            "conference": {
                "acronym": f"bench{seed}",
                "title": f"Benchmark Conference {seed}",
                "time_zone_name": "America/New_York",
                "days": list(days.values()),
            },
        }
    }
    composition = {"sessions": sessions, "speakers": speakers, "stored_speakers": len(stored)}
    return json.dumps(schedule).encode(), composition
