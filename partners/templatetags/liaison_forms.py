"""Template filters for accessible admin forms."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def labelled_in_row(bound_field, row):
    """The field's widget with an accessible name naming its column and row (“Title, row 2”).

    A tabular inline's inputs sit under a column heading, with no <label> of their own; screen
    readers (and axe) need a name on each. As ``str(bound_field)`` renders, plus the name.
    """
    label = gettext("%(field)s, row %(row)s") % {"field": bound_field.label, "row": row}
    html = bound_field.as_widget(attrs={"aria-label": label})
    if bound_field.field.show_hidden_initial:
        html += bound_field.as_hidden(only_initial=True)
    return html


@register.filter
def deletion_in_row(bound_field, row):
    """A row's “Delete?” box, named for its row."""
    label = gettext("Delete row %(row)s") % {"row": row}
    return bound_field.as_widget(attrs={"aria-label": label})
