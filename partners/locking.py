"""Optimistic locking: when two staff edit one record at once, the later save is refused.

Person, Organization and Candidacy carry a ``version``. A form remembers the
version it was loaded with (``loaded_version``, a hidden field); saving checks
that the row still has it and moves it on by one in the same UPDATE
(``UPDATE … SET version = v + 1 WHERE id = … AND version = v``), so of two
simultaneous saves exactly one wins, on SQLite and PostgreSQL alike. The loser
sees what changed meanwhile (from simple-history) above the form, which now
shows the record as it is with the loser's own changes kept: nothing is lost,
and saving again applies those changes on top. (Inline rows keep what was
posted; the list names any that changed meanwhile.)

Other writers (imports, commands, services) should save these models through
``save_versioned`` too, so that an admin form opened before their change is
refused rather than overwriting it.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.history import history_changes

VERSION_FIELD = "loaded_version"
UNKNOWN = object()


class ConcurrentEditError(Exception):
    """The row's version moved on (or the row went) between loading and saving."""

    def __init__(self, instance, expected_version):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(f"{instance._meta.label} {instance.pk}: version {expected_version} is no longer current")


def current_version(instance, *, lock=False):
    """The version the row has in the database now, or None when it is gone.

    ``lock`` takes a row lock (SELECT … FOR UPDATE) until the transaction ends,
    where the database has them and a transaction is open.
    """
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    rows = model._default_manager.using(using).filter(pk=instance.pk)
    if lock and connections[using].in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def claim_version(instance, *, expected_version):
    """Move the row from ``expected_version`` to the next one, or raise ``ConcurrentEditError``.

    One conditional UPDATE, so of two simultaneous claims exactly one succeeds;
    sets ``instance.version`` for the save that follows in the same transaction.
    """
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    moved = (
        model._default_manager.using(using)
        .filter(pk=instance.pk, version=expected_version)
        .update(version=expected_version + 1)
    )
    if moved != 1:
        raise ConcurrentEditError(instance, expected_version)
    instance.version = expected_version + 1


def save_versioned(instance, *, expected_version=None, **save_kwargs):
    """Save ``instance`` as the next version of its row; return the new version.

    With ``expected_version`` the save happens only if the row is still at that
    version, else ``ConcurrentEditError`` and nothing saved; without it
    (imports, commands) the row's current version is taken under a row lock.
    A new row is simply saved.
    """
    if instance._state.adding or instance.pk is None:
        instance.save(**save_kwargs)
        return instance.version
    using = router.db_for_write(type(instance), instance=instance)
    with transaction.atomic(using=using):
        if expected_version is None:
            expected_version = current_version(instance, lock=True)
            if expected_version is None:
                raise ConcurrentEditError(instance, expected_version)
        claim_version(instance, expected_version=expected_version)
        instance.save(using=using, **save_kwargs)
    return instance.version


