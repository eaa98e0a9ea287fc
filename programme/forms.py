"""The upload form of the programme import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conference.models import Event
from importing.files import MAX_FILE_BYTES
from programme.formats import EXTENSIONS
from programme.formats.base import known_zone


class ProgrammeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Programme file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json,.xml,.ics"}),
    )
    event = forms.ModelChoiceField(
        label=_("Import into the event"),
        queryset=Event.objects.conferences(),
        required=False,
        empty_label=_("the event the file names (created if new)"),
    )
    time_zone = forms.CharField(
        label=_("Time zone of the file's times"),
        required=False,
        help_text=_(
            "Only for times the file gives without a zone, e.g. America/New_York for Miami. "
            "Default: the event's time zone. A zone the file declares always wins."
        ),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "placeholder": "America/New_York"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Translated per request, not once when the module is imported.
        self.fields["file"].help_text = _(
            "The agenda template (.csv, .xlsx), a frab/pretalx schedule (.json, .xml), an Indico or Sessionize "
            "export (.json) or an iCalendar file (.ics); up to %(megabytes)d MB."
        ) % {"megabytes": MAX_FILE_BYTES // 1024 // 1024}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; files up to %(limit)d MB can be imported."),
                params={"size": upload.size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024},
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EXTENSIONS:
            raise forms.ValidationError(_("Programme files are .csv, .xlsx, .json, .xml or .ics."))
        return upload

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value and known_zone(value) is None:
            raise forms.ValidationError(
                _("“%(value)s” is not an IANA time zone (e.g. America/New_York, Asia/Taipei)."), params={"value": value}
            )
        return value
