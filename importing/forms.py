"""Forms for contact-sheet imports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from importing.files import CSV_ENCODINGS, MAX_FILE_BYTES, MAX_ROWS


class ImportUploadForm(forms.Form):
    """The spreadsheet to import; its size is checked before it is read."""

    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    # Large files are imported by the background worker without a preview (importing.jobs).
    check_only = forms.BooleanField(
        label=_("Large files: only check the file, write nothing"),
        required=False,
    )
    duplicates_as_new = forms.BooleanField(
        label=_("Large files: import possible duplicates as new people"),
        required=False,
        help_text=_("Otherwise a large file with a possible duplicate is not imported, and its rows are listed."),
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV only)"),
        choices=[("", _("Detect automatically")), *CSV_ENCODINGS.items()],
        required=False,
        help_text=_("Leave on “Detect automatically” unless the preview asks you to choose."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Up to %(megabytes)d MB and %(rows)s rows, with the contact sheet's columns."
        ) % {
            "megabytes": MAX_FILE_BYTES // 1024 // 1024,
            "rows": f"{MAX_ROWS:,}",
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; files up to %(limit)d MB can be imported."),
                params={"size": upload.size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024},
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in {"csv", "xlsx"}:
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        return upload
