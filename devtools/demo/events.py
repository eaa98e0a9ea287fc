"""Demo conferences (sessions, speakers' appearances) and our workshops (candidates, decisions)."""

import datetime as dt
import zoneinfo

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from devtools.demo.vocabulary import CITIES, CONFERENCES, REASONS, SESSION_KINDS, STATUSES


class EventBuilder:
    """``DemoBuilder``'s part that writes conferences and workshops."""

    def build_conferences(self, count):
        rng = self.rng
        events, sessions_by_event = [], []
        for _ in range(count):
            city, city_zh, country, zone = rng.choice(CITIES)
            year = rng.randint(2015, 2025)
            start = self.date_between(dt.date(year, 1, 10), dt.date(year, 12, 10))
            days = rng.randint(1, 3)
            name, name_zh = rng.choice(CONFERENCES)
            branch = rng.randrange(len(self.roots))
            themes = self.pick_areas(branch, rng.randint(1, 3))
            event = Event(
                uuid=self.new_uuid(),
                kind=Event.Kind.CONFERENCE,
                name=f"{year} {name.format(city=city)}",
                name_zh=f"{year}年{name_zh.format(city_zh=city_zh)}",
                organizer=self.organizations[rng.randrange(len(self.organizations))],
                start_date=start,
                end_date=start + dt.timedelta(days=days - 1),
                time_zone=zone,
                venue=f"{city} Convention Center",
                city=city,
                country=country,
                format=rng.choice(list(Event.Format)),
                theme=self.areas[themes[0]].name,
                theme_zh=self.areas[themes[0]].name_zh,
                description=self.mark,
            )
            events.append((event, branch, themes))
        self.writer.insert([event for event, _, _ in events])
        theme_links, sessions = [], []
        for event, branch, themes in events:
            for position in themes:
                theme_links.append(Event.themes.through(event_id=event.pk, expertisearea_id=self.areas[position].pk))
            total = rng.randint(6, 20)
            days = (event.end_date - event.start_date).days + 1
            per_day = -(-total // days)
            zone = zoneinfo.ZoneInfo(event.time_zone)
            for index in range(total):
                day = event.start_date + dt.timedelta(days=index // per_day)
                slot = index % per_day
                starts = dt.datetime.combine(day, dt.time(9, 0), zone) + dt.timedelta(minutes=100 * slot)
                topics = self.pick_areas(branch, rng.randint(1, 3))
                topic = self.areas[topics[0]]
                if index == 0:
                    kind, label, label_zh = Session.Kind.WELCOME, "Welcome and opening remarks", "開幕致詞"
                    title, title_zh = label, label_zh
                elif index < 3:
                    kind, label, label_zh = Session.Kind.KEYNOTE, "Keynote", "專題演講"
                    title, title_zh = f"{label}: {topic.name}", f"{label_zh}：{topic.name_zh}"
                else:
                    kind, label, label_zh = rng.choice(SESSION_KINDS)
                    title, title_zh = f"{label}: {topic.name}", f"{label_zh}：{topic.name_zh}"
                session = Session(
                    uuid=self.new_uuid(),
                    event=event,
                    kind=kind,
                    title=title[:300],
                    title_zh=title_zh[:300],
                    starts_at=starts.astimezone(dt.UTC),
                    ends_at=(starts + dt.timedelta(minutes=rng.choice([60, 75, 90]))).astimezone(dt.UTC),
                    summary=f"Speakers discussed {topic.name.lower()}.",
                    participant_count=rng.choice([None, rng.randint(20, 900)]),
                )
                sessions.append((session, branch, topics))
            sessions_by_event.append(event)
        self.writer.insert(theme_links)
        self.writer.insert([session for session, _, _ in sessions])
        topic_links, organization_appearances, attendance = [], [], []
        self.sessions_by_branch = {index: [] for index in range(len(self.roots))}
        for session, branch, topics in sessions:
            for position in topics:
                area_pk = self.areas[position].pk
                topic_links.append(Session.topics.through(session_id=session.pk, expertisearea_id=area_pk))
            self.sessions_by_branch[branch].append((session, topics))
            if rng.random() < 0.03:
                organization_appearances.append(
                    Appearance(
                        uuid=self.new_uuid(),
                        session=session,
                        organization=self.organizations[rng.randrange(len(self.organizations))],
                        role=Appearance.Role.PRESENTER,
                    )
                )
        staff = self.names["zh_TW"]["staff"]
        for event in sessions_by_event:
            if rng.random() < 0.2:
                for name in rng.sample(staff, 2):
                    attendance.append(
                        Attendance(
                            uuid=self.new_uuid(),
                            event=event,
                            day=event.start_date,
                            staff_name=name,
                            unit="Immigration Affairs Division",
                            mode=rng.choice(list(Attendance.Mode)),
                        )
                    )
        self.writer.insert(topic_links)
        self.writer.insert(organization_appearances)
        self.writer.insert(attendance)
        self.summary.events = len(events)
        self.summary.sessions = len(sessions)
        self.summary.appearances = len(organization_appearances)

    def build_workshops(self, count):
        """Our own workshops in Taipei, each with three themes and candidates whose expertise fits."""
        rng = self.rng
        organizers = [o for o in self.organizations if o.country == "TW" and o.kind == "government"]
        workshops, candidacies = [], []
        staff = self.names["zh_TW"]["staff"]
        for number in range(count):
            branch = rng.randrange(len(self.roots))
            root = self.roots[branch]
            candidates = [p for p in self.branch_areas[branch] if self.areas[p].depth == 2] or self.branch_areas[branch]
            themes = rng.sample(candidates, min(3, len(candidates)))
            while len(themes) < 3:
                extra = rng.choice(self.branch_areas[rng.randrange(len(self.roots))])
                if extra not in themes:
                    themes.append(extra)
            year = 2023 + number % 4
            start = self.date_between(dt.date(year, 3, 1), dt.date(year, 11, 1))
            workshop = Event(
                uuid=self.new_uuid(),
                kind=Event.Kind.WORKSHOP,
                name=f"{year} International Workshop on {root.name} ({number + 1})",
                name_zh=f"{year}年{root.name_zh or root.name}國際工作坊（{number + 1}）",
                organizer=rng.choice(organizers) if organizers else None,
                start_date=start,
                end_date=start + dt.timedelta(days=1),
                time_zone="Asia/Taipei",
                venue="Taipei International Convention Center",
                city="Taipei",
                country="TW",
                format=Event.Format.HYBRID,
                theme=root.name,
                theme_zh=root.name_zh,
                description=self.mark,
            )
            workshops.append((workshop, themes))
        self.writer.insert([w for w, _ in workshops])
        links = []
        for workshop, themes in workshops:
            pool = set()
            for theme in themes:
                links.append(Event.themes.through(event_id=workshop.pk, expertisearea_id=self.areas[theme].pk))
                prefix = self.areas[theme].path
                for position in self.branch_areas[self.branch_of[theme]]:
                    if self.areas[position].path.startswith(prefix):
                        pool.update(self.people_by_area.get(position, ()))
            for person_index in rng.sample(sorted(pool), min(len(pool), rng.randint(20, 80))):
                suitability = self.weighted(
                    [("not_assessed", 40), ("suitable", 25), ("possible", 20), ("not_suitable", 15)]
                )
                decided = suitability != "not_assessed"
                decided_on = workshop.start_date - dt.timedelta(days=rng.randint(20, 120))
                candidacies.append(
                    Candidacy(
                        uuid=self.new_uuid(),
                        workshop=workshop,
                        person_id=self.person_pks[person_index],
                        suitability=suitability,
                        reason=REASONS[suitability],
                        status=rng.choice(STATUSES[suitability]),
                        decided_by_name=rng.choice(staff) if decided else "",
                        decided_at=dt.datetime.combine(decided_on, dt.time(2, 0), dt.UTC) if decided else None,
                    )
                )
        self.writer.insert(links)
        self.writer.insert(candidacies)
        self.summary.workshops = len(workshops)
        self.summary.candidacies = len(candidacies)
