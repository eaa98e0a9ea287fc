"""Protected records in the admin: people marked sensitive leave no trace for those who may not see them.

Visibility itself is decided in one place, ``Person.objects.visible_to(user)``;
this module applies it to what the admin shows around a record: change,
delete and history pages (404, as for a row that does not exist), choices in
forms, delete summaries, the admin log's change messages and the rows that
only name a protected person ("protected speaker").
"""

from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partners.models import Person
from partners.roles import SENSITIVE_PERMISSION

PROTECTED_LABEL = _("protected speaker")


def with_visible_people(queryset, user, field="person"):
    """Rows of ``queryset`` whose ``field`` (a relation to Person) is empty or a person ``user`` may see.

    Written as "not one of the hidden people" (few, or none): "empty or one of the visible
    people" made PostgreSQL hash all 100,000 people's ids for every lookup (60 ms each).
    """
    if Person.objects.sees_sensitive(user):
        return queryset
    return queryset.exclude(**{f"{field}__in": Person.objects.hidden_from(user).values("pk")})


def without_visible_people(queryset, user, field="person"):
    """Rows of ``queryset`` naming a person ``user`` may not see (the complement of ``with_visible_people``)."""
    return queryset.filter(**{f"{field}__in": Person.objects.hidden_from(user).values("pk")})


def hidden_person_ids(user):
    """Primary keys of the people ``user`` may not see (few: only those marked sensitive)."""
    return set(Person.objects.hidden_from(user).values_list("pk", flat=True))


def names_hidden_person(obj, hidden_ids):
    """True when ``obj`` is, or belongs to, one of the people in ``hidden_ids``."""
    if isinstance(obj, Person):
        return obj.pk in hidden_ids
    return getattr(obj, "person_id", None) in hidden_ids


def sees_sensitive_people(user):
    """Whether ``Person.objects.visible_to(user)`` includes sensitive people.

    For rows that no longer exist, which that queryset cannot be asked about;
    it mirrors the rule in ``PersonQuerySet.visible_to`` (a test keeps them equal).
    """
    return user is not None and user.is_active and user.has_perm(SENSITIVE_PERMISSION)


def history_record_visible(user, record):
    """Whether ``user`` may see a historical record of a row that no longer exists.

    A person's record shows whether they were sensitive when deleted; a record
    belonging to a person (``person_id``) follows that person, or that person's
    own last record when they are gone too.
    """
    if record.instance_type is Person:
        return not record.sensitive or sees_sensitive_people(user)
    person_id = getattr(record, "person_id", None)
    if person_id is None:
        return True
    if Person.objects.filter(pk=person_id).exists():
        return Person.objects.visible_to(user).filter(pk=person_id).exists()
    last = Person.history.filter(id=person_id).order_by("-history_date", "-history_id").first()
    return last is not None and history_record_visible(user, last)


# Models of other apps whose rows name a person (conference's Appearance), each with the
# relations its label reads: a form's choices of them leave out people the user may not see.
PERSON_NAMING_MODELS = {}


def protect_choices_of(model, *, select_related=()):
    """Limit form choices of ``model`` (it has a ``person`` foreign key) to rows of visible people."""
    PERSON_NAMING_MODELS[model] = tuple(select_related)


