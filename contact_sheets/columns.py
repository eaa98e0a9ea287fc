"""The columns: partners' ``ContactSheetResource`` given the sheet's rows, for django-import-export's own export.

The columns themselves live in ``partners.resources`` because the import reads the same
columns back; the sheet's formats use them directly with rows from ``contact_sheets.rows``.
"""

from contact_sheets.rows import contact_sheet_rows
from partners.resources import ContactSheetResource


class ContactSheetExportResource(ContactSheetResource):
    """``ContactSheetResource`` whose ``export`` reads the people's rows in bulk first."""

    # -- export through django-import-export ------------------------------------------------

    def export(self, queryset=None, **kwargs):
        """A ``tablib.Dataset`` of the sheet, computed in bulk (for callers that want import-export's formats)."""
        people = self.get_queryset() if queryset is None else queryset
        return super().export(queryset=contact_sheet_rows(people, workshop=self.workshop), **kwargs)
