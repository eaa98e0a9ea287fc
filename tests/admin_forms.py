"""Post an admin change form the way a browser would: what it showed, with some fields changed."""

from django import forms


def field_value(bound_field):
    """The value a browser posts for an unchanged field (None: nothing posted, as for an unticked box)."""
    field = bound_field.field
    value = bound_field.value()
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    return str(getattr(value, "pk", value))


def form_fields_data(form):
    data = {}
    for name, field in form.fields.items():
        bound_field = form[name]
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            # e.g. the admin's split date and time: one POST key per part.
            value = bound_field.value()
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, part_widget, part in zip(widget.widgets_names, widget.widgets, parts, strict=True):
                data[f"{bound_field.html_name}{suffix}"] = part_widget.format_value(part) or ""
            continue
        value = field_value(bound_field)
        if value is not None:
            data[bound_field.html_name] = value
    return data


def change_form_data(response, **changes):
    """The POST data of the admin change form in ``response`` (main form and inlines), with ``changes``.

    ``changes`` name the main form's fields; ``None`` leaves a field out.
    """
    context = response.context
    data = form_fields_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_fields_data(formset.management_form))
        for form in formset.forms:
            data.update(form_fields_data(form))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
