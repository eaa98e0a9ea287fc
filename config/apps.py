"""App configurations for the admin and django-axes as Liaison uses them (named in INSTALLED_APPS)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class LiaisonAdminConfig(AdminConfig):
    default_site = "config.admin_site.LiaisonAdminSite"


class LoginRecordsConfig(AxesAppConfig):
    """django-axes under a name staff understand (its own has no Chinese)."""

    verbose_name = _("Log-in records")
