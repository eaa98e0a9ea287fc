from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from conference import views
from conference.forms import CandidacyAdminForm
from conference.models import Appearance, Attendance, Candidacy, Event, Session
from conference.selectors import candidacy_decisions, workshop_shortlist
from conference.services import StatusStepRefused, change_candidacies_status, save_candidacy
from partners.admin import PersonAdmin
from partners.admin_additions import AdminAdditionsMixin
from partners.filters import CountryDropdownFilter, DropdownFilterMixin, ExpertiseListFilter, RelatedDropdownFilter
from partners.history import ReadableHistoryAdminMixin
from partners.locking import VersionedAdminMixin
from partners.models import Person
from partners.protection import (
    PROTECTED_LABEL,
    ProtectedAdminMixin,
    ProtectedFormFieldsMixin,
    protect_choices_of,
    with_visible_people,
    without_visible_people,
)


def format_in_zone(value, zone):
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M %Z") if value else ""


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["kind", "title", "title_zh", "starts_at", "ends_at", "local_times"]
    readonly_fields = ["local_times"]
    show_change_link = True
    extra = 0

    @admin.display(description=_("in the event's time zone"))
    def local_times(self, obj):
        if not obj.pk:
            return ""
        zone = obj.event.zone
        return f"{format_in_zone(obj.starts_at, zone)} – {format_in_zone(obj.ends_at, zone)}"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["staff_name", "staff_title", "unit", "session", "day", "mode"]
    autocomplete_fields = ["session"]
    extra = 0


class CandidacyInline(ProtectedFormFieldsMixin, admin.TabularInline):
    model = Candidacy
    fk_name = "workshop"
    fields = ["person", "suitability", "reason", "status", "decided_by_name", "decided_at"]
    # Decisions are made on the candidacy's page or from the finder, where the status steps are enforced.
    readonly_fields = ["suitability", "reason", "status", "decided_by_name", "decided_at"]
    autocomplete_fields = ["person"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible).select_related("person")


