"""``{% export_formats as formats %}``: the download formats, for pages of other apps that link to them."""

from django import template

from contact_sheets.formats import FORMATS

register = template.Library()


@register.simple_tag
def export_formats():
    """``(key, label)`` of each download format (the printable sheet has its own link)."""
    return [(fmt, spec.label) for fmt, spec in FORMATS.items() if fmt != "html"]
