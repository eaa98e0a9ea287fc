"""Demo interactions: meetings, calls and messages with some demo people, by officers at posts abroad."""

import datetime as dt

from outreach.models import Interaction

POSTS = [
    ("Taipei Economic and Cultural Office in Washington, D.C.", "America/New_York", "Washington, D.C."),
    ("Taipei Representative Office in the UK", "Europe/London", "London"),
    ("Taipei Economic and Cultural Office in Japan", "Asia/Tokyo", "Tokyo"),
    ("Taipei Economic and Cultural Office in Manila", "Asia/Manila", "Manila"),
    ("Taipei Economic and Trade Office, Jakarta", "Asia/Jakarta", "Jakarta"),
    ("Department of International Cooperation, Taipei", "Asia/Taipei", "Taipei"),
]
SUMMARIES = [
    "Introduced the workshop's themes; interested in speaking.",
    "Discussed their unit's victim identification practice.",
    "Asked for their latest report on labour trafficking cases.",
    "Exchanged contacts after the panel; follow up by e-mail.",
    "Courtesy call; they may host a study visit next year.",
]
FOLLOW_UPS = ["Send the draft agenda", "Share the invitation letter", "Ask for a short biography"]
INTERACTIONS_PER_PEOPLE = 25  # one interaction for every 25 demo people


class InteractionBuilder:
    """``DemoBuilder``'s part that writes interactions (one per 25 people), a fifth with a follow-up."""

    def build_interactions(self):
        rng = self.rng
        officers = self.names["zh_TW"]["staff"]
        count = len(self.person_pks) // INTERACTIONS_PER_PEOPLE
        rows = []
        for person_pk in rng.sample(self.person_pks, count):
            unit, zone, city = rng.choice(POSTS)
            day = self.date_between(dt.date(2023, 1, 1), self.today)
            occurred = dt.datetime.combine(day, dt.time(rng.randint(1, 10), 0), dt.UTC)
            follow_up = rng.choice(FOLLOW_UPS) if rng.random() < 0.2 else ""
            due = day + dt.timedelta(days=rng.randint(7, 60)) if follow_up else None
            rows.append(
                Interaction(
                    person_id=person_pk,
                    kind=rng.choice(Interaction.Kind.values),
                    occurred_at=occurred,
                    time_zone=zone,
                    place=city,
                    officer_name=rng.choice(officers),
                    unit=unit,
                    summary=rng.choice(SUMMARIES),
                    follow_up=follow_up,
                    follow_up_due=due,
                    follow_up_done=bool(due and due < self.today and rng.random() < 0.7),
                )
            )
        self.writer.insert(rows)
        self.summary.interactions = len(rows)
