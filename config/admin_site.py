"""Liaison's admin site: the index and sidebar in the order of the work, with the staff pages on them.

The index and the sidebar both come from ``get_app_list``: first the staff pages each user
may open (the candidate finder, the printable contact sheet), then people and
organizations, conferences and workshops, then accounts and, for administrators (who
alone hold its permissions), the log-in records.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

STAFF_PAGES_LABEL = "staff_pages"
# The order of the work; apps and models not named here follow, by name.
APP_ORDER = [STAFF_PAGES_LABEL, "partners", "conference", "outreach", "documents", "privacy", "auth", "axes"]
MODEL_ORDER = [
    "Person",
    "Organization",
    "Affiliation",
    "ContactMethod",
    "PersonExpertise",
    "ExpertiseArea",
    "Language",
    "ExportLog",
    "Event",
    "Session",
    "Appearance",
    "Attendance",
    "Candidacy",
    "User",
    "Group",
]


def staff_pages(request):
    """The staff pages ``request.user`` may open, as (name, url, object name), in the order of the work.

    The same permissions as the views ask: the finder ``partners.view_person``, the
    contact sheet ``partners.export_person`` (both for staff only); every staff member's own
    background jobs.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return []
    pages = []
    if user.has_perm("partners.view_person"):
        pages.append((_("Candidate finder"), reverse("candidates"), "CandidateFinder"))
    if user.has_perm("partners.export_person"):
        pages.append((_("Printable contact sheet"), reverse("contact-sheet"), "ContactSheet"))
    # Large imports and exports run as background jobs; each user sees their own.
    pages.append((_("My background jobs"), reverse("jobs:list"), "BackgroundJobs"))
    return pages


def ordered(items, order, key):
    position = {name: index for index, name in enumerate(order)}
    return sorted(items, key=lambda item: (position.get(key(item), len(order)), str(item["name"])))


class LiaisonAdminSite(admin.AdminSite):
    # "/" only leads back to the admin: no "View site" link in the header.
    site_url = None

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"] = ordered(app["models"], MODEL_ORDER, lambda model: model["object_name"])
        pages = staff_pages(request)
        if app_label is None and pages:
            app_list.append(
                {
                    "name": _("Find and export"),
                    "app_label": STAFF_PAGES_LABEL,
                    "app_url": pages[0][1],
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": name,
                            "object_name": object_name,
                            "perms": {"view": True},
                            "admin_url": url,
                            "add_url": None,
                            "view_only": True,  # "View", not "Change": these pages open, they edit nothing
                        }
                        for name, url, object_name in pages
                    ],
                }
            )
        return ordered(app_list, APP_ORDER, lambda app: app["app_label"])

    def each_context(self, request):
        context = super().each_context(request)
        context["staff_pages"] = staff_pages(request)
        return context
