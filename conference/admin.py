from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.filters import ExpertiseListFilter
from partners.models import Person


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


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    fk_name = "workshop"
    fields = ["person", "suitability", "reason", "status", "decided_by_name", "decided_at"]
    readonly_fields = ["decided_by_name", "decided_at"]
    autocomplete_fields = ["person"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible).select_related("person")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "kind", "start_date", "end_date", "city", "country", "format", "organizer"]
    list_select_related = ["organizer"]
    list_filter = ["kind", "format", "country", ("themes", ExpertiseListFilter)]
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


class AppearanceInline(admin.TabularInline):
    model = Appearance
    fields = ["person", "organization", "role", "affiliation_as_printed", "order"]
    autocomplete_fields = ["person", "organization"]
    extra = 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("person", "organization")
        if request.user.has_perm("partners.view_sensitive_person"):
            return queryset
        return queryset.exclude(person__sensitive=True)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "title_zh", "event", "kind", "starts_local", "starts_taipei", "ends_taipei"]
    list_select_related = ["event"]
    list_filter = ["event", "kind", ("topics", ExpertiseListFilter)]
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
    inlines = [AppearanceInline]

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
class AppearanceAdmin(admin.ModelAdmin):
    list_display = ["speaker", "organization", "role", "session", "session_event"]
    list_select_related = ["person", "organization", "session__event"]
    list_filter = ["role", "session__event"]
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
        queryset = super().get_queryset(request)
        if request.user.has_perm("partners.view_sensitive_person"):
            return queryset
        return queryset.exclude(person__sensitive=True)

    @admin.display(description=_("person"), ordering="person__full_name")
    def speaker(self, obj):
        return obj.person or ""

    @admin.display(description=_("event"))
    def session_event(self, obj):
        return obj.session.event


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["staff_name", "staff_title", "event", "session", "day", "mode"]
    list_select_related = ["event", "session"]
    list_filter = ["event", "mode"]
    search_fields = ["staff_name", "unit", "event__name", "event__name_zh"]
    autocomplete_fields = ["event", "session", "user"]


@admin.register(Candidacy)
class CandidacyAdmin(SimpleHistoryAdmin):
    list_display = ["person", "workshop", "suitability", "status", "decided_by_display", "decided_at"]
    list_select_related = ["person", "workshop", "decided_by"]
    list_filter = ["workshop", "suitability", "status"]
    search_fields = ["person__full_name", "person__name_zh", "reason", "workshop__name", "workshop__name_zh"]
    autocomplete_fields = ["workshop", "person"]
    fieldsets = [
        (None, {"fields": ["workshop", "person"]}),
        (_("Assessment"), {"fields": ["suitability", "reason", "status"]}),
        (_("Decision"), {"fields": ["decided_by", "decided_by_name", "decided_at"]}),
    ]
    readonly_fields = ["decided_by", "decided_by_name", "decided_at"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)

    @admin.display(description=_("decided by"))
    def decided_by_display(self, obj):
        return obj.decided_by or obj.decided_by_name
