"""Personal data in the admin: the access log, erasure records and the retention review (for
administrators), and the person's page with consent stamps, legal hold, access log and erasure.

The logs are read-only from the interface, for everyone (superusers included).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Person
from partners.protection import ProtectedAdminMixin
from privacy.models import AccessLog, ErasureRecord, RetentionReview
from privacy.retention import last_activity, people_due_for_review, retention_years, with_last_activity
from privacy.services import mark_reviewed, record_consent_change

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


class PersonPrivacyAdminMixin:
    """For ``PersonAdmin``: a "Personal data" section (consent stamps, legal hold, retention review,
    the links to the access log and to erasure), consent changes stamped, and the access log inline."""

    privacy_fields = [
        "legal_hold",
        "consent_changed_at",
        "consent_changed_by",
        "retention_reviewed_at",
        "whole_access_log",
        "exports_of_person",
        "erasure",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fields = self.privacy_fields
            if not request.user.has_perm(ERASE_PERMISSION):
                fields = [name for name in fields if name != "erasure"]
            if not request.user.has_perm("partners.view_exportlog"):
                fields = [name for name in fields if name != "exports_of_person"]
            if not (obj.sensitive and request.user.has_perm(VIEW_ACCESS_LOG_PERMISSION)):
                fields = [name for name in fields if name != "whole_access_log"]
            fieldsets.append((_("Personal data"), {"fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "consent_changed_at", "consent_changed_by"]
        readonly += ["retention_reviewed_at", "whole_access_log", "exports_of_person", "erasure"]
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

    @admin.display(description=_("record access log"))
    def whole_access_log(self, obj):
        url = reverse("admin:privacy_accesslog_changelist") + f"?person__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Every look at this person's records"))

    @admin.display(description=_("export log"))
    def exports_of_person(self, obj):
        url = reverse("admin:partners_exportlog_changelist") + f"?person={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Who has exported this person's details"))

    @admin.display(description=_("erasure on request"))
    def erasure(self, obj):
        url = reverse("privacy:erase-person", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Erase this person's data…"))

    def save_model(self, request, obj, form, change):
        if "consent" in form.changed_data:
            record_consent_change(obj, by=request.user)
        super().save_model(request, obj, form, change)


class ReadOnlyAdminMixin:
    """Rows written by Liaison itself: no add, change or delete from the interface."""

    @admin.display(description=_("when (Taipei time)"), ordering="created_at")
    def when(self, obj):
        return local_time(obj.created_at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, ProtectedAdminMixin, admin.ModelAdmin):
    """Who looked at protected people's records, when, what, from where and why (``view_accesslog``)."""

    list_display = ["when", "username", "view", "person_ref", "reason", "protected_shown", "ip_address"]
    list_select_related = []
    list_filter = ["view", "created_at"]
    search_fields = ["username", "reason", "ip_address"]
    fields = ["when", "username", "view", "person_ref", "protected_count", "path", "ip_address", "reason"]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # The person page's "whole log" link: ?person__id__exact=12.
        return lookup == "person__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("protected shown"), ordering="protected_count")
    def protected_shown(self, obj):
        return obj.protected_count or None

    @admin.display(description=_("person"), ordering="person")
    def person_ref(self, obj):
        # By id only: the person may be protected from the reader (or erased, or deleted).
        return f"#{obj.person_id}" if obj.person_id else None


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, ProtectedAdminMixin, admin.ModelAdmin):
    """Each erasure on request: who erased which person (by id), when and why. Kept."""

    list_display = ["when", "person_id_erased", "username", "reason"]
    list_select_related = []
    search_fields = ["username", "reason", "=person_id_erased"]
    fields = ["when", "person_id_erased", "username", "reason", "removed"]
    readonly_fields = fields


@admin.register(RetentionReview)
class RetentionReviewAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    """People with nothing recorded for them in the retention period: keep them another period, or erase."""

    list_display = ["person_link", "country", "created", "last_confirmed", "latest_activity", "erase_link"]
    list_display_links = None
    list_select_related = []
    search_fields = ["full_name", "name_zh"]
    actions = ["keep_for_another_period"]

    def get_queryset(self, request):
        people = RetentionReview.objects.visible_to(request.user)
        return with_last_activity(people_due_for_review(people))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The list only: each person opens on their own page.
        return obj is None and super().has_view_permission(request, obj)

    def has_erase_permission(self, request):
        return request.user.has_perm(ERASE_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        years = retention_years("person")
        extra_context = {
            **(extra_context or {}),
            "title": RetentionReview._meta.verbose_name_plural.capitalize(),
            "subtitle": _("Nothing recorded for these people in %(years)d years: keep them, or erase their data.")
            % {"years": years},
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("person"), ordering="full_name")
    def person_link(self, obj):
        url = reverse("admin:partners_person_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, obj):
        return timezone.localdate(obj.created_at).isoformat()

    @admin.display(description=_("latest appearance, candidacy or interaction"))
    def latest_activity(self, obj):
        latest = last_activity(obj)
        return timezone.localdate(latest).isoformat() if latest else None

    @admin.display(description=_("erasure"))
    def erase_link(self, obj):
        url = reverse("privacy:erase-person", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Erase…"))

    @admin.action(description=_("Keep the selected people for another period"), permissions=["erase"])
    def keep_for_another_period(self, request, queryset):
        count = mark_reviewed(Person.objects.filter(pk__in=queryset.values("pk")), by=request.user)
        message = ngettext(
            "%(count)d person kept for another period.", "%(count)d people kept for another period.", count
        )
        self.message_user(request, message % {"count": count})


# The person's page gains its "Personal data" section and access log here, so that partners/admin.py
# knows nothing of privacy. It builds on the Person admin registered so far (partners', or one an
# app before privacy in INSTALLED_APPS extended, e.g. outreach's timeline), keeping all of it.
RegisteredPersonAdmin = type(admin.site.get_model_admin(Person))
admin.site.unregister(Person)


@admin.register(Person)
class PersonAdmin(PersonPrivacyAdminMixin, RegisteredPersonAdmin):
    pass
