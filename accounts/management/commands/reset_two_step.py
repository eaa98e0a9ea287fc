"""Reset an account's two-step sign-in from the command line (the last superuser lost their phone)."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.two_step import reset_two_step


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator and backup codes; its next sign-in sets up new ones. "
        "Written to the account's history in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No account named “{username}”.") from None
        removed = reset_two_step(user)
        # The admin log needs an acting account: the command's run is recorded on the account itself.
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["two-step sign-in (reset from the command line)"]}}],
            single_object=True,
        )
        self.stdout.write(f"Two-step sign-in of “{username}” reset ({removed} devices removed); "
                          "the next sign-in sets it up again.")
