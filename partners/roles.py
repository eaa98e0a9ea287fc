"""The staff roles: group names and the permissions each holds, in one place.

The data migration ``conference/migrations/0003_roles.py`` and
``python manage.py sync_roles`` create the groups from this module; the
permission-matrix tests read it too. README.md, "Roles and protected records" explains the roles.

No group holds ``partners.view_sensitive_person``: a superuser grants it to a
person, never to a role (see ``SENSITIVE_PERMISSION``).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

VIEWER = "Viewer"
EDITOR = "Editor"
COORDINATOR = "Coordinator"
ADMINISTRATOR = "Administrator"

SENSITIVE_PERMISSION = "partners.view_sensitive_person"

# Everything staff read: partners, conferences, workshops and candidacies.
CONTENT_MODELS = [
    "partners.language",
    "partners.expertisearea",
    "partners.organization",
    "partners.person",
    "partners.affiliation",
    "partners.contactmethod",
    "partners.personexpertise",
    "conference.event",
    "conference.session",
    "conference.appearance",
    "conference.attendance",
    "conference.candidacy",
]
# What editors write, deletions included.
EDITED_MODELS = [
    "partners.organization",
    "partners.person",
    "partners.affiliation",
    "partners.contactmethod",
    "partners.personexpertise",
    "conference.event",
    "conference.session",
    "conference.appearance",
    "conference.attendance",
]
# Shared reference data: editors add and correct it, administrators delete it.
REFERENCE_MODELS = ["partners.language", "partners.expertisearea"]


def model_permissions(actions, models):
    """``["partners.view_person", …]`` for each action × each "app_label.model"."""
    perms = []
    for model in models:
        app_label, model_name = model.split(".")
        perms += [f"{app_label}.{action}_{model_name}" for action in actions]
    return perms


VIEWER_PERMISSIONS = [
    *model_permissions(["view"], CONTENT_MODELS),
    "partners.export_person",
]
EDITOR_PERMISSIONS = [
    *VIEWER_PERMISSIONS,
    *model_permissions(["add", "change", "delete"], EDITED_MODELS),
    *model_permissions(["add", "change"], REFERENCE_MODELS),
    "partners.import_person",
    "partners.merge_person",
]
COORDINATOR_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    *model_permissions(["add", "change", "delete"], ["conference.candidacy"]),
    "conference.assess_candidacy",
]
# Administrators run the system: everything above, the export log, the
# taxonomy's deletions, and staff accounts — but not the rights that would let
# them lift their own limits: no superuser flag, no per-person permissions, no
# editing of groups (accounts/admin.py's StaffUserAdmin enforces that).
ADMINISTRATOR_PERMISSIONS = [
    *COORDINATOR_PERMISSIONS,
    *model_permissions(["delete"], REFERENCE_MODELS),
    "partners.view_exportlog",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
]

ROLES = {
    VIEWER: VIEWER_PERMISSIONS,
    EDITOR: EDITOR_PERMISSIONS,
    COORDINATOR: COORDINATOR_PERMISSIONS,
    ADMINISTRATOR: ADMINISTRATOR_PERMISSIONS,
}


def sync_roles(apps=global_apps, using="default"):
    """Create each role's group by name and set its permissions to exactly ``ROLES``.

    Works with the migration's historical ``apps`` or the real registry. Missing
    permission rows are created first (Django creates them only after all
    migrations ran). Groups other than the roles are left alone. Returns the
    groups by name.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module; a historical
        # registry has none, hence the flag.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for name, perms in ROLES.items():
        wanted = set(perms)
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        if found != wanted:
            raise LookupError(f"Role {name}: no such permission: {', '.join(sorted(wanted - found))}")
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def remove_roles(apps=global_apps, using="default"):
    """Delete the role groups (the migration's reverse); their members keep their accounts."""
    apps.get_model("auth", "Group").objects.using(using).filter(name__in=list(ROLES)).delete()


def account_holds(user, *perms):
    """Whether the account holds any of ``perms`` ("app_label.codename") — as a superuser,
    through its own permissions or through one of its groups — whatever ``is_active`` says.

    ``user.has_perm()`` answers False for every inactive account, so it cannot tell whether a
    deactivated account would regain sensitive access once reactivated; this reads the tables.
    """
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if user.is_superuser:
        return True
    if user.pk is None:
        return False
    wanted = Q()
    for perm in perms:
        app_label, codename = perm.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted).filter(Q(user=user) | Q(group__user=user)).exists()


def let_new_role_holders_log_in(user, *, roles_before):
    """Give staff status (the right to log in) to ``user`` when they were just given a role.

    ``roles_before`` are the role names the account held before the change. Only a newly
    given role turns staff status on, so an administrator who later unticks "Staff status"
    to stop someone logging in is not overruled. Returns True when staff status was turned on.
    """
    given = set(user.groups.filter(name__in=list(ROLES)).values_list("name", flat=True)) - set(roles_before)
    if user.is_staff or not given:
        return False
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return True
