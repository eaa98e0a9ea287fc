"""Make sure a local administrator exists; print its password the first time only."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.local_files import write_private

TWO_STEP_HELP = (
    "Two-step sign-in: after the password, Liaison asks for a code from an authenticator app\n"
    "(Google Authenticator, Microsoft Authenticator, FreeOTP, ...). At the first log-in it shows a\n"
    "QR code to scan with the app, then 10 backup codes: keep them apart from your phone.\n"
    "Lost phone and codes: python manage.py reset_two_step USERNAME"
)


class Command(BaseCommand):
    help = "Create a local superuser with a generated password if none exists, and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        User = get_user_model()
        login_file = settings.BASE_DIR / ".local-login"
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write(
                "A local administrator already exists. "
                f"Its password was printed when it was created and kept in {login_file.name} (readable by you only)."
            )
            self.stdout.write(TWO_STEP_HELP)
            return
        password = secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email="", password=password)
        write_private(login_file, f"username: {username}\npassword: {password}\n")
        self.stdout.write(self.style.SUCCESS("Created a local administrator for http://127.0.0.1:8000/admin/"))
        self.stdout.write(f"  username: {username}\n  password: {password}")
        self.stdout.write(f"(kept in {login_file.name}; change it in the admin after logging in)")
        self.stdout.write(TWO_STEP_HELP)
