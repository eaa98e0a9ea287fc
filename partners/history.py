"""Audit history in the admin: the differences between versions, and a record's related rows on its page.

simple-history records who changed what and when; its history page already
lists each version's differences. ``RelatedHistoryAdminMixin`` adds the rows
edited with a record (a person's contact methods, jobs and expertise) below
them, so "who changed this person's e-mail, and when" is answered on the
person's own history page.

Commands and imports record their user by setting ``instance._history_user``
before saving (``HistoricalRecords`` reads it), or for bulk writes by
``simple_history.utils.bulk_create_with_history(..., default_user=user)``.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django_countries.fields import CountryField
from simple_history.template_utils import HistoricalRecordContextHelper

from partners.countries import country_name

RELATED_HISTORY_LIMIT = 200


def local_time_label(value):
    """An instant as staff read it: local time to the minute, with its zone ("2022-03-17 03:00 (Taipei time)")."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    zone = timezone.get_current_timezone_name()
    zone_name = gettext("Taipei time") if zone == "Asia/Taipei" else zone
    return gettext("%(time)s (%(zone)s)") % {
        "time": timezone.localtime(value).strftime("%Y-%m-%d %H:%M"),
        "zone": zone_name,
    }


class LabelledRecordContextHelper(HistoricalRecordContextHelper):
    """The history's changes as staff read them: choices by their label (“Identified → Shortlisted”,
    not ``identified → shortlisted``), countries by name, yes/no, instants in local time with their zone."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, CountryField):
            return country_name(str(value)) if value else "—"
        if getattr(field, "flatchoices", None) and not field.many_to_many:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime.datetime):
            return local_time_label(value)
        if value in (None, ""):
            return "—"
        return super().prepare_delta_change_value(change, value)


def history_changes(records):
    """For each historical record: (record, its changes from the record before, as the history page shows them)."""
    described = []
    for record in records:
        previous = record.prev_record if record.history_type == "~" else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"], foreign_keys_are_objs=True)
            changes = LabelledRecordContextHelper(record.instance_type, record).context_for_delta_changes(delta)
        described.append((record, changes))
    return described


def related_history(instance, relations, limit=RELATED_HISTORY_LIMIT):
    """Historical records of the rows related to ``instance`` through ``relations``, newest first."""
    records = []
    for name in relations:
        field = instance._meta.get_field(name)
        rows = field.related_model.history.filter(**{field.field.attname: instance.pk})
        records += list(rows.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [
        {"record": record, "changes": changes, "kind": record.instance_type._meta.verbose_name}
        for record, changes in history_changes(records[:limit])
    ]


class ReadableHistoryAdminMixin:
    """For a SimpleHistoryAdmin: its history page shows labels, names and local times with their zone."""

    object_history_template = "admin/liaison/object_history.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledRecordContextHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        page = context.get("page_obj")
        for record in page.object_list if page is not None else ():
            record.local_time = local_time_label(record.history_date)
        return super().render_history_view(request, template, context, **kwargs)


class RelatedHistoryAdminMixin(ReadableHistoryAdminMixin):
    """For a SimpleHistoryAdmin: list ``related_histories``' changes under the record's own."""

    related_histories = ()

    def render_history_view(self, request, template, context, **kwargs):
        obj = context.get("object")
        if obj is not None and template == self.object_history_template and self.related_histories:
            context["related_history"] = [
                {**item, "local_time": local_time_label(item["record"].history_date)}
                for item in related_history(obj, self.related_histories)
            ]
            context["related_history_limit"] = RELATED_HISTORY_LIMIT
            context["shows_related_history"] = True
        return super().render_history_view(request, template, context, **kwargs)
