"""The event page's "Add a speaker": a session's new appearance, with a new person made in place.

Added to the event admin as ``admin:conference_event_add_appearance`` (``conference.admin``);
the writing is ``writeup.add_appearance``.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from conference import writeup
from conference.models import Appearance, Event
from partners.models import Organization, Person


class AddAppearanceForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=None)
    person = forms.ModelChoiceField(label=_("Stored person"), queryset=None, required=False)
    full_name = forms.CharField(label=_("or a new speaker (name in the original)"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100, required=False)
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "---------"), *countries], required=False)
    organization = forms.ModelChoiceField(label=_("Stored organization"), queryset=None, required=False)
    new_organization = forms.CharField(label=_("or a new organization"), max_length=300, required=False)
    title = forms.CharField(label=_("Title (as printed)"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Appearance.Role.choices, initial=Appearance.Role.SPEAKER)

    def __init__(self, *args, event, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.order_by("starts_at", "pk")
        self.fields["person"].widget = AutocompleteSelect(Appearance._meta.get_field("person"), admin_site)
        self.fields["organization"].widget = AutocompleteSelect(Appearance._meta.get_field("organization"), admin_site)
        # Set after the widgets: the queryset gives each widget its choices.
        self.fields["person"].queryset = Person.objects.visible_to(user)
        self.fields["organization"].queryset = Organization.objects.all()
        self.fields["country"].choices = [("", "---------"), *countries]  # named in this request's language
        self.fields["country"].help_text = _("Default: the event's country.")
        self.fields["title"].help_text = _("A new speaker's job: this title at the organization.")

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("full_name"):
            self.add_error("full_name", _("Choose a stored person or type a new one, not both."))
        if data.get("organization") and data.get("new_organization"):
            self.add_error("new_organization", _("Choose a stored organization or type a new one, not both."))
        someone = data.get("person") or data.get("full_name") or data.get("name_zh")
        if not someone and not (data.get("organization") or data.get("new_organization")):
            raise ValidationError(_("Name a speaker, or the organization that presented."))
        return data


def add_appearance_view(request, object_id, *, model_admin):
    event = get_object_or_404(Event, pk=object_id)
    if not request.user.has_perm("conference.add_appearance"):
        raise PermissionDenied
    form = AddAppearanceForm(
        request.POST or None,
        event=event,
        user=request.user,
        admin_site=model_admin.admin_site,
        initial={"session": request.GET.get("session"), "country": event.country.code if event.country else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (data["full_name"] or data["name_zh"]) and not request.user.has_perm("partners.add_person"):
            raise PermissionDenied
        new_person = None
        if data["full_name"] or data["name_zh"]:
            new_person = {"full_name": data["full_name"], "name_zh": data["name_zh"], "country": data["country"]}
        try:
            appearance = writeup.add_appearance(
                data["session"],
                person=data["person"],
                new_person=new_person,
                organization=data["organization"],
                new_organization=data["new_organization"],
                title=data["title"],
                role=data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Added %(appearance)s.") % {"appearance": appearance})
            if "_addanother" in request.POST:
                return redirect(f"{request.path}?session={appearance.session_id}")
            return redirect(reverse("admin:conference_event_change", args=[event.pk]) + "#event-programme")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Event._meta,
        "original": event,
        "title": gettext("Add a speaker to %(event)s") % {"event": event},
        "form": form,
        "groups": [
            (gettext("Session and role"), ["session", "role"]),
            (gettext("Speaker"), ["person", "full_name", "name_zh", "country"]),
            (gettext("Organization and title as printed"), ["organization", "new_organization", "title"]),
        ],
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/conference/event/add_appearance.html", context)
