"""Prepare a load run: demo data, static files, 20 logged-in sessions and what the users will ask for.

Run by ``run.sh`` with the same environment as the server (``DATABASE_URL``, ``DJANGO_SECRET_KEY``):
sessions are signed with the secret key. Writes a JSON plan: one session cookie per user, and the
ids and words the users browse with.
"""

import argparse
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from conference.models import Event  # noqa: E402
from devtools.benchmarking.data import migrate_if_needed  # noqa: E402
from devtools.demo.builder import generate_demo_data  # noqa: E402
from devtools.demo.records import analyze, demo_people, real_data_counts  # noqa: E402
from partners.models import ExpertiseArea  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--plan", required=True, help="Where to write the plan (JSON).")
    arguments = parser.parse_args()

    migrate_if_needed()
    if demo_people().count() != arguments.people:
        if any(real_data_counts().values()):
            sys.exit("This database holds real data; give the load run a database of its own.")
        print(f"Generating {arguments.people} demo people …", flush=True)
        generate_demo_data(people=arguments.people, seed=1)
    analyze()
    call_command("collectstatic", interactive=False, verbosity=0)

    User = get_user_model()
    cookies = []
    for number in range(1, arguments.users + 1):
        user, _created = User.objects.get_or_create(
            username=f"load-user-{number:02d}", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    people = demo_people()
    plan = {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": cookies,
        "person_ids": list(people.order_by("uuid").values_list("pk", flat=True)[:2000]),
        "search_words": [
            f"{given} {family}" if index % 3 else family
            for index, (given, family) in enumerate(
                people.exclude(given_name="").order_by("uuid").values_list("given_name", "family_name")[:300]
            )
        ]
        + list(people.exclude(name_zh="").order_by("uuid").values_list("name_zh", flat=True)[:100]),
        "workshop_ids": list(Event.objects.workshops().values_list("pk", flat=True)),
        "area_ids": list(ExpertiseArea.objects.filter(depth__lte=2).values_list("pk", flat=True)),
        "countries": ["US", "TW", "PH", "TH", "VN", "ID", "GB", "JP"],
        "pages": max(1, people.count() // 100),
    }
    Path(arguments.plan).write_text(json.dumps(plan), encoding="utf-8")
    print(f"Plan for {len(cookies)} users written to {arguments.plan}")


if __name__ == "__main__":
    main()
