from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Liaison — partners and speakers")
admin.site.site_title = _("Liaison")
admin.site.index_title = _("Partners, conferences and workshops")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("candidates/", include("conference.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("partners.urls")),
]
