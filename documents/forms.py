"""Forms of the documents pages: what letters to write, the confirmation that marks them invited, a template upload."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.models import Candidacy
from documents.letters import PLACEHOLDERS, TemplateProblem, check_template
from documents.models import LetterTemplate


class LettersForm(forms.Form):
    class Layout:
        ONE_FILE = "docx"
        ZIP = "zip"

    status = forms.ChoiceField(
        label=_("Candidates whose invitation status is"),
        choices=Candidacy.Status.choices,
        initial=Candidacy.Status.SHORTLISTED,
    )
    layout = forms.ChoiceField(
        label=_("Letters as"),
        choices=[
            (Layout.ONE_FILE, _("one Word file, each letter on its own pages")),
            (Layout.ZIP, _("a zip of one Word file per person")),
        ],
        initial=Layout.ONE_FILE,
        widget=forms.RadioSelect,
    )
    letter_date = forms.DateField(
        label=_("Date of the letters"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact_name = forms.CharField(label=_("Contact officer"), max_length=150)
    contact_title = forms.CharField(label=_("Contact officer's title"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact officer's e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact officer's phone"), max_length=60, required=False)

    @classmethod
    def initial_for(cls, user):
        return {
            "status": Candidacy.Status.SHORTLISTED,
            "layout": cls.Layout.ONE_FILE,
            "letter_date": timezone.localdate(),
            "contact_name": user.get_full_name() or user.get_username(),
            "contact_email": user.email,
        }

    def contact(self):
        return {
            "name": self.cleaned_data["contact_name"],
            "title": self.cleaned_data["contact_title"],
            "email": self.cleaned_data["contact_email"],
            "phone": self.cleaned_data["contact_phone"],
        }


class MarkInvitedForm(forms.Form):
    """The second step after the letters: the listed candidacies move to "invited", once confirmed."""

    candidacy = forms.ModelMultipleChoiceField(queryset=Candidacy.objects.none(), widget=forms.MultipleHiddenInput)
    confirm = forms.BooleanField(
        label=_("I confirm these letters are being sent: mark these candidacies “invited”."),
        required=True,
        error_messages={"required": _("Tick the box to confirm, or nothing is changed.")},
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the candidacies that get a letter may be marked.
        self.fields["candidacy"].queryset = recipients


class LetterTemplateForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Word file (.docx)"),
        help_text=_("A .docx with the placeholders listed below, written as {{ recipient_name }}."),
    )

    class Meta:
        model = LetterTemplate
        fields = ["name"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        content = upload.read()
        try:
            check_template(content)
        except TemplateProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        self.content = content
        return upload

    def save(self, commit=True):
        template = super().save(commit=False)
        if hasattr(self, "content"):
            template.content = self.content
            template.file_name = self.cleaned_data["upload"].name[:255]
        if commit:
            template.save()
        return template

    @staticmethod
    def placeholders():
        return list(PLACEHOLDERS.items())
