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
