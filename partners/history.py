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

from simple_history.template_utils import HistoricalRecordContextHelper

RELATED_HISTORY_LIMIT = 200


def history_changes(records):
    """For each historical record: (record, its changes from the record before, as the history page shows them)."""
    described = []
    for record in records:
        previous = record.prev_record if record.history_type == "~" else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"], foreign_keys_are_objs=True)
            changes = HistoricalRecordContextHelper(record.instance_type, record).context_for_delta_changes(delta)
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


class RelatedHistoryAdminMixin:
    """For a SimpleHistoryAdmin: list ``related_histories``' changes under the record's own."""

    related_histories = ()
    object_history_template = "admin/liaison/object_history.html"

    def render_history_view(self, request, template, context, **kwargs):
        obj = context.get("object")
        if obj is not None and template == self.object_history_template and self.related_histories:
            context["related_history"] = related_history(obj, self.related_histories)
            context["related_history_limit"] = RELATED_HISTORY_LIMIT
        return super().render_history_view(request, template, context, **kwargs)
