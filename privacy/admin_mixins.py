"""What partners' admin pages need from privacy: logged looks at protected people, consent stamps,
the legal hold and the way to erasure. Mixed into ``PersonAdmin`` and ``ContactMethodAdmin``
(partners/admin.py) before ``ProtectedAdminMixin``, so these are their only edits.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partners.models import Person
from privacy.access import guard_person_access, log_bulk_access
from privacy.models import AccessLog
from privacy.services import record_consent_change

ERASE_PERMISSION = "privacy.erase_person"
VIEW_ACCESS_LOG_PERMISSION = "privacy.view_accesslog"


class AccessLogInline(admin.TabularInline):
    """A protected person's own access log on their page, for those who may read the access log."""

    model = AccessLog
    fk_name = "person"
    template = "admin/edit_inline/protected_tabular.html"  # rows without their own title line
    fields = ["when", "username", "view", "ip_address", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("access log entry")
    verbose_name_plural = _("access log of this person (latest 25)")
    shown = 25

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("when (Taipei time)"))
    def when(self, obj):
        return local_time(obj.created_at)


def local_time(instant):
    """An instant as "2026-12-02 18:33" in the site's zone (Asia/Taipei), which the column's label names."""
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M")


class AccessLoggedAdminMixin:
    """Change and history pages of a protected person's rows ask for a reason once a session and are logged.

    ``access_person(request, object_id)`` names the person a page shows, when the user may see
    them (``None`` otherwise: the page then answers 404 as before, and nothing is logged).
    ``access_list_view`` (an ``AccessLog.View``), when set, logs the changelist's protected rows.
    """

    access_page_view = AccessLog.View.PAGE
    access_list_view = None

    def access_person(self, request, object_id):
        raise NotImplementedError

    def guard_access(self, request, object_id, view):
        try:
            person = self.access_person(request, unquote(object_id))
        except (ValidationError, ValueError):
            person = None  # not an id at all: the admin answers 404
        return guard_person_access(request, person, view=view)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.guard_access(request, object_id, self.access_page_view) or super().change_view(
            request, object_id, form_url, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        return self.guard_access(request, object_id, AccessLog.View.HISTORY) or super().history_view(
            request, object_id, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self.guard_access(request, object_id, AccessLog.View.HISTORY) or super().history_form_view(
            request, object_id, version_id, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self.guard_access(request, object_id, self.access_page_view) or super().delete_view(
            request, object_id, extra_context
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if self.access_list_view else None
        if changelist is not None:
            log_bulk_access(request, self.access_list_people(changelist.result_list), view=self.access_list_view)
        return response

    def access_list_people(self, rows):
        """The people a changelist page shows (rows that are people, by default)."""
        return rows


class PersonPrivacyAdminMixin(AccessLoggedAdminMixin):
    """For ``PersonAdmin``: the above, plus a "Personal data" section (consent stamps, legal hold,
    retention review, the link to erasure), consent changes stamped, and the access log inline."""

    access_list_view = AccessLog.View.PERSON_LIST
    privacy_fields = [
        "legal_hold",
        "consent_changed_at",
        "consent_changed_by",
        "retention_reviewed_at",
        "whole_access_log",
        "erasure",
    ]

    def access_person(self, request, object_id):
        pk = Person._meta.pk.to_python(object_id)
        return self.get_queryset(request).filter(pk=pk).only("pk", "sensitive").first()

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fields = self.privacy_fields
            if not request.user.has_perm(ERASE_PERMISSION):
                fields = [name for name in fields if name != "erasure"]
            if not (obj.sensitive and request.user.has_perm(VIEW_ACCESS_LOG_PERMISSION)):
                fields = [name for name in fields if name != "whole_access_log"]
            fieldsets.append((_("Personal data"), {"fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "consent_changed_at", "consent_changed_by"]
        readonly += ["retention_reviewed_at", "whole_access_log", "erasure"]
        if not request.user.has_perm(ERASE_PERMISSION):
            readonly.append("legal_hold")
        return readonly

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AccessLogInline):
            latest = AccessLog.objects.filter(person=obj).order_by("-created_at", "-pk")[: inline.shown]
            kwargs["queryset"] = AccessLog.objects.filter(pk__in=list(latest.values_list("pk", flat=True)))
        return kwargs

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.sensitive and request.user.has_perm(VIEW_ACCESS_LOG_PERMISSION):
            inlines.append(AccessLogInline)
        return inlines

    @admin.display(description=_("access log"))
    def whole_access_log(self, obj):
        url = reverse("admin:privacy_accesslog_changelist") + f"?person__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Every look at this person's records"))

    @admin.display(description=_("erasure on request"))
    def erasure(self, obj):
        url = reverse("privacy:erase-person", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Erase this person's data…"))

    def save_model(self, request, obj, form, change):
        if "consent" in form.changed_data:
            record_consent_change(obj, by=request.user)
        super().save_model(request, obj, form, change)


class ContactMethodPrivacyAdminMixin(AccessLoggedAdminMixin):
    """For ``ContactMethodAdmin``: looking at a protected person's contact detail is logged."""

    access_page_view = AccessLog.View.CONTACTS
    access_list_view = AccessLog.View.CONTACTS

    def access_list_people(self, rows):
        return [row.person for row in rows]  # list_select_related: no query

    def access_person(self, request, object_id):
        pk = self.model._meta.pk.to_python(object_id)
        visible = Person.objects.visible_to(request.user)
        return visible.filter(contact_methods__pk=pk).only("pk", "sensitive").first()
