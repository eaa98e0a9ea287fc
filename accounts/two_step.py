"""Two-step sign-in (django-otp): who needs it, enrolling an authenticator app, backup codes, reset.

A second step is asked of every account that may take personal data out or see protected
people — ``partners.export_person`` (every role has it), ``partners.view_sensitive_person`` or
superuser status — and of anyone who set one up although not required. ``LIAISON_REQUIRE_OTP``
(on by default) makes it required; devices that were set up are honoured either way.
"""

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.roles import SENSITIVE_PERMISSION

EXPORT_PERMISSION = "partners.export_person"
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def two_step_required(user):
    """Whether ``user``'s rights make a second step compulsory (export, protected people, superuser)."""
    if not getattr(settings, "LIAISON_REQUIRE_OTP", True):
        return False
    return user.is_superuser or user.has_perm(EXPORT_PERMISSION) or user.has_perm(SENSITIVE_PERMISSION)


def needs_second_step(user):
    """Whether a signed-in ``user`` must pass the second step before using Liaison."""
    return two_step_required(user) or user_has_device(user, confirmed=True)


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user):
    """The authenticator being set up (unconfirmed), created on first use: its key stays the same
    until it is confirmed, so reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def restart_enrolment(user):
    """Forget any half-set-up authenticator and start a new one (a new key)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return pending_authenticator(user)


@transaction.atomic
def confirm_authenticator(device, *, token):
    """Confirm ``device`` when ``token`` is its current code: it replaces the user's earlier
    authenticator and comes with a new set of backup codes. Returns the backup codes (to show
    once), or None when the code is wrong (nothing changes then)."""
    if not device.verify_token(normalized_token(token)):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return replace_backup_codes(device.user)


@transaction.atomic
def replace_backup_codes(user):
    """A new set of single-use backup codes for ``user`` (the old ones stop working); returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_second_step(user, *, token):
    """The device that accepts ``token`` (the app's current code or an unused backup code, which
    is then spent), or None. django-otp throttles each device after failures."""
    from django_otp import match_token

    return match_token(user, normalized_token(token))


def wait_before_next_code(user):
    """Seconds ``user`` must wait before a code is checked again (django-otp doubles the wait
    after each wrong code: 1, 2, 4 … seconds), or 0. A code sent earlier is refused unchecked."""
    import math

    from django.utils import timezone
    from django_otp import devices_for_user

    waits = [0.0]
    for device in devices_for_user(user):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append((data["locked_until"] - timezone.now()).total_seconds())
    return math.ceil(max(waits))


def normalized_token(token):
    """Codes as people type them: spaces and hyphens dropped, backup codes in any case."""
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def reset_two_step(user):
    """Remove ``user``'s authenticator and backup codes (recovery when a phone is lost): their
    sessions lose the second step, and their next sign-in sets up a new one. Returns how many
    devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    return removed
