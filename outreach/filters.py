"""List filters of the interaction list: unit, country and follow-up."""

import datetime as dt

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.countries import country_name


class UnitListFilter(admin.SimpleListFilter):
    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = model_admin.get_queryset(request).exclude(unit="").order_by("unit").values_list("unit", flat=True)
        return [(unit, unit) for unit in units.distinct()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit=self.value())
        return queryset


class InteractionCountryListFilter(admin.SimpleListFilter):
    """The country of the person met, or of the organization when no person is named."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        interactions = model_admin.get_queryset(request)
        codes = set(interactions.exclude(person__isnull=True).values_list("person__country", flat=True))
        codes |= set(interactions.filter(person__isnull=True).values_list("organization__country", flat=True))
        return sorted(((code, country_name(code)) for code in codes if code), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.about_country(self.value())
        return queryset


class FollowUpListFilter(admin.SimpleListFilter):
    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Due (today or overdue)")),
            ("week", _("Due within 7 days")),
            ("open", _("Open")),
            ("done", _("Done")),
            ("none", _("No follow-up")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "due":
                return queryset.follow_ups_due(today)
            case "week":
                return queryset.follow_ups_due(today + dt.timedelta(days=7))
            case "open":
                return queryset.follow_ups_open()
            case "done":
                return queryset.filter(follow_up_done=True)
            case "none":
                return queryset.filter(Q(follow_up_due__isnull=True) & Q(follow_up=""))
        return queryset
