"""The purpose of an export: asked on every user-facing path that takes personal data out.

A page that exports calls ``purpose_or_form(request)`` first: with a valid purpose in the
request (``purpose``: an ``ExportPurpose`` id, or empty for "other"; ``purpose_detail``: free
text) it gets an ``ExportPurposeChoice``; otherwise it gets the form page to answer, which sends
the same request again (GET or POST, every other parameter kept) with the purpose added.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from partners.models import ExportPurpose

PURPOSE_FIELDS = ("purpose", "purpose_detail")


@dataclass(frozen=True)
class ExportPurposeChoice:
    purpose: ExportPurpose | None
    detail: str

    def as_log_fields(self):
        """The keyword arguments of ``log_export`` that record this purpose."""
        return {"purpose": self.purpose, "purpose_detail": self.detail}


class ExportPurposeForm(forms.Form):
    purpose = forms.ModelChoiceField(
        label=_("Purpose of this export"),
        queryset=ExportPurpose.objects.filter(active=True),
        required=False,
        empty_label=_("Other (describe below)"),
    )
    purpose_detail = forms.CharField(
        label=_("Details"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. which workshop or post. Required when no purpose in the list fits."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("purpose") and not data.get("purpose_detail", "").strip():
            raise forms.ValidationError(_("Choose the purpose of this export, or describe it."))
        return data

    def choice(self):
        return ExportPurposeChoice(self.cleaned_data["purpose"], self.cleaned_data["purpose_detail"].strip())


def purpose_in(data):
    """The purpose stated in ``data`` (a QueryDict), or ``None`` when it states none (or an invalid one)."""
    if not any(name in data for name in PURPOSE_FIELDS):
        return None
    form = ExportPurposeForm(data)
    return form.choice() if form.is_valid() else None


def purpose_for_command(text):
    """``export_contacts --purpose TEXT``: a listed purpose when ``TEXT`` names one (either language, any case),
    else ``TEXT`` itself as the details. ``None`` for an empty text."""
    text = (text or "").strip()
    if not text:
        return None
    for purpose in ExportPurpose.objects.all():
        if text.casefold() in {purpose.name.casefold(), purpose.name_zh.casefold()}:
            return ExportPurposeChoice(purpose, "")
    return ExportPurposeChoice(None, text)


def back_url(request):
    """Where "Cancel" goes: the page the user came from, when it is on this site; else the admin's index."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else reverse("admin:index")


def purpose_or_form(request, *, title=None):
    """``(choice, None)`` when ``request`` states a valid purpose, else ``(None, the form page)``."""
    data = request.POST if request.method == "POST" else request.GET
    stated = any(name in data for name in PURPOSE_FIELDS)
    form = ExportPurposeForm(data if stated else None)
    if stated and form.is_valid():
        return form.choice(), None
    kept = [
        (key, value)
        for key in data
        for value in data.getlist(key)
        if key not in (*PURPOSE_FIELDS, "csrfmiddlewaretoken")
    ]
    context = {
        **admin.site.each_context(request),
        "title": title or _("Purpose of this export"),
        "form": form,
        "kept": kept,
        "method": request.method if request.method in ("GET", "POST") else "GET",
        "action": request.get_full_path() if request.method == "POST" else request.path,
        "back": back_url(request),
    }
    return None, TemplateResponse(request, "privacy/export_purpose.html", context)
