"""Create or update the staff roles (groups) from partners/roles.py."""

from django.core.management.base import BaseCommand

from partners.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the role groups (Viewer, Editor, Coordinator, Administrator) and set their permissions."

    def handle(self, *args, **options):
        groups = sync_roles()
        for name in ROLES:
            self.stdout.write(f"{name}: {groups[name].permissions.count()} permissions")
