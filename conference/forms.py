"""Forms for assessing candidates and for editing a candidacy in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conference.models import Candidacy, Event
from conference.services import ASSESSMENTS, StatusStepRefused, allowed_next_statuses, check_status_step
from partners.models import Person


class AssessForm(forms.Form):
    """One suitability decision for several people: who, for which workshop, what and why.

    ``person`` is repeatable (ids); only people ``user`` may see are accepted.
    """

    person = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one person.")},
    )
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=Event.objects.workshops())
    suitability = forms.ChoiceField(
        label=_("Suitability"),
        choices=[(value, Candidacy.Suitability(value).label) for value in ASSESSMENTS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Kept with each decision, e.g. “spoke on T visas at the 2022 FNUSA conference”."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).order_by("full_name", "pk")


class CandidacyAdminForm(forms.ModelForm):
    """The admin's candidacy form: a status change must be an allowed step, shown as a field error."""

    class Meta:
        model = Candidacy
        fields = ["workshop", "person", "suitability", "reason", "status", "declined_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else None
            steps = ", ".join(str(Candidacy.Status(status).label) for status in allowed_next_statuses(current))
            self.fields["status"].help_text = (
                _("Allowed next: %(steps)s.") % {"steps": steps} if steps else _("This status is final.")
            )

    def clean(self):
        # Here and in the services, not in the model: declined rows recorded before the reason
        # was kept (imports, demo data) stay valid until someone edits them.
        cleaned = super().clean()
        declining = cleaned.get("status") == Candidacy.Status.DECLINED
        if declining and "declined_reason" in self.fields and not (cleaned.get("declined_reason") or "").strip():
            self.add_error("declined_reason", _("Give the reason the invitation was declined."))
        return cleaned

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else None
        try:
            check_status_step(current, status)
        except StatusStepRefused as refused:
            raise forms.ValidationError(refused.messages) from None
        return status


class DeclineForm(forms.Form):
    """The reason given with a bulk "declined": kept on each candidacy."""

    declined_reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("The reply's reason, e.g. “not available on those dates”."),
    )
