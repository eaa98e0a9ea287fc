"""Natural keys: records addressed by a UUID that stays the same across databases (fixtures, imports)."""

from django.db import models


class UUIDNaturalKeyManager(models.Manager):
    """Fixtures refer to rows by a stable UUID, so they load on any database."""

    def get_by_natural_key(self, key):
        return self.get(uuid=key)


class UUIDNaturalKeyMixin:
    def natural_key(self):
        return (str(self.uuid),)