@admin.register(Event)
class EventAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "name_zh", "kind", "start_date", "end_date", "city", "country", "format", "organizer"]
    list_select_related = ["organizer"]
    list_filter = ["kind", "format", ("country", CountryDropdownFilter), ("themes", ExpertiseListFilter)]
    search_fields = ["name", "name_zh", "theme", "theme_zh", "city", "venue", "organizer__name", "organizer__name_zh"]
    autocomplete_fields = ["organizer", "themes"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "name_zh", "organizer", "website"]}),
        (
            _("When and where"),
            {"fields": ["start_date", "end_date", "time_zone", "venue", "city", "country", "format"]},
        ),
        (_("Theme"), {"fields": ["theme", "theme_zh", "themes", "description"]}),
    ]
    inlines = [SessionInline, AttendanceInline, CandidacyInline]
    date_hierarchy = "start_date"

    def get_inlines(self, request, obj):
        if obj is not None and obj.is_workshop:
            return [SessionInline, CandidacyInline]
        return [SessionInline, AttendanceInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_workshop:
            context["shortlist"] = workshop_shortlist(obj, user=request.user)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Candidacy:
            return super().save_formset(request, form, formset, change)
        for candidacy in formset.save(commit=False):
            save_candidacy(candidacy, by=request.user)
        for candidacy in formset.deleted_objects:
            candidacy.delete()


class AppearanceInline(ProtectedFormFieldsMixin, admin.TabularInline):
    model = Appearance
    fields = ["person", "organization", "role", "affiliation_as_printed", "order"]
    autocomplete_fields = ["person", "organization"]
    extra = 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("person", "organization")
        return with_visible_people(queryset, request.user)


class ProtectedAppearanceInline(admin.TabularInline):
    """A session's speakers whose identity the user may not see: their role only, as "protected speaker"."""

    model = Appearance
    fields = ["protected_speaker", "role", "order"]
    readonly_fields = fields
    template = "admin/edit_inline/protected_tabular.html"
    extra = 0
    can_delete = False
    verbose_name = _("protected speaker")
    verbose_name_plural = _("protected speakers")

    def get_queryset(self, request):
        return without_visible_people(super().get_queryset(request), request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is None or not super().has_view_permission(request, obj):
            return super().has_view_permission(request, obj)
        # Shown only where there is someone to hide.
        return self.get_queryset(request).filter(session=obj).exists()

    @admin.display(description=_("person"))
    def protected_speaker(self, obj):
        return capfirst(PROTECTED_LABEL)


@admin.register(Session)
class SessionAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "title_zh", "event", "kind", "starts_local", "starts_taipei", "ends_taipei"]
    list_select_related = ["event"]
    list_filter = [("event", RelatedDropdownFilter), "kind", ("topics", ExpertiseListFilter)]
    search_fields = ["title", "title_zh", "summary", "event__name", "event__name_zh"]
    autocomplete_fields = ["event", "topics"]
    fieldsets = [
        (None, {"fields": ["event", "kind", "title", "title_zh"]}),
        (
            _("Time"),
            {
                "fields": ["starts_at", "ends_at", "times_local", "times_taipei"],
                "description": _("Times are entered in Taipei time; the event's own time zone is shown below."),
            },
        ),
        (_("Content"), {"fields": ["summary", "topics", "participant_count"]}),
    ]
    readonly_fields = ["times_local", "times_taipei"]
    inlines = [AppearanceInline, ProtectedAppearanceInline]

    @admin.display(description=_("starts (event's time zone)"), ordering="starts_at")
    def starts_local(self, obj):
        return format_in_zone(obj.starts_at, obj.event.zone)

    @admin.display(description=_("starts (Taipei time)"), ordering="starts_at")
    def starts_taipei(self, obj):
        return format_in_zone(obj.starts_at, timezone.get_default_timezone())

    @admin.display(description=_("ends (Taipei time)"), ordering="ends_at")
    def ends_taipei(self, obj):
        return format_in_zone(obj.ends_at, timezone.get_default_timezone())

    @admin.display(description=_("in the event's time zone"))
    def times_local(self, obj):
        if not obj.pk:
            return ""
        zone = obj.event.zone
        return f"{format_in_zone(obj.starts_at, zone)} – {format_in_zone(obj.ends_at, zone)}"

    @admin.display(description=_("in Taipei time"))
    def times_taipei(self, obj):
        if not obj.pk:
            return ""
        zone = timezone.get_default_timezone()
        return f"{format_in_zone(obj.starts_at, zone)} – {format_in_zone(obj.ends_at, zone)}"


@admin.register(Appearance)
class AppearanceAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    list_display = ["speaker", "organization", "role", "session", "session_event"]
    list_select_related = ["person", "organization", "session__event"]
    list_filter = ["role", ("session__event", RelatedDropdownFilter)]
    search_fields = [
        "person__full_name",
        "person__name_zh",
        "organization__name",
        "organization__name_zh",
        "organization__acronym",
        "session__title",
        "session__title_zh",
    ]
    autocomplete_fields = ["session", "person", "organization"]

    def get_queryset(self, request):
        return with_visible_people(super().get_queryset(request), request.user)

    @admin.display(description=_("person"), ordering="person__full_name")
    def speaker(self, obj):
        return obj.person or ""

    @admin.display(description=_("event"))
    def session_event(self, obj):
        return obj.session.event


@admin.register(Attendance)
class AttendanceAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    list_display = ["staff_name", "staff_title", "event", "session", "day", "mode"]
    list_select_related = ["event", "session"]
    list_filter = [("event", RelatedDropdownFilter), "mode"]
    search_fields = ["staff_name", "unit", "event__name", "event__name_zh"]
    autocomplete_fields = ["event", "session", "user"]


@admin.register(Candidacy)
class CandidacyAdmin(
    AdminAdditionsMixin, ProtectedAdminMixin, VersionedAdminMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin
):
    list_display = ["person", "workshop", "suitability", "status", "decided_by_display", "decided_at"]
    list_select_related = ["person", "workshop", "decided_by"]
    list_filter = [("workshop", RelatedDropdownFilter), "suitability", "status"]
    search_fields = ["person__full_name", "person__name_zh", "reason", "workshop__name", "workshop__name_zh"]
    autocomplete_fields = ["workshop", "person"]
    form = CandidacyAdminForm
    fieldsets = [
        (None, {"fields": ["workshop", "person"]}),
        (_("Assessment"), {"fields": ["suitability", "reason", "status"]}),
        (_("Decision"), {"fields": ["decided_by", "decided_by_name", "decided_at", "decision_history"]}),
    ]
    readonly_fields = ["decided_by", "decided_by_name", "decided_at", "decision_history"]
    actions = [
        "assess_selected",
        "mark_shortlisted",
        "mark_invited",
        "mark_confirmed",
        "mark_declined",
        "mark_withdrawn",
    ]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)

    def get_readonly_fields(self, request, obj=None):
        if self.has_assess_permission(request):
            return self.readonly_fields
        return ["suitability", "reason", "status", *self.readonly_fields]

    def has_assess_permission(self, request):
        return request.user.has_perm("conference.assess_candidacy")

    def save_model(self, request, obj, form, change):
        # The form and its inlines are valid: claim the next version of a changed candidacy, then save.
        self.claim_loaded_version(obj, form, change)
        save_candidacy(obj, by=request.user, version_claimed=change)

    @admin.display(description=_("decided by"))
    def decided_by_display(self, obj):
        return obj.decided_by or obj.decided_by_name

    @admin.display(description=_("decision history"))
    def decision_history(self, obj):
        return render_to_string(
            "admin/conference/candidacy/decision_history.html", {"decisions": candidacy_decisions(obj)}
        )

    @admin.action(description=_("Assess the selected people for a workshop"), permissions=["assess"])
    def assess_selected(self, request, queryset):
        return views.assess_candidacies_response(request, queryset)

    def change_status(self, request, queryset, status):
        try:
            count = change_candidacies_status(queryset, status=status, by=request.user)
        except StatusStepRefused as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d candidacy moved to “%(status)s”.", "%(count)d candidacies moved to “%(status)s”.", count
            )
            % {"count": count, "status": status.label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as shortlisted"), permissions=["assess"])
    def mark_shortlisted(self, request, queryset):
        self.change_status(request, queryset, Candidacy.Status.SHORTLISTED)

    @admin.action(description=_("Mark as invited"), permissions=["assess"])
    def mark_invited(self, request, queryset):
        self.change_status(request, queryset, Candidacy.Status.INVITED)

    @admin.action(description=_("Mark as confirmed"), permissions=["assess"])
    def mark_confirmed(self, request, queryset):
        self.change_status(request, queryset, Candidacy.Status.CONFIRMED)

    @admin.action(description=_("Mark as declined"), permissions=["assess"])
    def mark_declined(self, request, queryset):
        self.change_status(request, queryset, Candidacy.Status.DECLINED)

    @admin.action(description=_("Mark as withdrawn"), permissions=["assess"])
    def mark_withdrawn(self, request, queryset):
        self.change_status(request, queryset, Candidacy.Status.WITHDRAWN)


# -- what conference adds to the person admin ----------------------------------------------------


class SpeakingHistoryInline(admin.TabularInline):
    """Where this person spoke, across events (read-only)."""

    model = Appearance
    fk_name = "person"
    fields = ["session_event", "session", "session_start", "role", "affiliation_as_printed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("speaking appearance")
    verbose_name_plural = _("speaking history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__event", "person", "organization")

    @admin.display(description=_("event"))
    def session_event(self, obj):
        return obj.session.event

    @admin.display(description=_("starts (Taipei time)"))
    def session_start(self, obj):
        from django.utils import timezone

        return timezone.localtime(obj.session.starts_at).strftime("%Y-%m-%d %H:%M")


class SpokeAtListFilter(DropdownFilterMixin, admin.RelatedOnlyFieldListFilter):
    """Events a visible person spoke at, read from the appearances (not by joining every person to them)."""

    def field_choices(self, field, request, model_admin):
        visible = Person.objects.visible_to(request.user)
        # Where visible_to hides nobody, "person IN (every person)" only costs (SQLite walks it).
        spoken = Appearance.objects.filter(person__in=visible) if visible.query.has_filters() else Appearance.objects
        spoken = spoken.filter(person__isnull=False).values("session__event")
        events = field.related_model.objects.filter(pk__in=spoken)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            events = events.order_by(*ordering)
        # Labels from plain values: no model instance for each of hundreds of events.
        rows = events.values_list("pk", "name", "name_zh", "start_date")
        return [(pk, Event.label_of(name, name_zh, start_date)) for pk, name, name_zh, start_date in rows]


def has_assess_permission(request):
    return request.user.has_perm("conference.assess_candidacy")


@admin.action(description=_("Assess for a workshop"), permissions=["assess"])
def assess_for_workshop(model_admin, request, queryset):
    return views.assess_form_response(request, queryset)


# An appearance's label names its person (or organization) and session.
protect_choices_of(Appearance, select_related=("person", "organization", "session"))

PersonAdmin.add(
    inlines=[SpeakingHistoryInline],
    list_filters=[("appearances__session__event", SpokeAtListFilter)],
    after="languages",
    actions=[assess_for_workshop],
    permissions={"assess": has_assess_permission},
)
