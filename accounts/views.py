"""The second step's pages: set up an authenticator app, enter a code, see new backup codes;
and the password confirmation that ``require_recent_login`` asks for."""

import io
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from accounts import two_step
from accounts.forms import CodeForm, PasswordConfirmForm
from accounts.sessions import stamp_sign_in

NEW_BACKUP_CODES = "liaison_new_backup_codes"


def next_url(request):
    """Where to go afterwards: the ``next`` parameter when it is a page of this site, else the admin."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def with_next(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


def qr_code_svg(text):
    """``text`` as an inline SVG QR code (pure Python, no image files)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Safe: qrcode writes only path data (the encoded text does not appear in the SVG).
    return mark_safe(svg[svg.index("<svg") :])


def page(request, template, context):
    """``template`` in the admin's frame (its header and user links), without the admin's sidebar:
    these pages come before the second step, when the admin's pages are not open yet."""
    from django.contrib import admin

    return render(request, template, {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, **context})


def grouped(key):
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_step_page(request):
    """Set up two-step sign-in, or (once set up and passed) see its state and renew it."""
    user = request.user
    enrolled = two_step.has_authenticator(user)
    # Anyone holding a device passes it before setting up another (no way round the second step).
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(with_next("two-step-verify", next_url(request)))
    action = request.POST.get("action")
    if enrolled and action == "new-codes":
        request.session[NEW_BACKUP_CODES] = two_step.replace_backup_codes(user)
        return redirect("two-step-backup-codes")
    renewing = enrolled and (action == "renew" or request.GET.get("renew"))
    if enrolled and not renewing and action != "confirm":
        return page(
            request,
            "accounts/two_step_status.html",
            {
                "title": _("Two-step sign-in"),
                "required": two_step.two_step_required(user),
                "codes_left": two_step.backup_codes_left(user),
            },
        )
    device = two_step.restart_enrolment(user) if action == "renew" else two_step.pending_authenticator(user)
    form = CodeForm(request.POST if action == "confirm" else None)
    if action == "confirm" and form.is_valid():
        codes = two_step.confirm_authenticator(device, token=form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            request.session[NEW_BACKUP_CODES] = codes
            messages.success(request, gettext("Two-step sign-in is set up."))
            return redirect(with_next("two-step-backup-codes", next_url(request)))
        form.add_error("code", gettext("That code is not right. Enter the code the app shows now."))
    key = b32encode(device.bin_key).decode()
    return page(
        request,
        "accounts/two_step_enrol.html",
        {
            "title": _("Set up two-step sign-in"),
            "form": form,
            "required": two_step.two_step_required(user),
            "qr_code": qr_code_svg(device.config_url),
            "secret": grouped(key),
            "config_url": device.config_url,
            "next": next_url(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify_page(request):
    """The second step: a code from the authenticator app or a backup code."""
    user = request.user
    if not two_step.has_authenticator(user) and not two_step.backup_codes_left(user):
        return redirect(with_next("two-step", next_url(request)))
    if user.is_verified():
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (wait := two_step.wait_before_next_code(user)):
        form.add_error(
            "code",
            ngettext(
                "After a wrong code, wait %(seconds)d second, then enter the code the app shows.",
                "After a wrong code, wait %(seconds)d seconds, then enter the code the app shows.",
                wait,
            )
            % {"seconds": wait},
        )
    elif request.method == "POST" and form.is_valid():
        device = two_step.verify_second_step(user, token=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    gettext("You used a backup code; %(count)d left. Each works once.")
                    % {"count": two_step.backup_codes_left(user)},
                )
            return redirect(next_url(request))
        form.add_error(
            "code", gettext("That code is not right, or it was already used. Try the code the app shows now.")
        )
    context = {"title": _("Two-step sign-in"), "form": form, "next": next_url(request)}
    return page(request, "accounts/two_step_verify.html", context)


@never_cache
@login_required
def backup_codes_page(request):
    """New backup codes, shown once: they are taken out of the session as they are shown."""
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    return page(
        request,
        "accounts/backup_codes.html",
        {"title": _("Backup codes"), "codes": codes, "next": next_url(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_password_page(request):
    """Enter the password again before a sensitive change (``require_recent_login``)."""
    form = PasswordConfirmForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        stamp_sign_in(sender=None, request=request, user=request.user)
        return redirect(next_url(request))
    context = {"title": _("Confirm your password"), "form": form, "next": next_url(request)}
    return page(request, "accounts/confirm_password.html", context)
