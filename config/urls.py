from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from partners.protection import view_on_site

admin.site.site_header = _("Liaison — partners and speakers")
admin.site.site_title = _("Liaison")
admin.site.index_title = _("Partners, conferences and workshops")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: one answer for a protected row and a missing one (partners/protection.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view-on-site",
    ),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("candidates/", include("conference.urls")),
    path("", include("outreach.urls")),
    path("documents/", include("documents.urls")),
    path("personal-data/", include("privacy.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("contact_sheets.urls")),
]
