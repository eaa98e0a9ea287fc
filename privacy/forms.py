from django import forms
from django.utils.translation import gettext_lazy as _


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this record?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the access log with every look at this person's records in this session."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the request's date and reference. Kept in the erasure record; do not write the name."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the person's identity and contact details are removed for good."),
    )
