"""The interaction form: the time is entered in the place's own time zone, stored once as an instant."""

import contextlib
import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Interaction


class LocalDateTimeField(forms.SplitDateTimeField):
    """A date and a time as written, without a zone (the form adds the place's)."""

    def compress(self, data_list):
        if data_list and data_list[0] is not None and data_list[1] is not None:
            return dt.datetime.combine(*data_list)
        return super().compress(data_list)


class InteractionForm(forms.ModelForm):
    occurred_local = LocalDateTimeField(
        label=_("When (local time of the place)"),
        # The browser's own date and time pickers: the admin's would add a note comparing the
        # browser's zone with the server's, which does not apply to a time entered in the place's zone.
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time", "aria-label": _("Time")},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
        help_text=_("Date and time where it happened, in the time zone below."),
    )

    class Meta:
        model = Interaction
        fields = [
            "person",
            "organization",
            "kind",
            "time_zone",
            "place",
            "officer",
            "officer_name",
            "unit",
            "event",
            "summary",
            "follow_up",
            "follow_up_due",
            "follow_up_done",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.occurred_at:
            self.initial["occurred_local"] = self.instance.local_occurred_at().replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        local, zone = cleaned.get("occurred_local"), cleaned.get("time_zone")
        if local is not None and zone:
            # A wrong zone is reported by the time zone field itself.
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.instance.occurred_at = local.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        if cleaned.get("follow_up_due") and not (cleaned.get("follow_up") or "").strip():
            self.add_error("follow_up", _("Say what is to be done by the due date."))
        return cleaned