class ProtectedFormFieldsMixin:
    """Relations to people in forms offer, and accept, only the people the user may see.

    Autocomplete only hides suggestions; without this a typed-in primary key
    would attach a protected person, and the error for a wrong one would tell
    them apart.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.related_model
            if related is Person:
                kwargs["queryset"] = Person.objects.visible_to(request.user)
            elif related in PERSON_NAMING_MODELS:
                rows = related._default_manager.select_related(*PERSON_NAMING_MODELS[related])
                kwargs["queryset"] = with_visible_people(rows, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProtectedAdminMixin(ProtectedFormFieldsMixin):
    """For every ModelAdmin of partners and conference, before the ModelAdmin base.

    - a row outside ``get_queryset`` (protected, or missing) answers 404 on its
      change, delete and history pages, never a redirect that tells the two apart;
    - simple-history's history pages check the same, and its revert form
      refuses writes to those without the change permission;
    - delete summaries and admin-log messages name protected people only as
      "protected speaker".
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record."))
        return obj

    def check_history_access(self, request, object_id):
        """Raise 404 unless ``request.user`` may see this row's history.

        A row in ``get_queryset`` may be seen; a row that exists outside it may
        not; a deleted row only when its last recorded version may be seen.
        """
        pk = self.model._meta.pk
        try:
            object_id = pk.to_python(unquote(object_id))
        except (ValidationError, ValueError):
            raise Http404(_("No such record.")) from None
        if self.get_queryset(request).filter(pk=object_id).exists():
            return
        history = getattr(self.model, "history", None)
        if history is None or self.model._default_manager.filter(pk=object_id).exists():
            raise Http404(_("No such record."))
        last = history.filter(**{pk.attname: object_id}).order_by("-history_date", "-history_id").first()
        if last is None or not history_record_visible(request.user, last):
            raise Http404(_("No such record."))

    def history_view(self, request, object_id, extra_context=None):
        self.check_history_access(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's page of one past version, whose form reverts to it."""
        self.check_history_access(request, object_id)
        if request.method == "POST":
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
            # simple-history saves a POST for anyone allowed to *view* the history.
            if obj is None or self.revert_disabled(request, obj) or not self.has_change_permission(request, obj):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """Django's summary of what a deletion takes with it, naming protected people as "protected speaker"."""
        try:
            first = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
        collector.collect(objs)
        hidden_ids = hidden_person_ids(request.user)
        perms_needed = set()

        def format_callback(obj):
            opts = obj._meta
            if names_hidden_person(obj, hidden_ids):
                return f"{capfirst(opts.verbose_name)}: {PROTECTED_LABEL}"
            no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
            if not self.admin_site.is_registered(obj.__class__):
                return no_edit_link
            if not self.admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(quote(obj.pk),)
                )
            except NoReverseMatch:
                return no_edit_link
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj) for obj in collector.protected]
        model_count = {model._meta.verbose_name_plural: len(items) for model, items in collector.model_objs.items()}
        return to_delete, model_count, perms_needed, protected

    def construct_change_message(self, request, form, formsets, add=False):
        """The admin log's message, with inline rows about sensitive people named "protected speaker".

        Everyone who may see the parent row reads its log, so sensitivity
        decides here, not the permissions of whoever made the change.
        """
        message = super().construct_change_message(request, form, formsets, add)
        public_ids = None
        masked = set()
        for formset in formsets or []:
            changed = [obj for obj, _fields in formset.changed_objects]
            for obj in [*formset.new_objects, *changed, *formset.deleted_objects]:
                person_id = obj.pk if isinstance(obj, Person) else getattr(obj, "person_id", None)
                if person_id is None:
                    continue
                if public_ids is None:
                    public_ids = set(Person.objects.visible_to(None).values_list("pk", flat=True))
                if person_id not in public_ids:
                    masked.add(str(obj))
        for entry in message:
            for details in entry.values():
                if details.get("object") in masked:
                    details["object"] = str(PROTECTED_LABEL)
        return message


def view_on_site(request, content_type_id, object_id):
    """The admin's ``/admin/r/<content type>/<id>/`` shortcut, answering one 404 for every row the
    user may not read — protected, missing, of an unknown type or outside the admin — so that a
    protected person's id cannot be told from a missing one (Django's own view words the two
    differently, which DEBUG pages show). Rows the user may read go on to Django's view.
    """
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut

    not_found = Http404(_("No such record."))
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise not_found from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise not_found
    try:
        visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        visible = False
    if not visible:
        raise not_found
    return shortcut(request, content_type_id, object_id)
