"""``python manage.py remind``: print each user's due reminders and, where e-mail is configured, send them."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outreach.reminders import reminders_for, users_to_remind


def email_configured():
    """E-mail is sent when an outgoing server (DJANGO_EMAIL_HOST) or a non-SMTP backend is configured."""
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    return not smtp or bool(getattr(settings, "EMAIL_HOST_CONFIGURED", False))


class Command(BaseCommand):
    help = (
        "Print every user's due reminders (invitations unanswered past the workshop's limit, follow-ups due) "
        "and e-mail each user theirs when e-mail is configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true", help="Only print, even when e-mail is configured.")

    def handle(self, *args, no_email=False, **options):
        send = email_configured() and not no_email
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in users_to_remind():
                reminders = reminders_for(user)
                if not reminders:
                    continue
                lines = [f"- {reminder.text}" for reminder in reminders]
                name = user.get_full_name() or user.get_username()
                self.stdout.write(f"{name} ({len(reminders)}):")
                self.stdout.write("\n".join(lines))
                if send and user.email:
                    send_mail(
                        ngettext("Liaison: %(count)d reminder due", "Liaison: %(count)d reminders due", len(reminders))
                        % {"count": len(reminders)},
                        "\n".join(lines),
                        None,
                        [user.email],
                    )
                    sent += 1
        if send:
            self.stdout.write(ngettext("E-mailed %(count)d user.", "E-mailed %(count)d users.", sent) % {"count": sent})
        else:
            self.stdout.write(_("E-mail is not configured (DJANGO_EMAIL_HOST): printed only."))