def changes_since(instance, version, *, related=()):
    """What was saved to ``instance`` after ``version``, oldest first, as HTML list items.

    ``related`` names reverse relations with history (``"contact_methods"``)
    whose changes since then belong to the record too.
    """
    records = list(instance.history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    # Every save moves the version on before its related rows are written (the
    # admin saves the record, then its inlines; a related row's own page moves
    # the record's version first), so related changes since then are this edit's.
    since = records[0].history_date if records else None
    for name in related if since is not None else ():
        field = instance._meta.get_field(name)
        related_history = field.related_model.history.filter(
            **{field.field.attname: instance.pk, "history_date__gte": since}
        )
        records += list(related_history.select_related("history_user"))
    records.sort(key=lambda record: record.history_date)
    items = []
    for record, changes in history_changes(records):
        what = record.instance._meta.verbose_name
        if record.instance_type is not type(instance):
            what = f"{what} “{record.history_object}”"
        action = {"+": gettext("added"), "-": gettext("deleted")}.get(record.history_type, gettext("changed"))
        details = format_html_join("; ", "{}: {} → {}", ((c["field"], c["old"], c["new"]) for c in changes))
        items.append(
            format_html(
                "<li>{} — {} {} {}{}{}</li>",
                timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
                record.history_user or gettext("someone"),
                action,
                what,
                format_html(": {}", details) if changes else "",
                format_html(" ({})", record.history_change_reason) if record.history_change_reason else "",
            )
        )
    return items


def conflict_message(instance, version, *, related=()):
    """The refusal shown above the form, listing what changed meanwhile."""
    items = changes_since(instance, version, related=related)
    listing = format_html("<ul>{}</ul>", format_html_join("", "{}", ((item,) for item in items))) if items else ""
    return format_html(
        "{} {}{}",
        gettext("Someone else saved this %(name)s while you were editing it, so your changes were not saved.")
        % {"name": instance._meta.verbose_name},
        gettext("What changed meanwhile:") if items else "",
        listing,
    ) + format_html(
        " {}",
        gettext(
            "The form below shows the record as it is now, with your own changes kept: "
            "check them against the list, then save again to apply them."
        ),
    )


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a version it was not loaded with."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Reverse relations whose history is listed with the record's own in a refusal.
    related_histories = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding:
            return cleaned_data
        loaded = cleaned_data.get(VERSION_FIELD)
        current = current_version(self.instance, lock=True)
        if current is None:
            raise forms.ValidationError(
                _("This %(name)s was deleted while you were editing it."),
                code="deleted",
                params={"name": self.instance._meta.verbose_name},
            )
        if loaded is None:
            self.keep_input_as_version(current)
            raise forms.ValidationError(
                _("This form was not loaded with its version; check your changes and save again."),
                code="version_missing",
            )
        if loaded != current:
            self.refresh_untouched_fields(loaded)
            self.keep_input_as_version(current)
            raise forms.ValidationError(
                conflict_message(self.instance, loaded, related=self.related_histories), code="concurrent_edit"
            )
        return cleaned_data

    def refresh_untouched_fields(self, loaded):
        """Show the row as it is now in the fields the user left as loaded; keep what they changed.

        Saving again then applies the user's edits on top of the other changes
        instead of writing the loaded values back.
        """
        snapshot = self.instance.history.filter(version__lte=loaded).order_by("-history_date").first()
        if snapshot is None:
            return
        current = type(self.instance)._default_manager.get(pk=self.instance.pk)
        data = self.data.copy()
        for name, field in self.fields.items():
            if name == VERSION_FIELD or field.disabled:
                continue
            key = self.add_prefix(name)
            loaded_value = field_value(snapshot, name)
            posted = field.widget.value_from_datadict(self.data, self.files, key)
            if loaded_value is UNKNOWN or field.has_changed(loaded_value, posted):
                continue
            set_posted_value(data, key, field, field_value(current, name))
        self.data = data

    def keep_input_as_version(self, version):
        """Re-render the user's input as an edit of ``version``, so saving again applies it on top."""
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version

    def save(self, commit=True):
        if not commit or self.instance._state.adding:
            return super().save(commit=commit)
        instance = super().save(commit=False)
        save_versioned(instance, expected_version=self.cleaned_data.get(VERSION_FIELD))
        self._save_m2m()
        return instance


def field_value(obj, name):
    """The form's initial value of field ``name`` for ``obj``, a model or a historical record."""
    try:
        field = type(obj.instance if hasattr(obj, "instance_type") else obj)._meta.get_field(name)
    except FieldDoesNotExist:
        return UNKNOWN  # a form field of its own, not the model's
    if field.many_to_many:
        if not hasattr(obj, name):
            return UNKNOWN  # a relation the history does not keep
        rows = getattr(obj, name).all()
        if hasattr(obj, "instance_type"):
            # A historical record keeps its own copy of the relation's rows.
            return [getattr(row, f"{field.m2m_reverse_field_name()}_id") for row in rows]
        return [row.pk for row in rows]
    return field.value_from_object(obj.instance if hasattr(obj, "instance_type") else obj)


def set_posted_value(data, key, field, value):
    """Put ``value`` into the POST ``data`` as the field's widget would have sent it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list | tuple):
        data.setlist(key, [str(item) for item in value])
    else:
        data[key] = "" if value is None else str(value)


def versioned_form(form_class, related_histories=()):
    """``form_class`` with ``VersionedModelForm``'s check mixed in."""
    if issubclass(form_class, VersionedModelForm) and not related_histories:
        return form_class
    return type(
        form_class.__name__,
        (VersionedModelForm, form_class),
        {"related_histories": tuple(related_histories)},
    )


def with_version_field(fieldsets):
    """``fieldsets`` with the hidden version field added to the first one, once."""
    if VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]


class VersionedAdminMixin:
    """For the ModelAdmin of a model with ``version``: its change form refuses stale saves.

    Put it before ``SimpleHistoryAdmin``/``ModelAdmin`` in the bases.
    ``related_histories`` lists reverse relations (edited in inlines) whose
    changes the refusal lists too.
    """

    related_histories = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "_reverting_to_history", False):
            # simple-history's revert form starts from an old version's values:
            # it edits the row as it is now.
            obj.version = current_version(obj)
        kwargs.setdefault("form", versioned_form(self.form, self.related_histories))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return with_version_field(super().get_fieldsets(request, obj))

    def claim_loaded_version(self, obj, form, change):
        """Move a changed record from the version its form was loaded with to the next one.

        Django's admin calls ``save_model`` only once the form and every inline
        formset are valid, so the claim happens there and not in ``save_form``
        (which runs before the inlines are checked): a page shown again with a
        row's error has claimed nothing, and the corrected save is not taken
        for someone else's. Inside the admin's transaction, before anything is
        written: a lost race rolls back and changes nothing.
        """
        if change:
            claim_version(obj, expected_version=form.cleaned_data.get(VERSION_FIELD))

    def save_model(self, request, obj, form, change):
        self.claim_loaded_version(obj, form, change)
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            # Another save landed between this form's check and its save; the
            # transaction rolled back. Showing the form again reports the change.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._reverting_to_history = True
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except ConcurrentEditError:
            return super().history_form_view(request, object_id, version_id, extra_context)


class BumpsParentVersionMixin:
    """For the ModelAdmin of a row edited inline elsewhere (a person's contact methods).

    Saving or deleting it here moves the parent's version on, so a parent form
    opened earlier — whose inline still shows the old row — is refused instead
    of silently writing the old row back.
    """

    version_parent = "person"

    def bump_parent_versions(self, request, objs):
        field = self.model._meta.get_field(self.version_parent)
        parents = field.related_model._default_manager.filter(pk__in={getattr(o, field.attname) for o in objs})
        for parent in parents:
            parent._history_user = request.user
            parent._change_reason = gettext("%(name)s edited on its own page") % {
                "name": capfirst(self.model._meta.verbose_name)
            }
            save_versioned(parent)

    # The parent first, so its history row comes before the change it announces.
    def save_model(self, request, obj, form, change):
        self.bump_parent_versions(request, [obj])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        self.bump_parent_versions(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.bump_parent_versions(request, list(queryset))
        super().delete_queryset(request, queryset)
