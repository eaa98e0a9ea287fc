import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


@pytest.fixture
def make_user(db):
    """A staff user holding the given permissions ("app_label.codename")."""

    def make(username, *perms, **fields):
        user = UserFactory(username=username, **fields)
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    return make


@pytest.fixture
def role_user(db):
    """A staff user in one role of partners/roles.py ("Viewer", "Editor", "Coordinator",
    "Administrator"), with sensitive access (``partners.view_sensitive_person``) when asked."""
    from django.contrib.auth.models import Group

    from partners.roles import SENSITIVE_PERMISSION, sync_roles

    def make(role, *, username=None, sensitive=False):
        # The roles migration made the groups; a flushing (transactional) test may have removed them.
        group = Group.objects.filter(name=role).first() or sync_roles()[role]
        user = UserFactory(username=username or f"{role.lower()}{'-sensitive' if sensitive else ''}")
        user.groups.add(group)
        if sensitive:
            app_label, codename = SENSITIVE_PERMISSION.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    return make


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code run outside a request speaks English in tests; requests still pick their language
    (LocaleMiddleware: cookie, Accept-Language, else Traditional Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def second_step_passed_on_force_login(request, monkeypatch):
    """``client.force_login()`` / ``client.login()`` sign in as a person who also passed the second
    step (accounts/two_step.py) with an authenticator of their own — the requirement stays on, so
    the suite checks pages as a fully signed-in user sees them. Tests marked ``real_two_step``
    sign in without it and go through the second step themselves."""
    if request.node.get_closest_marker("real_two_step"):
        return
    from django.test.client import ClientMixin

    original_login = ClientMixin._login

    def login_with_second_step(client, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        original_login(client, user, backend)
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="Test authenticator", defaults={"confirmed": True}
        )
        # What django_otp.login() stores once a code was accepted.
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_step)
