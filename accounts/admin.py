from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import recent_login_redirect
from accounts.two_step import reset_two_step
from partners.roles import ROLES, SENSITIVE_PERMISSION, account_holds, let_new_role_holders_log_in

# django-otp's own device pages would show a user's secret key to whoever may read them. Devices
# are set up by their owner (accounts/views.py) and reset by an administrator through the users
# list's logged action (StaffUserAdmin below) — nowhere else.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def holds_more_than_a_role(user):
    """Superusers and people with sensitive access, active or not: accounts only a superuser may change.

    Read from the account's flag, permissions and groups, never ``has_perm()`` (always False for a
    deactivated account, which an Administrator could otherwise reset and reactivate).
    """
    return account_holds(user, SENSITIVE_PERMISSION)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Staff accounts. Administrators create accounts and give them roles (groups);
    only a superuser makes superusers, grants sensitive access (a per-person
    permission) or changes the accounts that hold either (README.md, "Roles and protected records").
    """

    actions = ["reset_two_step_sign_in"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            app_label, codename = SENSITIVE_PERMISSION.split(".")
            kwargs["queryset"] = Group.objects.exclude(
                permissions__content_type__app_label=app_label, permissions__codename=codename
            )
        if db_field.name == "groups":
            kwargs["help_text"] = _(
                "The account's roles. Giving a role also turns on “Staff status”, without which "
                "nobody can log in."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Changing roles or permissions needs a fresh sign-in (accounts/sessions.py); the page
        # comes back afterwards and the change is submitted again.
        if (
            request.method == "POST"
            and object_id
            and self.changes_roles(request, object_id)
            and (response := recent_login_redirect(request))
        ):
            self.message_user(
                request, gettext("Changing roles needs your password again; then save once more."), messages.WARNING
            )
            return response
        return super().changeform_view(request, object_id, form_url, extra_context)

    @staticmethod
    def changes_roles(request, object_id):
        user = User.objects.filter(pk=object_id).first()
        if user is None:
            return False
        for field in ["groups", "user_permissions"]:
            if field not in request.POST:
                continue
            held = {str(pk) for pk in getattr(user, field).values_list("pk", flat=True)}
            if set(request.POST.getlist(field)) != held:
                return True
        return "is_superuser" in request.POST and not user.is_superuser

    @admin.action(description=_("Reset two-step sign-in of the selected accounts"), permissions=["change"])
    def reset_two_step_sign_in(self, request, queryset):
        """Recovery when a phone is lost: the accounts' authenticators and backup codes are removed
        (their next sign-in sets up new ones); each reset is written to the account's history."""
        reset = refused = 0
        for user in queryset:
            if not self.has_change_permission(request, user):
                refused += 1
                continue
            reset_two_step(user)
            self.log_change(request, user, [{"changed": {"fields": ["two-step sign-in (reset)"]}}])
            reset += 1
        self.message_user(request, gettext("Two-step sign-in reset for %(count)d accounts.") % {"count": reset})
        if refused:
            self.message_user(
                request,
                gettext("%(count)d accounts left unchanged: only a superuser may reset those.") % {"count": refused},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        user = form.instance
        roles_before = list(user.groups.filter(name__in=list(ROLES)).values_list("name", flat=True)) if change else []
        super().save_related(request, form, formsets, change)
        if let_new_role_holders_log_in(user, roles_before=roles_before):
            self.message_user(
                request,
                gettext("Staff status was turned on so that “%(username)s” can log in with the new role.")
                % {"username": user.get_username()},
            )

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and holds_more_than_a_role(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and holds_more_than_a_role(obj):
            return False
        return super().has_delete_permission(request, obj)
